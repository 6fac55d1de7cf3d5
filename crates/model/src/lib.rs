//! The CreateWorkspace contract of Alibaba Cloud EMR Serverless Spark (API version 2023-08-08).
//!
//! This crate is the single source of truth: the browser form and both server backends describe, read and
//! validate requests with it, and build the body they send with it.
//!
//! - [`catalogue::FIELDS`]: one [`catalogue::Field`] per parameter: wire path and type, control, when it
//!   applies, its words, and its [`rules`], each with a tier (api, console, hint) and a source.
//! - [`FormState`]: what a person typed or a server read, held per [`FieldKey`]; [`Values`] reads it, or
//!   anything else that holds values (the browser's signals).
//! - [`mod@validate`]: runs the rules ([`validate::check_field`], [`validate::first_error`]) and builds the body
//!   ([`validate::body`]), byte for byte what the official SDK sends.
//! - [`FieldPath`]: a position (`tag[3].key`), for errors, ids and the field a server's error names.
//! - [`wire::from_wire`]: a server's lenient reading of a JSON body.
//! - [`response`], [`ApiError`]: what the API answers.
//! - [`Policy`]: a platform team's guardrails, the fourth tier of rules ([`Tier::Policy`]), which
//!   [`validate::check_field_under`] and [`validate::first_error_under`] run beside the others.
//! - [`listing`]: the account listings the form's choosers offer (routes and replies).
//!
//! # Adding a parameter
//! 1. Its [`FieldKey`] variant, in the list in `src/key.rs`, at its place in the form.
//! 2. Its catalogue entry: the compiler asks for an arm of `entry` in `src/catalogue.rs` (wire path and
//!    [`catalogue::Wire`] type, control, section, when it applies, default and words).
//! 3. Its rule table in [`rules`] (each rule with its tier and source), named by the entry; then
//!    `UPDATE_RULES=1 cargo test -p workspace-model --test completeness` rewrites `RULES.md`.
//! 4. A value in the golden cases: in `tests/common/mod.rs` (the case `everything`, or a subscription case for a
//!    subscription field) and the same in `tests/golden/capture.py`; then `target/py/bin/python
//!    crates/model/tests/golden/capture.py` (the official SDK, in the environment `./dev test` makes) rewrites
//!    the fixtures, so the body is proven against the SDK.
//! 5. In `tests/props.rs`: valid values in `valid_form` and its wire names in `KEYS`, so the properties send it.
//! 6. Where GetWorkspace reports it: a member of [`response::Workspace`] (the SDK's name and type), its place in
//!    `reported_as` in `response.rs`'s tests, and the emulator's view of a stored workspace (`view` in
//!    `crates/server`'s emulator) filling that member, with a value in the server test that GetWorkspace returns
//!    every member (`get_returns_every_member_sdk_2_3_0_models_with_its_type`).
//!
//! The form renders it, servers read it, the body and the preview's snippets carry it and `RULES.md` lists its
//! rules without more code. What fails when a step is skipped: after 1, the crate does not compile without 2,
//! nor its unit tests without 6 (exhaustive `match`es); 3 fails `tests/completeness.rs` (an entry without
//! rules, a stale `RULES.md`); 4 fails `tests/completeness.rs` (a parameter no golden case sends, a value
//! `capture.py` does not give the SDK) and `tests/golden.rs` (a body that is not the fixture); 5 fails
//! `tests/props.rs` (a parameter no valid form sends, a name `KEYS` lacks). The emulator's filling the member
//! is checked only by that server test, once it is given the value.
//!
//! The API page: <https://www.alibabacloud.com/help/en/emr/emr-serverless-spark/developer-reference/api-emr-serverless-spark-2023-08-08-createworkspace>.
//! Every rule, with its tier and source: `crates/model/RULES.md`.

pub mod api_error;
pub mod catalogue;
pub mod form;
pub mod json;
pub mod key;
pub mod listing;
pub mod path;
pub mod policy;
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
pub use listing::Listing;
pub use path::FieldPath;
pub use policy::{Policy, PolicyError};
pub use response::{CreateWorkspaceResponse, WorkspaceStatus};
pub use rule::{Code, Source, Tier};
pub use text::{Locale, Message, Text};
pub use validate::{Finding, Valid, check_field, first_error, validate, warnings};
pub use values::Values;
