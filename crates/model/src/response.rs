//! Response bodies, in the shapes and types the official SDK 2.3.0 parses
//! (`models/_get_workspace_response_body.py`, `models/_list_workspaces_response_body.py`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The 200 answer to CreateWorkspace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWorkspaceResponse {
    pub workspace_id: String,
    pub operation_id: String,
    pub request_id: String,
}

/// Where a workspace is in its life. Alibaba reports upper case (`STARTING`, `RUNNING`, `TERMINATED`); anything
/// else is kept as the text it came as. Parsing ignores case.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum WorkspaceStatus {
    Starting,
    Running,
    Terminating,
    Terminated,
    Failed,
    Other(String),
}

impl WorkspaceStatus {
    pub fn parse(s: &str) -> WorkspaceStatus {
        let known = [
            WorkspaceStatus::Starting,
            WorkspaceStatus::Running,
            WorkspaceStatus::Terminating,
            WorkspaceStatus::Terminated,
            WorkspaceStatus::Failed,
        ];
        known
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .unwrap_or_else(|| WorkspaceStatus::Other(s.to_owned()))
    }

    /// The wire form (upper case for the known states).
    pub fn as_str(&self) -> &str {
        match self {
            WorkspaceStatus::Starting => "STARTING",
            WorkspaceStatus::Running => "RUNNING",
            WorkspaceStatus::Terminating => "TERMINATING",
            WorkspaceStatus::Terminated => "TERMINATED",
            WorkspaceStatus::Failed => "FAILED",
            WorkspaceStatus::Other(s) => s,
        }
    }

    /// Whether the workspace will not change state on its own any more. An unknown state counts as final, so
    /// a follow-up never polls forever on a word it does not know.
    pub fn is_final(&self) -> bool {
        !matches!(
            self,
            WorkspaceStatus::Starting | WorkspaceStatus::Terminating
        )
    }
}

impl fmt::Display for WorkspaceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for WorkspaceStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for WorkspaceStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| WorkspaceStatus::parse(&s))
    }
}

/// A workspace tag as GetWorkspace and ListWorkspaces report it (`tagKey`/`tagValue`, not the request's
/// `key`/`value`).
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

/// The subscription's CU quota (`prePaidQuota`); resources are JSON text such as `{"cpu":"4","memory":"16Gi","cu":"4"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrePaidQuota {
    pub allocated_resource: String,
    pub auto_renewal: bool,
    pub create_time: i64,
    pub expire_time: i64,
    pub instance_id: String,
    pub max_resource: String,
    pub order_id: String,
    pub payment_status: String,
    pub used_resource: String,
}

/// One GPU quota of a subscription (`prePaidQuotaGpu[]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrePaidQuotaGpu {
    pub auto_renewal: bool,
    pub cpu_core_count: String,
    pub create_time: i64,
    pub expire_time: i64,
    pub gpu_amount: i64,
    pub gpu_machine_num: i64,
    pub gpu_memory_size: i64,
    pub gpu_num: i64,
    pub gpu_spec: String,
    pub instance_id: String,
    pub instance_type_family: String,
    pub instance_type_id: String,
    pub memory_size: String,
    pub order_id: String,
    pub payment_status: String,
}

/// A workspace as GetWorkspace and ListWorkspaces report it, with every member SDK 2.3.0 models, in its types:
/// `resourceSpec` is a string like `8cu`, `duration`/`autoRenewPeriod`/`createTime`/`endTime` integers,
/// `autoRenew` a boolean. (ListWorkspaces' model has no `ramRoleName` or `resourceOwnerId`; the SDK ignores
/// them there.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    pub workspace_id: String,
    pub workspace_name: String,
    pub workspace_status: WorkspaceStatus,
    pub region_id: String,
    pub resource_spec: String,
    /// The OSS path.
    pub storage: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlf_catalog_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlf_type: Option<String>,
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
    /// Milliseconds since the Unix epoch.
    pub create_time: i64,
    /// When a subscription ends, in milliseconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<i64>,
    /// Why a workspace failed to start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_change_reason: Option<StateChangeReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram_role_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_owner_id: Option<String>,
    #[serde(default)]
    pub gpu_spec: Vec<String>,
    #[serde(default)]
    pub ip_white_list: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_paid_quota: Option<PrePaidQuota>,
    #[serde(default)]
    pub pre_paid_quota_gpu: Vec<PrePaidQuotaGpu>,
    #[serde(default)]
    pub tags: Vec<WorkspaceTag>,
}

/// The 200 answer to GetWorkspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetWorkspaceResponse {
    pub request_id: String,
    pub workspace: Workspace,
}

/// The 200 answer to ListWorkspaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::FieldKey;

    /// Where GetWorkspace reports each request parameter: the member of [`Workspace`] that carries it, or `None`
    /// when the API does not echo it. A `match`, so a new parameter does not compile until this is decided; the
    /// emulator's view (`Emulator::view` in crates/server) then fills that member.
    fn reported_as(key: FieldKey) -> Option<&'static str> {
        use FieldKey as K;
        match key {
            K::RegionId => Some("regionId"),
            K::WorkspaceName => Some("workspaceName"),
            // As "8cu".
            K::Cu => Some("resourceSpec"),
            // Only as a subscription's GPU quota.
            K::Gpu => Some("prePaidQuotaGpu"),
            K::GpuSpec => Some("gpuSpec"),
            K::OssBucket => Some("storage"),
            K::DlfType => Some("dlfType"),
            K::DlfCatalogId => Some("dlfCatalogId"),
            K::PaymentType => Some("paymentType"),
            K::Duration => Some("duration"),
            K::PaymentDurationUnit => Some("paymentDurationUnit"),
            K::AutoRenew => Some("autoRenew"),
            K::AutoRenewPeriod => Some("autoRenewPeriod"),
            K::AutoRenewPeriodUnit => Some("autoRenewPeriodUnit"),
            K::RamRoleName => Some("ramRoleName"),
            K::ResourceGroupId => Some("resourceGroupId"),
            K::Tag => Some("tags"),
            K::ReleaseType => Some("releaseType"),
            K::AutoStartSessionCluster | K::ClientToken => None,
        }
    }

    #[test]
    fn every_reported_parameter_has_its_member_in_workspace() {
        let some = || Some(String::from("x"));
        let workspace = Workspace {
            workspace_id: String::new(),
            workspace_name: String::new(),
            workspace_status: WorkspaceStatus::Running,
            region_id: String::new(),
            resource_spec: String::new(),
            storage: String::new(),
            dlf_catalog_id: some(),
            dlf_type: some(),
            payment_type: String::new(),
            payment_status: String::new(),
            payment_duration_unit: some(),
            duration: Some(1),
            auto_renew: Some(true),
            auto_renew_period: Some(1),
            auto_renew_period_unit: some(),
            create_time: 0,
            end_time: Some(0),
            fail_reason: some(),
            state_change_reason: Some(StateChangeReason::default()),
            ram_role_name: some(),
            release_type: some(),
            resource_group_id: some(),
            resource_owner_id: some(),
            gpu_spec: Vec::new(),
            ip_white_list: Vec::new(),
            pre_paid_quota: Some(PrePaidQuota::default()),
            pre_paid_quota_gpu: Vec::new(),
            tags: Vec::new(),
        };
        let value = serde_json::to_value(&workspace).unwrap();
        let members = value.as_object().unwrap();
        for key in FieldKey::ALL {
            if let Some(member) = reported_as(key) {
                assert!(
                    members.contains_key(member),
                    "{key:?} is reported as {member}, which Workspace does not have"
                );
            }
        }
    }

    #[test]
    fn statuses_parse_in_any_case_and_keep_unknown_words() {
        assert_eq!(
            WorkspaceStatus::parse("STARTING"),
            WorkspaceStatus::Starting
        );
        assert_eq!(WorkspaceStatus::parse("Running"), WorkspaceStatus::Running);
        assert_eq!(
            WorkspaceStatus::parse("terminated"),
            WorkspaceStatus::Terminated
        );
        assert_eq!(
            WorkspaceStatus::parse("TERMINATING"),
            WorkspaceStatus::Terminating
        );
        assert_eq!(WorkspaceStatus::parse("failed"), WorkspaceStatus::Failed);
        let other = WorkspaceStatus::parse("UPGRADING");
        assert_eq!(other, WorkspaceStatus::Other("UPGRADING".into()));
        assert_eq!(other.as_str(), "UPGRADING");
        assert_eq!(WorkspaceStatus::Running.to_string(), "RUNNING");
    }

    #[test]
    fn only_starting_and_terminating_are_passing_states() {
        assert!(!WorkspaceStatus::Starting.is_final());
        assert!(!WorkspaceStatus::Terminating.is_final());
        for s in ["RUNNING", "TERMINATED", "FAILED", "UPGRADING", ""] {
            assert!(WorkspaceStatus::parse(s).is_final(), "{s}");
        }
    }

    #[test]
    fn statuses_serialize_as_their_wire_words() {
        let json = serde_json::to_string(&WorkspaceStatus::Starting).unwrap();
        assert_eq!(json, "\"STARTING\"");
        let back: WorkspaceStatus = serde_json::from_str("\"running\"").unwrap();
        assert_eq!(back, WorkspaceStatus::Running);
    }
}
