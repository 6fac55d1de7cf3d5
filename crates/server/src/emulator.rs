//! An in-memory emulator of CreateWorkspace, GetWorkspace and ListWorkspaces.
//!
//! It validates with `workspace-model`, the code the browser runs, and behaves like the real service where a
//! console user would notice: idempotent creation by clientToken, workspaces that start asynchronously, the
//! default account CU quota enforced, and Alibaba-style errors.

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
    CreateWorkspaceRequest, CreateWorkspaceResponse,
    response::{
        GetWorkspaceResponse, ListWorkspacesResponse, StateChangeReason, Workspace, WorkspaceTag,
    },
    warnings,
};

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
    body: CreateWorkspaceRequest,
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
    /// A new, empty emulator; workspaces report `Starting` for `startup_delay`, then `Running`.
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
        // The emulated account has the default quota, so what the form only warns about is refused here.
        if let Some(above) = warnings(&form).first() {
            return Err(ErrorReply::field(above));
        }
        let fingerprint = format!("{}\n{}", valid.region_id, valid.body.to_json());

        // One lock around check-and-insert: concurrent requests with one token create one workspace.
        let mut store = self.store();
        if let Some(token) = &valid.body.client_token
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
        if let Some(token) = &valid.body.client_token {
            store.tokens.insert(
                token.clone(),
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
            body: valid.body,
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
        let b = &w.body;
        let name = b.workspace_name.as_deref().unwrap_or_default();
        filter
            .name
            .as_deref()
            .is_none_or(|n| contains_ignoring_case(name, n))
            && filter.state.as_deref().is_none_or(|s| {
                // The same clock `view` reads, so a filter and the status it shows agree.
                let running = w.created.elapsed() >= self.inner.startup_delay;
                s.eq_ignore_ascii_case(if running { "Running" } else { "Starting" })
            })
            && filter
                .resource_group_id
                .as_deref()
                .is_none_or(|g| b.resource_group_id.as_deref() == Some(g))
            && filter.tags.iter().all(|(k, v)| {
                b.tag.iter().any(|t| {
                    &t.key == k && (v.is_empty() || t.value.as_deref().unwrap_or_default() == v)
                })
            })
    }

    fn view(&self, w: &Stored) -> Workspace {
        let running = w.created.elapsed() >= self.inner.startup_delay;
        let b = &w.body;
        let int = |s: &Option<String>| s.as_deref().and_then(|v| v.parse().ok());
        Workspace {
            workspace_id: w.id.clone(),
            workspace_name: b.workspace_name.clone().unwrap_or_default(),
            region_id: w.region_id.clone(),
            workspace_status: if running { "Running" } else { "Starting" }.to_owned(),
            resource_spec: format!(
                "{}cu",
                b.resource_spec
                    .as_ref()
                    .and_then(|r| r.cu.as_deref())
                    .unwrap_or("0")
            ),
            storage: b.oss_bucket.clone().unwrap_or_default(),
            payment_type: b.payment_type.clone().unwrap_or_default(),
            payment_status: "PAID".to_owned(),
            payment_duration_unit: b.payment_duration_unit.clone(),
            duration: int(&b.duration),
            auto_renew: b.auto_renew.as_deref().map(|v| v == "true"),
            auto_renew_period: int(&b.auto_renew_period),
            auto_renew_period_unit: b.auto_renew_period_unit.clone(),
            dlf_catalog_id: b.dlf_catalog_id.clone(),
            dlf_type: b.dlf_type.clone(),
            release_type: b.release_type.clone(),
            resource_group_id: b.resource_group_id.clone(),
            ram_role_name: b.ram_role_name.clone(),
            gpu_spec: b.gpu_spec.clone(),
            tags: b
                .tag
                .iter()
                .map(|t| WorkspaceTag {
                    tag_key: t.key.clone(),
                    tag_value: t.value.clone().unwrap_or_default(),
                })
                .collect(),
            create_time: w.create_time_ms,
            state_change_reason: Some(if running {
                StateChangeReason {
                    code: "0".to_owned(),
                    message: "Success".to_owned(),
                }
            } else {
                StateChangeReason {
                    code: "Starting".to_owned(),
                    message: "The workspace is being created.".to_owned(),
                }
            }),
        }
    }
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
