//! Response bodies, in the shapes the official SDK parses.

use serde::{Deserialize, Serialize};

/// The 200 answer to CreateWorkspace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWorkspaceResponse {
    pub workspace_id: String,
    pub operation_id: String,
    pub request_id: String,
}

/// A workspace tag as GetWorkspace and ListWorkspaces report it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceTag {
    pub tag_key: String,
    pub tag_value: String,
}

/// Why a workspace last changed state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateChangeReason {
    pub code: String,
    pub message: String,
}

/// A workspace as GetWorkspace and ListWorkspaces report it. Note the types differ from the create request:
/// here `duration` and `autoRenewPeriod` are integers, `autoRenew` a boolean, `resourceSpec` a string like `8cu`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub workspace_id: String,
    pub workspace_name: String,
    pub region_id: String,
    /// `Starting`, `Running` or `Error`.
    pub workspace_status: String,
    pub resource_spec: String,
    /// The OSS path.
    pub storage: String,
    pub payment_type: String,
    pub payment_status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_duration_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew_period: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew_period_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlf_catalog_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlf_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram_role_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gpu_spec: Vec<String>,
    #[serde(default)]
    pub tags: Vec<WorkspaceTag>,
    /// Milliseconds since the Unix epoch.
    pub create_time: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_change_reason: Option<StateChangeReason>,
}

/// The 200 answer to GetWorkspace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetWorkspaceResponse {
    pub request_id: String,
    pub workspace: Workspace,
}

/// The 200 answer to ListWorkspaces.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListWorkspacesResponse {
    pub request_id: String,
    pub workspaces: Vec<Workspace>,
    /// Present when more pages follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    pub max_results: i64,
    pub total_count: i64,
}
