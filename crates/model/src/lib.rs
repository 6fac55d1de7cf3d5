//! The CreateWorkspace contract of Alibaba Cloud EMR Serverless Spark (API version 2023-08-08).
//!
//! This crate is the single source of truth: the browser form and both server backends describe, read and
//! validate requests with it, and build the body they send with it.
//!
//! - [`catalogue::FIELDS`]: one [`catalogue::Field`] per parameter: wire path and type, control, when it
//!   applies, its words, and its [`rules`], each with a tier (api, console, hint) and a source.
//! - [`FormState`]: what a person typed or a server read, held per [`FieldKey`]; [`Values`] reads it, or
//!   anything else that holds values (the browser's signals).
//! - [`validate`]: runs the rules ([`validate::check_field`], [`validate::first_error`]) and builds the body
//!   ([`validate::body`]), byte for byte what the official SDK sends.
//! - [`FieldPath`]: a position (`tag[3].key`), for errors, ids and the field a server's error names.
//! - [`wire::from_wire`]: a server's lenient reading of a JSON body.
//! - [`response`], [`ApiError`]: what the API answers.
//!
//! # Adding a parameter
//! 1. A [`FieldKey`] variant, in form order.
//! 2. Its [`catalogue::FIELDS`] entry, at the same position: wire path and [`catalogue::Wire`] type, control,
//!    section, when it applies, default and words.
//! 3. Its rule table in [`rules`] (each rule with its tier and source), named by the entry.
//! 4. A value for it in the golden case `everything` (`tests/common/mod.rs` and `tests/golden/capture.py`), so
//!    the body is proven against the official SDK.
//!
//! Nothing else: the form renders it, servers read it, the body carries it and `RULES.md` lists its rules.
//! `tests/completeness.rs` fails when one of these steps is missing.

pub mod api_error;
pub mod catalogue;
pub mod form;
pub mod json;
pub mod key;
pub mod path;
pub mod region;
pub mod request;
pub mod response;
pub mod rule;
pub mod rules;
pub mod text;
pub mod validate;
pub mod values;
pub mod wire;

pub use api_error::ApiError;
pub use catalogue::{FIELDS, Field, REGIONS, Section};
pub use form::{FormState, Row};
pub use json::Json;
pub use key::FieldKey;
pub use path::FieldPath;
pub use response::{CreateWorkspaceResponse, WorkspaceStatus};
pub use rule::{Code, Source, Tier};
pub use text::{Locale, Message, Text};
pub use validate::{Finding, Valid, check_field, first_error, validate, warnings};
pub use values::Values;
