//! An in-memory emulator of CreateWorkspace, GetWorkspace and ListWorkspaces, and of the account listings
//! ([`account`]: buckets, catalogs and roles from `--fixtures FILE` or the demo account).
//!
//! It validates with `workspace-model`, the code the browser runs, and behaves like the real service where a
//! console user would notice: lenient reading, idempotent creation by clientToken, workspaces that start
//! asynchronously (`STARTING`, then `RUNNING`), and Alibaba-style errors. It refuses only on api and console
//! rules, never on a hint (no CU quota: accounts can have theirs raised).
//!
//! A workspace whose name starts with [`FAIL_NAME_PREFIX`] fails to start: after the startup delay it is
//! `TERMINATED` with a `failReason`, so clients can test how they show a failed creation.

pub mod account;
pub mod faults;
pub mod fixtures;
pub mod handlers;
mod store;
mod views;

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::http::StatusCode;
use serde_json::Value;
use workspace_model::{CreateWorkspaceResponse, FieldKey as K, Policy, response::Workspace};

use crate::{
    backend::params::validate_create, clock::Clock, expiring::ExpiringStore,
    http::error::ErrorReply, ids,
};
use store::{Store, Stored, TokenEntry, Workspaces};

/// Workspaces whose names start with this fail to start (for testing how a client shows a failure).
pub const FAIL_NAME_PREFIX: &str = "emulator-fail-";
/// The `failReason` of such a workspace: the example in the API metadata.
pub const FAIL_REASON: &str = "out of stock";
/// The account the emulator pretends to be (`resourceOwnerId`).
const ACCOUNT_ID: &str = "1234567890123456";

/// The emulator's state. Cheap to clone (an `Arc` inside).
#[derive(Clone)]
pub struct Emulator {
    inner: Arc<Inner>,
    /// What the account listings answer from (`--fixtures FILE`, or the demo account).
    account: Arc<fixtures::Account>,
}

struct Inner {
    startup_delay: Duration,
    clock: Clock,
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

impl Emulator {
    /// A new, empty emulator; workspaces report `STARTING` for `startup_delay`, then `RUNNING`.
    pub fn new(startup_delay: Duration) -> Emulator {
        Emulator::with_capacity(startup_delay, Capacity::default())
    }

    /// A new, empty emulator that remembers at most what `capacity` says.
    pub fn with_capacity(startup_delay: Duration, capacity: Capacity) -> Emulator {
        Emulator::with_clock(startup_delay, capacity, Clock::system())
    }

    /// A new, empty emulator whose startups and token expiry follow `clock` (a test's [`Clock::manual`]).
    pub fn with_clock(startup_delay: Duration, capacity: Capacity, clock: Clock) -> Emulator {
        Emulator {
            account: Arc::new(fixtures::Account::demo()),
            inner: Arc::new(Inner {
                startup_delay,
                store: Mutex::new(Store {
                    workspaces: Workspaces {
                        cap: capacity.workspaces,
                        items: VecDeque::new(),
                    },
                    tokens: ExpiringStore::new(capacity.tokens, capacity.token_ttl, clock.clone()),
                }),
                clock,
            }),
        }
    }

    /// This emulator answering the account listings from `account` instead of the demo account.
    pub fn with_account(mut self, account: fixtures::Account) -> Emulator {
        self.account = Arc::new(account);
        self
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

    /// Creates a workspace, or returns the one an identical earlier request with the same clientToken created;
    /// `true` when it is new. A request the rules or the policy refuse creates nothing.
    pub fn create(
        &self,
        region_id: Option<&str>,
        body: &Value,
        policy: &Policy,
    ) -> Result<(CreateWorkspaceResponse, bool), ErrorReply> {
        let checked = validate_create(region_id, body, policy)?;
        let (form, valid) = (checked.form, checked.valid);
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
            return Ok((
                CreateWorkspaceResponse {
                    workspace_id: entry.workspace_id.clone(),
                    operation_id: entry.operation_id.clone(),
                    request_id: ids::request_id(),
                },
                false,
            ));
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
            created: self.inner.clock.now(),
            create_time_ms: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or_default(),
        });
        Ok((
            CreateWorkspaceResponse {
                workspace_id,
                operation_id,
                request_id: ids::request_id(),
            },
            true,
        ))
    }

    /// Takes back a workspace just created (its audit line could not be written): the workspace and the
    /// clientToken that named it, so a retry creates it anew.
    pub fn forget(&self, workspace_id: &str) {
        let mut store = self.store();
        let Some(at) = store
            .workspaces
            .items
            .iter()
            .position(|w| w.id == workspace_id)
        else {
            return;
        };
        let gone = store.workspaces.items.remove(at);
        let token = gone.map(|w| w.form.get(K::ClientToken).to_owned());
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            store.tokens.remove(&token);
        }
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
}

/// Whether `haystack` contains `needle`, ignoring case (Unicode lower case, as the name filter always did).
fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    if haystack.is_ascii() && needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        return n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(&needle.to_lowercase())
}
