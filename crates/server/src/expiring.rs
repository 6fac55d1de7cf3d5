//! [`ExpiringStore`]: keys remembered for a while, at most so many of them. The emulator's clientTokens and
//! `--verify-key`'s nonces are both this, so that neither a long run nor a flood grows memory without bound.

use std::{
    collections::{HashMap, VecDeque},
    time::{Duration, Instant},
};

use crate::clock::Clock;

/// Entries that expire `ttl` after they were inserted; past `cap`, the oldest is forgotten first. Not
/// synchronised: its owner keeps it behind a lock, with whatever else must change in the same step.
pub struct ExpiringStore<V> {
    cap: usize,
    ttl: Duration,
    clock: Clock,
    entries: HashMap<String, (Instant, V)>,
    /// Keys in insertion order with their time, so expired and oldest entries are found at the front.
    order: VecDeque<(Instant, String)>,
}

impl<V> ExpiringStore<V> {
    pub fn new(cap: usize, ttl: Duration, clock: Clock) -> ExpiringStore<V> {
        ExpiringStore {
            cap: cap.max(1),
            ttl,
            clock,
            entries: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// The value of an unexpired key.
    pub fn get(&self, key: &str) -> Option<&V> {
        let now = self.clock.now();
        self.entries
            .get(key)
            .filter(|(at, _)| now.saturating_duration_since(*at) < self.ttl)
            .map(|(_, value)| value)
    }

    /// Remembers `key` from now, replacing an earlier entry; first forgets the expired entries, and the oldest
    /// while the store is full.
    pub fn insert(&mut self, key: String, value: V) {
        let now = self.clock.now();
        // An entry is removed through its own order record only: a key inserted again has a newer record, and
        // its older one must not remove the new entry.
        while let Some((at, _)) = self.order.front() {
            let expired = now.saturating_duration_since(*at) >= self.ttl;
            if !expired && self.entries.len() < self.cap {
                break;
            }
            if let Some((at, old)) = self.order.pop_front()
                && self.entries.get(&old).is_some_and(|(t, _)| *t == at)
            {
                self.entries.remove(&old);
            }
        }
        self.order.push_back((now, key.clone()));
        self.entries.insert(key, (now, value));
    }

    /// Inserts `key` unless it is there unexpired; `true` when it was new.
    pub fn insert_new(&mut self, key: &str, value: V) -> bool {
        if self.get(key).is_some() {
            return false;
        }
        self.insert(key.to_owned(), value);
        true
    }

    /// Forgets a key (its order record stays, and is skipped when its turn comes).
    pub fn remove(&mut self, key: &str) {
        self.entries.remove(key);
    }

    /// How many entries are held (expired ones included until an insert prunes them).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_after_the_ttl_and_are_pruned_by_inserts() {
        let clock = Clock::manual();
        let mut store = ExpiringStore::new(10, Duration::from_secs(60), clock.clone());
        assert!(store.insert_new("a", ()));
        clock.advance(Duration::from_secs(30));
        assert!(store.insert_new("b", ()));
        clock.advance(Duration::from_secs(29));
        assert!(!store.insert_new("a", ()), "still remembered at 59 s");
        clock.advance(Duration::from_secs(1));
        assert!(store.get("a").is_none(), "expired at 60 s");
        assert_eq!(store.len(), 2, "kept until an insert prunes it");
        assert!(store.insert_new("c", ()));
        assert_eq!(store.len(), 2, "a was pruned; b and c remain");
        assert!(store.get("b").is_some());
        assert!(store.insert_new("a", ()), "an expired key is new again");
    }

    #[test]
    fn past_the_cap_the_oldest_go_first() {
        let mut store = ExpiringStore::new(3, Duration::from_secs(3600), Clock::manual());
        for (i, key) in ["a", "b", "c", "d", "e"].into_iter().enumerate() {
            store.insert(key.to_owned(), i);
        }
        assert_eq!(store.len(), 3);
        assert_eq!(
            ["a", "b", "c", "d", "e"].map(|k| store.get(k).copied()),
            [None, None, Some(2), Some(3), Some(4)]
        );
    }

    // A key inserted again has two order records; when the older one expires it must not remove the new entry.
    #[test]
    fn a_reinserted_key_survives_its_old_record() {
        let clock = Clock::manual();
        let mut store = ExpiringStore::new(10, Duration::from_secs(10), clock.clone());
        store.insert("t".to_owned(), 1);
        clock.advance(Duration::from_secs(5));
        store.insert("t".to_owned(), 2);
        clock.advance(Duration::from_secs(6));
        store.insert("u".to_owned(), 3);
        assert_eq!(store.get("t"), Some(&2));
        assert_eq!(store.len(), 2);
    }
}
