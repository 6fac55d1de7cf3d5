//! What the emulator remembers: workspaces in creation order, and the clientTokens that created them.

use std::{collections::VecDeque, time::Instant};

use workspace_model::FormState;

use crate::expiring::ExpiringStore;

pub(super) struct Store {
    /// In creation order.
    pub workspaces: Workspaces,
    /// clientToken → what that token created.
    pub tokens: ExpiringStore<TokenEntry>,
}

/// Workspaces in creation order, at most `cap` of them: the oldest go first.
pub(super) struct Workspaces {
    pub cap: usize,
    pub items: VecDeque<Stored>,
}

impl Workspaces {
    pub fn push(&mut self, workspace: Stored) {
        while self.items.len() >= self.cap.max(1) {
            self.items.pop_front();
        }
        self.items.push_back(workspace);
    }

    pub fn iter(&self) -> std::collections::vec_deque::Iter<'_, Stored> {
        self.items.iter()
    }
}

pub(super) struct Stored {
    pub id: String,
    pub region_id: String,
    /// What was validated: the values that apply are what the workspace was created with.
    pub form: FormState,
    pub created: Instant,
    pub create_time_ms: i64,
}

pub(super) struct TokenEntry {
    /// The region and the normalized body: a repeat must match it to get the same workspace back.
    pub fingerprint: String,
    pub workspace_id: String,
    pub operation_id: String,
}
