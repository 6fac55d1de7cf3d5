//! Signature verification for the emulator (`--verify-key ID:SECRET`): every `/api` request must carry a valid
//! ACS3-HMAC-SHA256 signature, as Alibaba's gateway requires. Uses [`acs3::verify`], the same code the gateway
//! signs with, so a test that passes here proves the gateway's (and the SDKs') signatures are right.

use std::{
    collections::{HashSet, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use axum::{
    body::Body,
    extract::{OriginalUri, Request, State},
    http::{HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{
    acs3::{self, Credentials, IncomingRequest, VerifyError},
    api_error::ErrorReply,
    input::read_limited,
};

/// How long a nonce is remembered: a request is accepted while its date is within the skew of the server clock
/// in either direction, so a nonce first seen now could be replayed, still in date, for up to twice the skew.
pub const NONCE_TTL: Duration = Duration::from_secs(2 * acs3::MAX_CLOCK_SKEW_SECONDS + 60);

/// Nonces seen in the last [`NONCE_TTL`]; thread-safe, pruned as it is used.
pub struct NonceStore {
    ttl: Duration,
    inner: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    set: HashSet<String>,
    /// In the order they were first seen, so expired ones are at the front.
    order: VecDeque<(Instant, String)>,
}

impl NonceStore {
    pub fn new(ttl: Duration) -> NonceStore {
        NonceStore {
            ttl,
            inner: Mutex::new(Seen::default()),
        }
    }

    /// Records `nonce` at `now`; `true` if it had been seen within the TTL.
    pub fn seen_at(&self, nonce: &str, now: Instant) -> bool {
        // Every write below keeps set and order consistent before anything can panic, so a poisoned lock is
        // still usable.
        let mut seen = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        while let Some((at, _)) = seen.order.front() {
            if now.saturating_duration_since(*at) < self.ttl {
                break;
            }
            if let Some((_, old)) = seen.order.pop_front() {
                seen.set.remove(&old);
            }
        }
        if seen.set.contains(nonce) {
            return true;
        }
        seen.set.insert(nonce.to_owned());
        seen.order.push_back((now, nonce.to_owned()));
        false
    }

    pub fn seen(&self, nonce: &str) -> bool {
        self.seen_at(nonce, Instant::now())
    }

    /// How many nonces are remembered.
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .set
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The key requests must be signed with, and the nonces already used.
#[derive(Clone)]
pub struct Verifier {
    key: Credentials,
    nonces: Arc<NonceStore>,
}

impl Verifier {
    pub fn new(key: Credentials) -> Verifier {
        Verifier {
            key,
            nonces: Arc::new(NonceStore::new(NONCE_TTL)),
        }
    }
}

/// A header as the verifier wants it: by lower-case name, repeated values joined with `,`.
fn header_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// The HTTP status Alibaba answers each refusal with.
pub fn status_of(error: &VerifyError) -> StatusCode {
    match error {
        VerifyError::UnknownAccessKey(_) => StatusCode::NOT_FOUND,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// Middleware for the API router: verifies the signature of every request over the raw path and query and the
/// body as received, then hands the request on with its body intact. The path signed is the full one
/// ([`OriginalUri`]), not the one the nested API router sees.
pub async fn verify_signature(
    State(verifier): State<Verifier>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match read_limited(body).await {
        Ok(b) => b,
        Err(e) => return ErrorReply::from(e).into_response(),
    };
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |o| &o.0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let key = &verifier.key;
    let result = acs3::verify(
        &IncomingRequest {
            method: parts.method.as_str(),
            path: uri.path(),
            raw_query: uri.query().unwrap_or(""),
            body: &bytes,
        },
        |name| header_value(&parts.headers, name),
        |id| (id == key.access_key_id).then(|| key.access_key_secret.clone()),
        now,
        |nonce| verifier.nonces.seen(nonce),
    );
    match result {
        Ok(_) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(e) => ErrorReply::new(status_of(&e), e.code(), e.message()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_remembered_for_the_ttl_then_pruned() {
        let store = NonceStore::new(Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(!store.seen_at("a", t0));
        assert!(store.seen_at("a", t0 + Duration::from_secs(59)));
        assert!(!store.seen_at("b", t0 + Duration::from_secs(30)));
        assert_eq!(store.len(), 2);
        // At 60 s "a" expires (and is pruned); "b" is still remembered.
        assert!(!store.seen_at("c", t0 + Duration::from_secs(60)));
        assert_eq!(store.len(), 2);
        assert!(store.seen_at("b", t0 + Duration::from_secs(61)));
        assert!(!store.seen_at("a", t0 + Duration::from_secs(62)));
        assert!(!store.is_empty());
        assert!(NONCE_TTL >= Duration::from_secs(15 * 60));
    }

    #[test]
    fn one_nonce_from_many_threads_is_accepted_once() {
        let store = Arc::new(NonceStore::new(NONCE_TTL));
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let store = store.clone();
                std::thread::spawn(move || store.seen("same"))
            })
            .collect();
        let fresh = handles
            .into_iter()
            .map(|h| h.join().unwrap_or(true))
            .filter(|seen| !seen)
            .count();
        assert_eq!(fresh, 1);
    }

    #[test]
    fn statuses() {
        assert_eq!(
            status_of(&VerifyError::UnknownAccessKey("x".into())),
            StatusCode::NOT_FOUND
        );
        assert_eq!(status_of(&VerifyError::NonceUsed), StatusCode::BAD_REQUEST);
        assert_eq!(
            status_of(&VerifyError::DateExpired),
            StatusCode::BAD_REQUEST
        );
    }
}
