//! The gateway's HTTP handlers: each checks what it can before spending a cloud call, then forwards one
//! [`Call`].

use axum::{Extension, body::Bytes, extract::State, http::Method, response::Response};
use workspace_model::request::CREATE_WORKSPACE_PATH;

use super::{Call, EMR_SERVERLESS_SPARK, Gateway};
use crate::{
    aliyun::acs3,
    backend::params::{ListQuery, RegionId, RegionQuery, WorkspaceId, validate_create},
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

/// `GET /api/v1/workspaces/{workspaceId}?regionId=…`.
pub async fn get(
    State(gateway): State<Gateway>,
    RegionId(region): RegionId,
    WorkspaceId(id): WorkspaceId,
) -> Result<Response, ErrorReply> {
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
