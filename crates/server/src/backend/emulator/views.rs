//! What GetWorkspace and ListWorkspaces show of a stored workspace: every member SDK 2.3.0 models, and the
//! status it has reached by now.

use workspace_model::{
    FieldKey as K, WorkspaceStatus,
    catalogue::DEFAULT_RAM_ROLE,
    response::{PrePaidQuota, PrePaidQuotaGpu, StateChangeReason, Workspace, WorkspaceTag},
};

use super::{ACCOUNT_ID, Emulator, FAIL_NAME_PREFIX, FAIL_REASON, store::Stored};

impl Emulator {
    /// Where a workspace is now, why, and (for a failed start) the reason it failed.
    pub(super) fn state(&self, w: &Stored) -> (WorkspaceStatus, StateChangeReason, Option<String>) {
        let started =
            self.inner.clock.now().saturating_duration_since(w.created) >= self.inner.startup_delay;
        let fails = w.form.get(K::WorkspaceName).starts_with(FAIL_NAME_PREFIX);
        let reason = |code: &str, message: String| StateChangeReason {
            code: code.to_owned(),
            message,
        };
        match (started, fails) {
            (false, _) => (
                WorkspaceStatus::Starting,
                reason("STARTING", "The workspace is being created.".to_owned()),
                None,
            ),
            (true, false) => (
                WorkspaceStatus::Running,
                reason("0", "Success".to_owned()),
                None,
            ),
            (true, true) => (
                WorkspaceStatus::Terminated,
                reason(
                    "OutOfStock",
                    format!("The workspace could not start: {FAIL_REASON}."),
                ),
                Some(FAIL_REASON.to_owned()),
            ),
        }
    }

    pub(super) fn view(&self, w: &Stored) -> Workspace {
        let f = &w.form;
        let (status, reason, fail_reason) = self.state(w);
        let text = |key| Some(f.get(key).to_owned()).filter(|v| !v.is_empty());
        let int = |key| f.get(key).parse::<i64>().ok();
        let subscription = f.is_subscription();
        let renew = subscription && f.flag(K::AutoRenew);
        let cu = f.get(K::Cu).parse::<i64>().unwrap_or(0);
        let gpu = f.get(K::Gpu).parse::<i64>().unwrap_or(0);
        // A month is 30 days here: close enough for an end date nobody bills by.
        let end_time = subscription
            .then(|| w.create_time_ms + int(K::Duration).unwrap_or(1) * 30 * 86_400_000);
        let instance_id = format!("i-{}", &w.id[2..]);
        Workspace {
            workspace_id: w.id.clone(),
            workspace_name: f.get(K::WorkspaceName).to_owned(),
            workspace_status: status,
            region_id: w.region_id.clone(),
            resource_spec: format!("{}cu", f.get(K::Cu)),
            storage: f.get(K::OssBucket).to_owned(),
            dlf_catalog_id: text(K::DlfCatalogId),
            // The metadata's default for an absent dlfType.
            dlf_type: Some(text(K::DlfType).unwrap_or_else(|| "1.0".to_owned())),
            payment_type: text(K::PaymentType).unwrap_or_else(|| "PayAsYouGo".to_owned()),
            payment_status: "PAID".to_owned(),
            payment_duration_unit: subscription
                .then(|| f.get(K::PaymentDurationUnit).to_uppercase()),
            duration: subscription.then(|| int(K::Duration)).flatten(),
            auto_renew: subscription.then_some(renew),
            auto_renew_period: renew.then(|| int(K::AutoRenewPeriod)).flatten(),
            auto_renew_period_unit: renew.then(|| f.get(K::AutoRenewPeriodUnit).to_uppercase()),
            create_time: w.create_time_ms,
            end_time,
            fail_reason,
            state_change_reason: Some(reason),
            ram_role_name: Some(
                text(K::RamRoleName).unwrap_or_else(|| DEFAULT_RAM_ROLE.to_owned()),
            ),
            release_type: text(K::ReleaseType),
            resource_group_id: text(K::ResourceGroupId),
            resource_owner_id: Some(ACCOUNT_ID.to_owned()),
            gpu_spec: f
                .rows(K::GpuSpec)
                .iter()
                .filter_map(|r| r.first().filter(|v| !v.is_empty()).cloned())
                .collect(),
            ip_white_list: Vec::new(),
            pre_paid_quota: subscription.then(|| PrePaidQuota {
                allocated_resource: resources(cu, cu),
                auto_renewal: renew,
                create_time: w.create_time_ms,
                expire_time: end_time.unwrap_or_default(),
                instance_id: instance_id.clone(),
                max_resource: resources(cu, cu),
                order_id: String::new(),
                payment_status: "NORMAL".to_owned(),
                used_resource: resources(0, 0),
            }),
            pre_paid_quota_gpu: (subscription && gpu > 0)
                .then(|| PrePaidQuotaGpu {
                    auto_renewal: renew,
                    create_time: w.create_time_ms,
                    expire_time: end_time.unwrap_or_default(),
                    gpu_amount: gpu,
                    gpu_num: gpu,
                    instance_id,
                    payment_status: "NORMAL".to_owned(),
                    ..PrePaidQuotaGpu::default()
                })
                .into_iter()
                .collect(),
            tags: f
                .rows(K::Tag)
                .iter()
                .map(|r| WorkspaceTag {
                    tag_key: r.first().cloned().unwrap_or_default(),
                    tag_value: r.get(1).cloned().unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// A quota's resources as the API writes them: JSON text, 1 CU being 1 core and 4 GiB.
fn resources(cu: i64, cpu: i64) -> String {
    format!(r#"{{"cpu":"{cpu}","memory":"{}Gi","cu":"{cu}"}}"#, cpu * 4)
}
