//! The CreateWorkspace contract of Alibaba Cloud EMR Serverless Spark (API version 2023-08-08).
//!
//! This crate is the single source of truth: the browser form and the server both describe, convert and
//! validate requests with it. It is pure Rust (serde only) so that it costs the WebAssembly bundle little.
//!
//! - [`catalogue`]: one [`catalogue::Field`] per request parameter; the UI renders it, the server and tests walk it.
//! - [`form::FormState`]: what a person typed, as strings and booleans.
//! - [`validate::validate`]: every rule; turns a form into the request to send, or into every field error.
//! - [`wire::from_wire`]: turns a JSON body received by a server back into a form, checking JSON types.
//! - [`request`], [`response`]: the wire types, serialized exactly as the official SDK sends them.
//! - [`api_error::ApiError`]: Alibaba's error body.

pub mod api_error;
pub mod catalogue;
pub mod form;
pub mod request;
pub mod response;
pub mod text;
pub mod validate;
pub mod wire;

pub use api_error::ApiError;
pub use catalogue::{FIELDS, Field, FieldKey, REGIONS, Section};
pub use form::{FormState, TagRow};
pub use request::{CreateWorkspaceRequest, ResourceSpec, Tag};
pub use response::CreateWorkspaceResponse;
pub use text::{Locale, Message, Text};
pub use validate::{FieldError, Valid, validate, warnings};
