//! Signature verification for the emulator (`--verify-key ID:SECRET`): every `/api` request must carry a valid
//! ACS3-HMAC-SHA256 signature, as Alibaba's gateway requires. Uses [`acs3::verify`], the same code the gateway
//! signs with, so a test that passes here proves the gateway's (and the SDKs') signatures are right.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::{
    body::Body,
    extract::{OriginalUri, Request, State},
    http::{HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{
    aliyun::acs3::{self, Credentials, IncomingRequest, VerifyError},
    clock::Clock,
    expiring::ExpiringStore,
    http::{error::ErrorReply, extract::read_limited},
};

/// How long a nonce is remembered: a request is accepted while its date is within the skew of the server clock
/// in either direction, so a nonce first seen now could be replayed, still in date, for up to twice the skew.
pub const NONCE_TTL: Duration = Duration::from_secs(2 * acs3::MAX_CLOCK_SKEW_SECONDS + 60);

/// At most this many nonces are remembered. Past it the oldest is forgotten, and could be replayed within its
/// window: for a test emulator, bounded memory under a flood is worth more than that (it takes over 50 signed
/// requests a second for the whole window).
pub const NONCE_CAP: usize = 100_000;

/// Nonces seen in the last [`NONCE_TTL`]; thread-safe.
pub struct NonceStore(Mutex<ExpiringStore<()>>);

impl NonceStore {
    pub fn new(cap: usize, ttl: Duration, clock: Clock) -> NonceStore {
        NonceStore(Mutex::new(ExpiringStore::new(cap, ttl, clock)))
    }

    /// Records `nonce`; `true` if it had been seen within the TTL.
    pub fn seen(&self, nonce: &str) -> bool {
        // The store is consistent after every call, so a lock poisoned by a panic elsewhere is still usable.
        let mut store = self.0.lock().unwrap_or_else(|p| p.into_inner());
        !store.insert_new(nonce, ())
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
            nonces: Arc::new(NonceStore::new(NONCE_CAP, NONCE_TTL, Clock::system())),
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
        Err(e) => return e.into_response(),
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
    fn nonces_are_remembered_for_the_ttl() {
        let clock = Clock::manual();
        let store = NonceStore::new(NONCE_CAP, Duration::from_secs(60), clock.clone());
        assert!(!store.seen("a"));
        clock.advance(Duration::from_secs(59));
        assert!(store.seen("a"));
        clock.advance(Duration::from_secs(1));
        assert!(!store.seen("a"), "forgotten after the TTL");
        assert!(NONCE_TTL >= Duration::from_secs(2 * 15 * 60));
    }

    #[test]
    fn one_nonce_from_many_threads_is_accepted_once() {
        let store = Arc::new(NonceStore::new(NONCE_CAP, NONCE_TTL, Clock::system()));
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
