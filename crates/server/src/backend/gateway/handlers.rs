//! The gateway's HTTP handlers: each checks what it can before spending a cloud call, then forwards one
//! [`Call`].

use axum::{
    Extension,
    body::Bytes,
    extract::State,
    http::{Method, StatusCode, Uri},
    response::Response,
};
use workspace_model::request::CREATE_WORKSPACE_PATH;

use super::{Call, EMR_SERVERLESS_SPARK, Gateway};
use crate::{
    aliyun::acs3,
    backend::params::{ListQuery, RegionId, RegionQuery, validate_create},
    guardrails::Guardrails,
    http::{
        error::ErrorReply,
        extract::{ApiQuery, JsonBody},
    },
};

/// `POST /api/v1/workspaces?regionId=…`: validated like the emulator does (the policy too), then forwarded as the
/// SDK would send what was validated. A refused request never reaches Alibaba.
pub async fn create(
    State(gateway): State<Gateway>,
    Extension(guardrails): Extension<Guardrails>,
    ApiQuery(query): ApiQuery<RegionQuery>,
    JsonBody(json): JsonBody,
) -> Result<Response, ErrorReply> {
    let checked = validate_create(query.region_id.as_deref(), &json, &guardrails.policy)?;
    gateway
        .forward(Call {
            product: &EMR_SERVERLESS_SPARK,
            method: Method::POST,
            action: "CreateWorkspace",
            region: checked.region,
            path: CREATE_WORKSPACE_PATH,
            query: Call::region_query(checked.region),
            body: Bytes::from(checked.valid.body.to_json()),
            content_type: Some("application/json"),
        })
        .await
}

/// `GET /api/v1/workspaces/{workspaceId}?regionId=…`. The id is taken from the raw path, not axum's decoded one,
/// so that it is re-encoded from exactly what arrived.
pub async fn get(
    State(gateway): State<Gateway>,
    RegionId(region): RegionId,
    uri: Uri,
) -> Result<Response, ErrorReply> {
    let raw_id = uri.path().rsplit('/').next().unwrap_or_default();
    let id = decode_segment(raw_id)
        .filter(|id| !id.is_empty() && id != "." && id != "..")
        .ok_or_else(|| {
            ErrorReply::new(
                StatusCode::BAD_REQUEST,
                "InvalidParameter.workspaceId",
                "workspaceId: not a workspace id.",
            )
        })?;
    // Re-encoded the way the SDKs encode a path parameter, so the path is canonical whatever came in.
    let path = format!("{CREATE_WORKSPACE_PATH}/{}", acs3::percent_encode(&id));
    gateway
        .forward(Call {
            product: &EMR_SERVERLESS_SPARK,
            method: Method::GET,
            action: "GetWorkspace",
            region,
            path: &path,
            query: Call::region_query(region),
            body: Bytes::new(),
            content_type: None,
        })
        .await
}

/// `GET /api/v1/workspaces?regionId=…` with the documented list parameters passed through.
pub async fn list(
    State(gateway): State<Gateway>,
    RegionId(region): RegionId,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ErrorReply> {
    gateway
        .forward(Call {
            product: &EMR_SERVERLESS_SPARK,
            method: Method::GET,
            action: "ListWorkspaces",
            region,
            path: CREATE_WORKSPACE_PATH,
            query: query.pairs(),
            body: Bytes::new(),
            content_type: None,
        })
        .await
}

/// Percent-decodes one path segment (`+` is a plus in paths); `None` for a broken escape or non-UTF-8.
fn decode_segment(s: &str) -> Option<String> {
    acs3::percent_decode_strict(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments() {
        assert_eq!(
            decode_segment("w-%E4%B8%AD%2F..%2Fx%20y+").as_deref(),
            Some("w-中/../x y+")
        );
        assert_eq!(decode_segment("%zz"), None);
        assert_eq!(decode_segment("%+1"), None);
        assert_eq!(decode_segment("%4"), None);
        assert_eq!(decode_segment("%FF"), None);
        assert_eq!(decode_segment("%2e%2E").as_deref(), Some(".."));
    }
}
