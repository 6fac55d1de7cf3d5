//! The `Origin` check and CORS, for the API. Browsers send `Origin` with every state-changing request, and a
//! rebound page sends its own, which a proxy keeps even when it rewrites `Host`; cross-site requests
//! (`<img src=…>`) are refused by `Sec-Fetch-Site`. CORS headers go to the named origins only.
//!
//! CORS is written here rather than with `tower_http::cors::CorsLayer`, which answers every preflight 200 with
//! comma-joined lists and sends `Access-Control-Expose-Headers` to any origin, where clients are promised a 204,
//! `GET, POST`, a 403 `Forbidden.Origin` for other origins and no CORS header for them.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{
        HeaderValue, Method, StatusCode,
        header::{
            ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
            ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
            ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
        },
    },
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::host::{AllowedHosts, authority};
use crate::http::error::ErrorReply;

const SEC_FETCH_SITE: &str = "sec-fetch-site";

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

/// Who may send a browser's state-changing or cross-site request: the `--allow-origin`s, and any http(s) origin
/// whose host the `Host` check allows (a loopback name, the `--listen` address, an `--allow-host`).
#[derive(Clone, Debug, Default)]
pub struct OriginPolicy {
    pub origins: Arc<[String]>,
    pub hosts: AllowedHosts,
}

impl OriginPolicy {
    pub fn allows(&self, origin: &str) -> bool {
        if self.origins.iter().any(|o| o.eq_ignore_ascii_case(origin)) {
            return true;
        }
        // `null` (sandboxed frames, file: pages) and anything without a scheme and host fall through to false.
        let Some((scheme, rest)) = origin.split_once("://") else {
            return false;
        };
        scheme_is_http(scheme) && authority(rest).is_some_and(|a| self.hosts.allows(a.as_str()))
    }
}

fn scheme_is_http(scheme: &str) -> bool {
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// Middleware for the API: a request whose `Origin` is not allowed is refused if it could change something (any
/// method but GET and HEAD) or if the browser says it is cross-site; a cross-site request without `Origin` (an
/// `<img>` or a link) is refused too. Requests without either header pass.
pub async fn check_origin(
    State(policy): State<OriginPolicy>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let mut origins = headers.get_all(ORIGIN).iter();
    let origin = match (origins.next(), origins.next()) {
        (Some(value), None) => Some(value.to_str().is_ok_and(|o| policy.allows(o))),
        // Two Origin headers are no browser's; treat them as a disallowed one.
        (Some(_), Some(_)) => Some(false),
        (None, _) => None,
    };
    let cross_site = headers
        .get(SEC_FETCH_SITE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    let safe_method = matches!(*request.method(), Method::GET | Method::HEAD);
    let refuse = match origin {
        Some(allowed) => !allowed && (cross_site || !safe_method),
        None => cross_site,
    };
    if refuse {
        return ErrorReply::new(
            StatusCode::FORBIDDEN,
            "Forbidden.Origin",
            "Requests from this page's origin are not accepted; start the server with --allow-origin <origin> \
             (or --allow-host <name>) to allow it.",
        )
        .into_response();
    }
    next.run(request).await
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
    fn origin_policy() {
        let policy = OriginPolicy {
            origins: ["https://admin.example.com".to_owned()].into(),
            hosts: AllowedHosts::new(["console.lan"]),
        };
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "https://[::1]",
            "http://console.lan:3000",
            "https://admin.example.com",
        ] {
            assert!(policy.allows(ok), "{ok}");
        }
        for bad in [
            "null",
            "http://evil.example:8080",
            "https://admin.example.com:8443",
            "file://localhost",
            "http://localhost.evil.example",
            "http://user@localhost",
            "localhost:3000",
            "",
        ] {
            assert!(!policy.allows(bad), "{bad}");
        }
    }
}
