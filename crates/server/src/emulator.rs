//! An in-memory emulator of CreateWorkspace, GetWorkspace and ListWorkspaces.
//!
//! It validates with `workspace-model`, the code the browser runs, and behaves like the real service where a
//! console user would notice: lenient reading, idempotent creation by clientToken, workspaces that start
//! asynchronously (`STARTING`, then `RUNNING`), and Alibaba-style errors. It refuses only on api and console
//! rules, never on a hint (no CU quota: accounts can have theirs raised).
//!
//! A workspace whose name starts with [`FAIL_NAME_PREFIX`] fails to start: after the startup delay it is
//! `TERMINATED` with a `failReason`, so clients can test how they show a failed creation.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use axum::{
    body::Body,
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode},
};
use workspace_model::{
    CreateWorkspaceResponse, FieldKey as K, FormState, WorkspaceStatus,
    catalogue::DEFAULT_RAM_ROLE,
    response::{
        GetWorkspaceResponse, ListWorkspacesResponse, PrePaidQuota, PrePaidQuotaGpu,
        StateChangeReason, Workspace, WorkspaceTag,
    },
};

/// Workspaces whose names start with this fail to start (for testing how a client shows a failure).
pub const FAIL_NAME_PREFIX: &str = "emulator-fail-";
/// The `failReason` of such a workspace: the example in the API metadata.
pub const FAIL_REASON: &str = "out of stock";
/// The account the emulator pretends to be (`resourceOwnerId`).
const ACCOUNT_ID: &str = "1234567890123456";

use crate::{
    api_error::{Answer, ErrorReply},
    ids,
    input::{QueryParams, read_json, region, validate_create},
};

/// The emulator's state. Cheap to clone (an `Arc` inside).
#[derive(Clone)]
pub struct Emulator {
    inner: Arc<Inner>,
}

struct Inner {
    startup_delay: Duration,
    store: Mutex<Store>,
}

/// How much the emulator remembers, so that a long-running server (or a flood of creates) stays within bounded
/// memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capacity {
    /// Workspaces kept; past it, the oldest is forgotten (as if released) to make room for the newest.
    pub workspaces: usize,
    /// clientTokens remembered; past it, the oldest is forgotten.
    pub tokens: usize,
    /// How long a clientToken is remembered: a repeat after this creates a new workspace.
    pub token_ttl: Duration,
}

impl Default for Capacity {
    fn default() -> Capacity {
        Capacity {
            workspaces: 10_000,
            tokens: 10_000,
            token_ttl: Duration::from_secs(24 * 60 * 60),
        }
    }
}

struct Store {
    /// In creation order.
    workspaces: Workspaces,
    /// clientToken → what that token created.
    tokens: TokenStore,
}

/// Workspaces in creation order, at most `cap` of them: the oldest go first.
struct Workspaces {
    cap: usize,
    items: VecDeque<Stored>,
}

impl Workspaces {
    fn push(&mut self, workspace: Stored) {
        while self.items.len() >= self.cap.max(1) {
            self.items.pop_front();
        }
        self.items.push_back(workspace);
    }

    fn iter(&self) -> std::collections::vec_deque::Iter<'_, Stored> {
        self.items.iter()
    }
}

/// clientToken entries that expire after `ttl`, at most `cap` of them.
struct TokenStore {
    cap: usize,
    ttl: Duration,
    entries: HashMap<String, (Instant, TokenEntry)>,
    /// Tokens in insertion order with their time, so expired and oldest entries are found at the front.
    order: VecDeque<(Instant, String)>,
}

impl TokenStore {
    /// The entry of an unexpired token.
    fn get(&self, token: &str) -> Option<&TokenEntry> {
        self.entries
            .get(token)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, entry)| entry)
    }

    fn insert(&mut self, token: String, entry: TokenEntry) {
        let now = Instant::now();
        // An entry is removed through its own order record only; a token inserted again after expiring has a newer
        // record, and its older one must not remove the new entry.
        while let Some((at, _)) = self.order.front() {
            let expired = now.saturating_duration_since(*at) >= self.ttl;
            if !expired && self.entries.len() < self.cap.max(1) {
                break;
            }
            if let Some((at, old)) = self.order.pop_front()
                && self.entries.get(&old).is_some_and(|(t, _)| *t == at)
            {
                self.entries.remove(&old);
            }
        }
        self.order.push_back((now, token.clone()));
        self.entries.insert(token, (now, entry));
    }

    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// ListWorkspaces' filters, applied to stored workspaces before any is copied.
#[derive(Debug, Default)]
pub struct ListFilter {
    /// Part of the name, any case.
    pub name: Option<String>,
    /// `Starting` or `Running`, any case.
    pub state: Option<String>,
    pub resource_group_id: Option<String>,
    /// Tags the workspace must carry; an empty value matches any value.
    pub tags: Vec<(String, String)>,
}

struct Stored {
    id: String,
    region_id: String,
    /// What was validated: the values that apply are what the workspace was created with.
    form: FormState,
    created: Instant,
    create_time_ms: i64,
}

struct TokenEntry {
    /// The region and the normalized body: a repeat must match it to get the same workspace back.
    fingerprint: String,
    workspace_id: String,
    operation_id: String,
}

impl Emulator {
    /// A new, empty emulator; workspaces report `STARTING` for `startup_delay`, then `RUNNING`.
    pub fn new(startup_delay: Duration) -> Emulator {
        Emulator::with_capacity(startup_delay, Capacity::default())
    }

    /// A new, empty emulator that remembers at most what `capacity` says.
    pub fn with_capacity(startup_delay: Duration, capacity: Capacity) -> Emulator {
        Emulator {
            inner: Arc::new(Inner {
                startup_delay,
                store: Mutex::new(Store {
                    workspaces: Workspaces {
                        cap: capacity.workspaces,
                        items: VecDeque::new(),
                    },
                    tokens: TokenStore {
                        cap: capacity.tokens,
                        ttl: capacity.token_ttl,
                        entries: HashMap::new(),
                        order: VecDeque::new(),
                    },
                }),
            }),
        }
    }

    /// How many workspaces and clientTokens are stored.
    pub fn stored(&self) -> (usize, usize) {
        let store = self.store();
        (store.workspaces.items.len(), store.tokens.len())
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave the store half-written (every write is one push or
        // insert), so a poisoned lock is still safe to use.
        self.inner
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Creates a workspace, or returns the one an identical earlier request with the same clientToken created.
    pub fn create(
        &self,
        region_id: Option<&str>,
        body: &serde_json::Value,
    ) -> Result<CreateWorkspaceResponse, ErrorReply> {
        let (form, valid) = validate_create(region_id, body)?;
        let fingerprint = format!("{}\n{}", valid.region_id, valid.body.to_json());

        // One lock around check-and-insert: concurrent requests with one token create one workspace.
        let mut store = self.store();
        let token = Some(form.get(K::ClientToken)).filter(|t| !t.is_empty());
        if let Some(token) = token
            && let Some(entry) = store.tokens.get(token)
        {
            if entry.fingerprint != fingerprint {
                return Err(ErrorReply::new(
                    StatusCode::BAD_REQUEST,
                    "IdempotentParameterMismatch",
                    "clientToken: this token was already used for a request with different parameters. \
                     Use a new token for a different workspace.",
                ));
            }
            return Ok(CreateWorkspaceResponse {
                workspace_id: entry.workspace_id.clone(),
                operation_id: entry.operation_id.clone(),
                request_id: ids::request_id(),
            });
        }
        let workspace_id = ids::workspace_id();
        let operation_id = ids::operation_id();
        if let Some(token) = token {
            store.tokens.insert(
                token.to_owned(),
                TokenEntry {
                    fingerprint,
                    workspace_id: workspace_id.clone(),
                    operation_id: operation_id.clone(),
                },
            );
        }
        store.workspaces.push(Stored {
            id: workspace_id.clone(),
            region_id: valid.region_id,
            form,
            created: Instant::now(),
            create_time_ms: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or_default(),
        });
        Ok(CreateWorkspaceResponse {
            workspace_id,
            operation_id,
            request_id: ids::request_id(),
        })
    }

    /// The workspace with this id in this region.
    pub fn get(&self, region_id: &str, workspace_id: &str) -> Option<Workspace> {
        let store = self.store();
        store
            .workspaces
            .iter()
            .find(|w| w.id == workspace_id && w.region_id == region_id)
            .map(|w| self.view(w))
    }

    /// Every workspace of a region, newest first.
    pub fn list(&self, region_id: &str) -> Vec<Workspace> {
        let store = self.store();
        store
            .workspaces
            .iter()
            .rev()
            .filter(|w| w.region_id == region_id)
            .map(|w| self.view(w))
            .collect()
    }

    /// One page of a region's workspaces, newest first, that pass `filter`, and how many pass in all. Filters and
    /// counts over the stored workspaces and copies only the page.
    pub fn page(
        &self,
        region_id: &str,
        filter: &ListFilter,
        offset: usize,
        max_results: usize,
    ) -> (Vec<Workspace>, usize) {
        let store = self.store();
        let mut total = 0;
        let mut page = Vec::with_capacity(max_results.min(100));
        for w in store
            .workspaces
            .iter()
            .rev()
            .filter(|w| w.region_id == region_id && self.passes(w, filter))
        {
            if total >= offset && page.len() < max_results {
                page.push(self.view(w));
            }
            total += 1;
        }
        (page, total)
    }

    fn passes(&self, w: &Stored, filter: &ListFilter) -> bool {
        let f = &w.form;
        filter
            .name
            .as_deref()
            .is_none_or(|n| contains_ignoring_case(f.get(K::WorkspaceName), n))
            // The status `view` shows, so a filter and what it lists agree.
            && filter
                .state
                .as_deref()
                .is_none_or(|s| self.state(w).0.as_str().eq_ignore_ascii_case(s))
            && filter
                .resource_group_id
                .as_deref()
                .is_none_or(|g| f.get(K::ResourceGroupId) == g)
            && filter.tags.iter().all(|(k, v)| {
                f.rows(K::Tag).iter().any(|t| {
                    t.first() == Some(k) && (v.is_empty() || t.get(1) == Some(v))
                })
            })
    }

    /// Where a workspace is now, why, and (for a failed start) the reason it failed.
    fn state(&self, w: &Stored) -> (WorkspaceStatus, StateChangeReason, Option<String>) {
        let started = w.created.elapsed() >= self.inner.startup_delay;
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

    fn view(&self, w: &Stored) -> Workspace {
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

/// `POST /api/v1/workspaces?regionId=…`
pub async fn create_handler(
    State(emulator): State<Emulator>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Answer<CreateWorkspaceResponse>, ErrorReply> {
    let query = QueryParams::parse(raw.as_deref());
    let (_, json) = read_json(&headers, body).await?;
    let created = emulator.create(query.get("regionId"), &json)?;
    Ok(Answer {
        request_id: created.request_id.clone(),
        body: created,
    })
}

/// `GET /api/v1/workspaces/{workspaceId}?regionId=…`
pub async fn get_handler(
    State(emulator): State<Emulator>,
    Path(workspace_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Answer<GetWorkspaceResponse>, ErrorReply> {
    let query = QueryParams::parse(raw.as_deref());
    let region_id = region(&query)?;
    let workspace = emulator.get(region_id, &workspace_id).ok_or_else(|| {
        ErrorReply::new(
            StatusCode::NOT_FOUND,
            "WorkspaceNotFound",
            format!("workspaceId: no workspace “{workspace_id}” in region {region_id}."),
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

/// `GET /api/v1/workspaces?regionId=…[&name=…][&state=…][&resourceGroupId=…][&maxResults=…][&nextToken=…]`
pub async fn list_handler(
    State(emulator): State<Emulator>,
    RawQuery(raw): RawQuery,
) -> Result<Answer<ListWorkspacesResponse>, ErrorReply> {
    let query = QueryParams::parse(raw.as_deref());
    let region_id = region(&query)?;
    let max_results = match query.get("maxResults") {
        None => 20,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| {
                ErrorReply::new(
                    StatusCode::BAD_REQUEST,
                    "InvalidParameter.maxResults",
                    "maxResults: must be a whole number from 1 to 100.",
                )
            })?,
    };
    let offset = match query.get("nextToken") {
        None => 0,
        Some(v) => v.parse::<usize>().map_err(|_| {
            ErrorReply::new(
                StatusCode::BAD_REQUEST,
                "InvalidParameter.nextToken",
                "nextToken: use the nextToken of the previous page.",
            )
        })?,
    };
    let tags: Vec<(String, String)> = match query.get("tag") {
        None => Vec::new(),
        Some(v) => parse_tag_filter(v).ok_or_else(|| {
            ErrorReply::new(
                StatusCode::BAD_REQUEST,
                "InvalidParameter.tag",
                "tag: must be a JSON array of {\"key\",\"value\"} objects.",
            )
        })?,
    };
    let filter = ListFilter {
        name: query.get("name").map(str::to_owned),
        state: query.get("state").map(str::to_owned),
        resource_group_id: query.get("resourceGroupId").map(str::to_owned),
        tags,
    };
    let (page, total) = emulator.page(region_id, &filter, offset, max_results as usize);
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

/// Whether `haystack` contains `needle`, ignoring case (Unicode lower case, as the name filter always did).
fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    if haystack.is_ascii() && needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        return n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(&needle.to_lowercase())
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
