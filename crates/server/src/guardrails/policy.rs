//! `--policy FILE` read at start-up, and `GET /api/policy`, which the form reads to show the policy.

use std::path::Path;

use axum::{
    Extension,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use workspace_model::Policy;

use super::Guardrails;
use crate::{http::error::with_request_id, ids::request_id};

pub use workspace_model::policy::POLICY_PATH;

/// Reads and checks a policy file. The refusal names the file and, from the model, the offending key.
pub fn load(path: &Path) -> Result<Policy, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--policy {shown}: cannot read it: {e}"))?;
    Policy::parse(&text).map_err(|e| format!("--policy {shown}: {e}"))
}

/// `GET /api/policy`: the policy as JSON, `{}` when there is none.
pub async fn get(Extension(guardrails): Extension<Guardrails>) -> Response {
    let mut response = guardrails.policy.to_json().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // Like every answer of the API: a request id to quote, and `no-store` (a restarted server may carry another
    // policy, so the page asks each time it loads).
    with_request_id(&request_id(), response)
}
