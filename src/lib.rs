//! The create-workspace console component of Alibaba Cloud EMR Serverless Spark, in Leptos.
//!
//! - In a Leptos app: `view! { <CreateWorkspaceForm api_base="https://…" on_created=… /> }`.
//! - In any page: [`embed::mount_create_workspace`] (`mountCreateWorkspace` in JavaScript), or an element with a
//!   `data-create-workspace` attribute, which `main` mounts automatically.

pub mod api;
pub mod draft;
pub mod embed;
pub mod form;
pub mod i18n;
pub mod js;

pub use form::CreateWorkspaceForm;
pub use workspace_model as model;
