//! The create-workspace console component of Alibaba Cloud EMR Serverless Spark, in Leptos.
//!
//! Three ways to use it:
//! - in a Leptos app: `view! { <CreateWorkspaceForm api_base="https://…" on_created=… /> }`;
//! - in any page, as the custom element `<create-workspace-form>`, which `dist/create-workspace.js` defines;
//! - in any page, from JavaScript: [`embed::mount_create_workspace`] (`mountCreateWorkspace(element, options)`).

mod api;
mod draft;
pub mod embed;
mod form;
mod i18n;
mod js;
mod snippets;
mod submission;

pub use form::{CreateWorkspaceForm, Theme};
pub use submission::WorkspaceCreated;
pub use workspace_model as model;
