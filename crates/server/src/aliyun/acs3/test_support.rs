//! Helpers shared by the acs3 unit tests.

use std::{cell::RefCell, collections::HashSet};

pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Header lookup over a captured list, case-insensitive as HTTP is.
pub fn lookup(headers: &[(String, String)]) -> impl Fn(&str) -> Option<String> + '_ {
    move |name| {
        let values: Vec<&str> = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    }
}

pub fn secret_of<'a>(id: &'a str, secret: &'a str) -> impl Fn(&str) -> Option<String> + 'a {
    move |ak| (ak == id).then(|| secret.to_string())
}

/// A nonce store like the server's: remembers every nonce it is asked about.
pub fn nonce_store() -> RefCell<HashSet<String>> {
    RefCell::new(HashSet::new())
}

pub fn seen(store: &RefCell<HashSet<String>>) -> impl FnMut(&str) -> bool + '_ {
    move |nonce| !store.borrow_mut().insert(nonce.to_string())
}
