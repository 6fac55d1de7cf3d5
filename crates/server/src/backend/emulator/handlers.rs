//! The emulator's HTTP handlers: each reads its parameters through extractors that answer a bad request
//! themselves, and returns the answer or an Alibaba-style error.

use std::sync::Arc;

use axum::{
    Extension,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use workspace_model::response::{GetWorkspaceResponse, ListWorkspacesResponse};

use super::{Emulator, ListFilter};
use crate::{
    backend::params::{ListQuery, RegionId, RegionQuery, WorkspaceId},
    guardrails::{Guardrails, audit::Undo},
    http::{
        error::{Answer, ErrorReply},
        extract::{ApiQuery, JsonBody},
    },
    ids,
};

/// `POST /api/v1/workspaces?regionId=…`. The region is checked with the body, in form order, as the model does,
/// and the policy with them. A new workspace's answer carries how to take it back, for the audit log.
pub async fn create(
    State(emulator): State<Emulator>,
    Extension(guardrails): Extension<Guardrails>,
    ApiQuery(query): ApiQuery<RegionQuery>,
    JsonBody(json): JsonBody,
) -> Result<Response, ErrorReply> {
    let (created, fresh) =
        emulator.create(query.region_id.as_deref(), &json, &guardrails.policy)?;
    let id = created.workspace_id.clone();
    let mut response = Answer {
        request_id: created.request_id.clone(),
        body: created,
    }
    .into_response();
    if fresh {
        response
            .extensions_mut()
            .insert(Undo(Arc::new(move || emulator.forget(&id))));
    }
    Ok(response)
}

/// `GET /api/v1/workspaces/{workspaceId}?regionId=…`
pub async fn get(
    State(emulator): State<Emulator>,
    RegionId(region): RegionId,
    WorkspaceId(workspace_id): WorkspaceId,
) -> Result<Answer<GetWorkspaceResponse>, ErrorReply> {
    let workspace = emulator.get(region.id, &workspace_id).ok_or_else(|| {
        ErrorReply::new(
            StatusCode::NOT_FOUND,
            "WorkspaceNotFound",
            format!(
                "workspaceId: no workspace “{workspace_id}” in region {}.",
                region.id
            ),
        )
    })?;
    let request_id = ids::request_id();
    Ok(Answer {
        request_id: request_id.clone(),
        body: GetWorkspaceResponse {
            request_id,
            workspace,
        },
    })
}

/// `GET /api/v1/workspaces?regionId=…[&name=…][&state=…][&resourceGroupId=…][&tag=…][&maxResults=…][&nextToken=…]`
pub async fn list(
    State(emulator): State<Emulator>,
    RegionId(region): RegionId,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Answer<ListWorkspacesResponse>, ErrorReply> {
    let invalid = |name: &str, message: &str| {
        ErrorReply::new(
            StatusCode::BAD_REQUEST,
            format!("InvalidParameter.{name}"),
            format!("{name}: {message}"),
        )
    };
    let max_results = match &query.max_results {
        None => 20,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| invalid("maxResults", "must be a whole number from 1 to 100."))?,
    };
    let offset = match &query.next_token {
        None => 0,
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| invalid("nextToken", "use the nextToken of the previous page."))?,
    };
    let tags = match &query.tag {
        None => Vec::new(),
        Some(v) => parse_tag_filter(v).ok_or_else(|| {
            invalid(
                "tag",
                "must be a JSON array of {\"key\",\"value\"} objects.",
            )
        })?,
    };
    let filter = ListFilter {
        name: query.name,
        state: query.state,
        resource_group_id: query.resource_group_id,
        tags,
    };
    let (page, total) = emulator.page(region.id, &filter, offset, max_results as usize);
    let next = offset + page.len();
    let request_id = ids::request_id();
    Ok(Answer {
        request_id: request_id.clone(),
        body: ListWorkspacesResponse {
            request_id,
            workspaces: page,
            next_token: (next < total).then(|| next.to_string()),
            max_results,
            total_count: total as i64,
        },
    })
}

fn parse_tag_filter(v: &str) -> Option<Vec<(String, String)>> {
    let items: Vec<serde_json::Value> = serde_json::from_str(v).ok()?;
    items
        .iter()
        .map(|item| {
            let key = item.get("key")?.as_str()?.to_owned();
            let value = item
                .get("value")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_owned();
            Some((key, value))
        })
        .collect()
}
