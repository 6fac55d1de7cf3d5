//! What keeps other web pages away from a server that can spend money: an optional bearer token, CORS only for
//! named origins, and a `Host` check against DNS rebinding. Layers of [`crate::app`], for both backends.
//!
//! Together with binding to loopback and requiring `application/json` for POSTs (which a page on another site
//! cannot send without a CORS preflight), a page on another site can neither call the API nor read its answers.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{
        HeaderValue, Method, StatusCode,
        header::{
            ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
            ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
            ACCESS_CONTROL_REQUEST_METHOD, AUTHORIZATION, HOST, ORIGIN, VARY, WWW_AUTHENTICATE,
        },
    },
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

use crate::{api_error::ErrorReply, gateway};

/// Normalises an `--allow-origin` value: `scheme://host[:port]`, lower case, no trailing slash. `*` and paths
/// are refused: the point is to name the origins that may call.
pub fn parse_origin(origin: &str) -> Result<String, String> {
    let o = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    let bad = || {
        format!(
            "--allow-origin: “{origin}” is not an origin like http://localhost:8080 (scheme, host and port only)"
        )
    };
    let (scheme, authority) = o.split_once("://").ok_or_else(bad)?;
    if !matches!(scheme, "http" | "https")
        || authority.is_empty()
        || authority.contains(['/', '?', '#', '@', '*', '\\'])
        || !o.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(bad());
    }
    Ok(o)
}

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
    let diff = given
        .iter()
        .zip(expected)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    std::hint::black_box(diff) == 0
}

/// The digest [`require_token`] compares against.
#[derive(Clone)]
pub struct TokenDigest(Arc<[u8; 32]>);

impl TokenDigest {
    pub fn new(token: &str) -> TokenDigest {
        TokenDigest(Arc::new(Sha256::digest(token.as_bytes()).into()))
    }
}

/// Middleware: `/api` requests need `Authorization: Bearer <token>`; everything else (the page itself) does not.
pub async fn require_token(
    State(digest): State<TokenDigest>,
    request: Request,
    next: Next,
) -> Response {
    if !crate::is_api(request.uri().path())
        || token_matches(request.headers().get(AUTHORIZATION), &digest.0)
    {
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

/// The origins allowed to call from another site.
#[derive(Clone)]
pub struct AllowedOrigins(pub Arc<[String]>);

/// Middleware: CORS for the named origins only. Preflights from them are answered here (before the token check:
/// browsers send preflights without credentials); preflights from any other origin are refused; answers to an
/// allowed origin carry `Access-Control-Allow-Origin`, and every answer `Vary: Origin`.
pub async fn cors(State(allowed): State<AllowedOrigins>, request: Request, next: Next) -> Response {
    let origin = request
        .headers()
        .get(ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| allowed.0.iter().any(|a| a.eq_ignore_ascii_case(o)))
        .and_then(|o| HeaderValue::from_str(o).ok());
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(ACCESS_CONTROL_REQUEST_METHOD)
        && request.headers().contains_key(ORIGIN);
    let mut response = if preflight {
        match &origin {
            Some(_) => {
                let mut r = StatusCode::NO_CONTENT.into_response();
                let h = r.headers_mut();
                h.insert(ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST"));
                h.insert(
                    ACCESS_CONTROL_ALLOW_HEADERS,
                    HeaderValue::from_static("authorization, content-type"),
                );
                h.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
                r
            }
            None => ErrorReply::new(
                StatusCode::FORBIDDEN,
                "Forbidden.Origin",
                "This origin may not call the API; start the server with --allow-origin <origin> to allow it.",
            )
            .into_response(),
        }
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.append(VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = origin {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("x-acs-request-id"),
        );
    }
    response
}

/// Host names accepted besides loopback ones.
#[derive(Clone)]
pub struct AllowedHosts(pub Arc<[String]>);

/// Whether a `Host` value is acceptable: a loopback name or address, or one of `extra` (port ignored).
pub fn host_allowed(host: &str, extra: &[String]) -> bool {
    if gateway::is_loopback_host(host) {
        return true;
    }
    let name = gateway::strip_port(host);
    extra.iter().any(|e| e.eq_ignore_ascii_case(name))
}

/// Middleware against DNS rebinding: a page on `evil.example` whose name is made to resolve to 127.0.0.1 is,
/// for the browser, same-origin with this server, but its requests still say `Host: evil.example`.
pub async fn check_host(
    State(allowed): State<AllowedHosts>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.to_string()));
    match host {
        Some(h) if !host_allowed(&h, &allowed.0) => ErrorReply::new(
            StatusCode::FORBIDDEN,
            "Forbidden.Host",
            "This server answers only to its loopback address (or a host named with --allow-host).",
        )
        .into_response(),
        _ => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            parse_origin("http://LocalHost:8080/").as_deref(),
            Ok("http://localhost:8080")
        );
        assert_eq!(
            parse_origin("https://console.example.com").as_deref(),
            Ok("https://console.example.com")
        );
        for bad in [
            "*",
            "localhost:8080",
            "ftp://x",
            "http://",
            "http://x/path",
            "http://*.x",
            "null",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

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

    #[test]
    fn hosts() {
        let extra = ["console.internal".to_owned()];
        assert!(host_allowed("127.0.0.1:3000", &extra));
        assert!(host_allowed("localhost", &extra));
        assert!(host_allowed("[::1]:3000", &extra));
        assert!(host_allowed("Console.Internal:443", &extra));
        assert!(!host_allowed("evil.example:3000", &extra));
        assert!(!host_allowed("console.internal.evil.example", &extra));
    }
}
