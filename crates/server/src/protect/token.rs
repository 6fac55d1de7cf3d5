//! The optional bearer token (`--auth-token`) on the API.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{
        HeaderValue, StatusCode,
        header::{AUTHORIZATION, WWW_AUTHENTICATE},
    },
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::http::error::ErrorReply;

/// Whether the `Authorization` header carries the token, compared in constant time (over SHA-256 digests, so
/// not even the token's length shows in the timing).
fn token_matches(header: Option<&HeaderValue>, expected: &[u8; 32]) -> bool {
    let Some(value) = header.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some((scheme, token)) = value.trim().split_once(' ') else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return false;
    }
    let given: [u8; 32] = Sha256::digest(token.trim().as_bytes()).into();
    given.ct_eq(expected).into()
}

/// The digest [`require_token`] compares against.
#[derive(Clone)]
pub struct TokenDigest(Arc<[u8; 32]>);

impl TokenDigest {
    pub fn new(token: &str) -> TokenDigest {
        TokenDigest(Arc::new(Sha256::digest(token.as_bytes()).into()))
    }
}

/// Middleware for the API: requests need `Authorization: Bearer <token>`.
pub async fn require_token(
    State(digest): State<TokenDigest>,
    request: Request,
    next: Next,
) -> Response {
    if token_matches(request.headers().get(AUTHORIZATION), &digest.0) {
        return next.run(request).await;
    }
    let mut response = ErrorReply::new(
        StatusCode::UNAUTHORIZED,
        "InvalidAuthorization",
        "This server requires Authorization: Bearer <token> with the token it was started with (--auth-token).",
    )
    .into_response();
    response.headers_mut().insert(
        WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"workspace-console\""),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let digest = TokenDigest::new("s3cret-token");
        let check = |v: &str| token_matches(Some(&HeaderValue::from_str(v).unwrap()), &digest.0);
        assert!(check("Bearer s3cret-token"));
        assert!(check("bearer  s3cret-token "));
        assert!(!check("Bearer s3cret-toke"));
        assert!(!check("Bearer s3cret-token2"));
        assert!(!check("Basic s3cret-token"));
        assert!(!check("s3cret-token"));
        assert!(!token_matches(None, &digest.0));
    }
}
