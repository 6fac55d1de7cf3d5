//! What keeps other web pages away from a server that can spend money, for both backends:
//!
//! - the `Host` check, always on: a page on `evil.example` whose name is made to resolve to 127.0.0.1 (DNS
//!   rebinding) is same-origin with this server for the browser, but its requests still name `evil.example` in
//!   `Host`, or, behind a proxy such as trunk's that rewrites `Host`, in `X-Forwarded-Host` / `Forwarded: host=`;
//! - the `Origin` check on the API: browsers send `Origin` with every state-changing request, and a rebound page
//!   sends its own, which a proxy keeps even when it rewrites `Host`; cross-site requests (`<img src=…>`) are
//!   refused by `Sec-Fetch-Site`;
//! - an optional bearer token, and CORS only for named origins.
//!
//! Requests with no `Origin` and no `Sec-Fetch-Site` (SDKs, curl) are not browsers' and pass the origin check.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{
        HeaderMap, HeaderValue, Method, StatusCode,
        header::{
            ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
            ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
            ACCESS_CONTROL_REQUEST_METHOD, AUTHORIZATION, FORWARDED, HOST, ORIGIN, VARY,
            WWW_AUTHENTICATE,
        },
        uri::Authority,
    },
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::api_error::ErrorReply;

const X_FORWARDED_HOST: &str = "x-forwarded-host";
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

/// Whether a `host[:port]` names this machine (`localhost`, 127.0.0.0/8, `[::1]`).
pub fn is_loopback_host(host_port: &str) -> bool {
    let host = bare_host(host_port);
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `host` of `host[:port]`, `[v6]` kept in brackets.
pub fn strip_port(host_port: &str) -> &str {
    if host_port.starts_with('[') {
        return match host_port.find(']') {
            Some(end) => &host_port[..=end],
            None => host_port,
        };
    }
    match host_port.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => host_port,
    }
}

/// The host of `host[:port]` without port or IPv6 brackets, so that `[::1]:3000` and an `--allow-host ::1`
/// compare equal.
fn bare_host(host_port: &str) -> &str {
    strip_port(host_port)
        .trim_start_matches('[')
        .trim_end_matches(']')
}

/// The names a request may address besides loopback ones: the `--listen` address when it is a specific
/// non-loopback one, and every `--allow-host`. Compared without port and case-insensitively.
#[derive(Clone, Debug, Default)]
pub struct AllowedHosts(Arc<[String]>);

impl AllowedHosts {
    pub fn new(names: impl IntoIterator<Item = impl AsRef<str>>) -> AllowedHosts {
        AllowedHosts(
            names
                .into_iter()
                .map(|n| bare_host(n.as_ref()).to_ascii_lowercase())
                .filter(|n| !n.is_empty())
                .collect(),
        )
    }

    /// Whether a `host[:port]` is a loopback name or address, or one of the allowed names (port ignored).
    pub fn allows(&self, host_port: &str) -> bool {
        is_loopback_host(host_port) || {
            let name = bare_host(host_port);
            self.0.iter().any(|n| n.eq_ignore_ascii_case(name))
        }
    }
}

/// A `Host`-like value as an authority (`host[:port]`, no user info), or `None` if it is not one.
fn authority(value: &str) -> Option<Authority> {
    let authority: Authority = value.trim().parse().ok()?;
    (!authority.as_str().contains('@') && !authority.host().is_empty()).then_some(authority)
}

/// Why a request's host names were refused.
enum HostRefusal {
    Missing,
    Malformed,
    Other,
}

impl HostRefusal {
    fn reply(self) -> ErrorReply {
        match self {
            HostRefusal::Missing => ErrorReply::new(
                StatusCode::BAD_REQUEST,
                "MissingParameter.Host",
                "The request has no Host header.",
            ),
            HostRefusal::Malformed => ErrorReply::new(
                StatusCode::BAD_REQUEST,
                "InvalidParameter.Host",
                "The Host (or X-Forwarded-Host, or Forwarded host=) header is not a host name with an optional port.",
            ),
            HostRefusal::Other => ErrorReply::new(
                StatusCode::FORBIDDEN,
                "Forbidden.Host",
                "This server answers only to its loopback address, its --listen address and the names given with \
                 --allow-host.",
            ),
        }
    }
}

/// The `host` parameters of every `Forwarded` element (RFC 7239), quotes removed; `Err` if the header is not text.
fn forwarded_hosts(headers: &HeaderMap) -> Result<Vec<String>, HostRefusal> {
    let mut hosts = Vec::new();
    for value in headers.get_all(FORWARDED) {
        let text = value.to_str().map_err(|_| HostRefusal::Malformed)?;
        for pair in split_unquoted(text, [',', ';']) {
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            if name.trim().eq_ignore_ascii_case("host") {
                let value = value.trim();
                let value = value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(value);
                hosts.push(value.to_owned());
            }
        }
    }
    Ok(hosts)
}

/// Splits at any of `separators` outside double quotes (a quoted `host="[::1]:3000"` holds a colon, and a quoted
/// value may hold a comma).
fn split_unquoted<const N: usize>(text: &str, separators: [char; N]) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if !quoted && separators.contains(&c) => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Every name the request says it is addressed to must be allowed: `Host` (or the request target's authority),
/// and each `X-Forwarded-Host` and `Forwarded: host=`, which a proxy in front fills with the browser's `Host`.
fn check_hosts(request: &Request, allowed: &AllowedHosts) -> Result<(), HostRefusal> {
    let headers = request.headers();
    let mut hosts = headers.get_all(HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(_), Some(_)) => return Err(HostRefusal::Malformed),
        (Some(value), None) => value
            .to_str()
            .ok()
            .and_then(authority)
            .ok_or(HostRefusal::Malformed)?,
        (None, _) => request
            .uri()
            .authority()
            .cloned()
            .ok_or(HostRefusal::Missing)?,
    };
    if !allowed.allows(host.as_str()) {
        return Err(HostRefusal::Other);
    }
    let mut forwarded = Vec::new();
    for value in headers.get_all(X_FORWARDED_HOST) {
        let text = value.to_str().map_err(|_| HostRefusal::Malformed)?;
        forwarded.extend(text.split(',').map(str::to_owned));
    }
    forwarded.extend(forwarded_hosts(headers)?);
    for name in forwarded {
        let name = authority(&name).ok_or(HostRefusal::Malformed)?;
        if !allowed.allows(name.as_str()) {
            return Err(HostRefusal::Other);
        }
    }
    Ok(())
}

/// Middleware against DNS rebinding, for the page and the API: see [`check_hosts`]. A request with no host at
/// all, or a malformed one, is refused with 400.
pub async fn check_host(
    State(allowed): State<AllowedHosts>,
    request: Request,
    next: Next,
) -> Response {
    match check_hosts(&request, &allowed) {
        Ok(()) => next.run(request).await,
        Err(refusal) => refusal.reply().into_response(),
    }
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
    use axum::body::Body;

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
        let allowed = AllowedHosts::new(["console.internal", "[2001:db8::1]", "192.168.1.5"]);
        for ok in [
            "127.0.0.1:3000",
            "localhost",
            "[::1]:3000",
            "Console.Internal:443",
            "[2001:DB8::1]:3000",
            "192.168.1.5:3000",
        ] {
            assert!(allowed.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:3000",
            "console.internal.evil.example",
            "[2001:db8::2]:3000",
            "192.168.1.50",
        ] {
            assert!(!allowed.allows(bad), "{bad}");
        }
        for h in [
            "localhost",
            "LOCALHOST:3000",
            "127.0.0.1",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:3000",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "example.com",
            "10.0.0.1:3000",
            "localhost.evil.com",
            "[::2]:1",
            "127.0.0.1.nip.io",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
        assert_eq!(strip_port("[::1]:3000"), "[::1]");
        assert_eq!(strip_port("a.b:1"), "a.b");
        assert_eq!(strip_port("a.b"), "a.b");
    }

    fn request(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().uri("/api/v1/workspaces");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn every_name_a_request_carries_is_checked() {
        let allowed = AllowedHosts::new(["console.lan"]);
        let verdict = |headers: &[(&str, &str)]| match check_hosts(&request(headers), &allowed) {
            Ok(()) => "ok",
            Err(HostRefusal::Missing) => "missing",
            Err(HostRefusal::Malformed) => "malformed",
            Err(HostRefusal::Other) => "other",
        };
        assert_eq!(verdict(&[("host", "127.0.0.1:3000")]), "ok");
        assert_eq!(verdict(&[("host", "console.lan")]), "ok");
        assert_eq!(verdict(&[]), "missing");
        assert_eq!(verdict(&[("host", "")]), "malformed");
        assert_eq!(verdict(&[("host", "user@localhost")]), "malformed");
        assert_eq!(verdict(&[("host", "local host")]), "malformed");
        assert_eq!(
            verdict(&[("host", "localhost"), ("host", "localhost")]),
            "malformed"
        );
        assert_eq!(verdict(&[("host", "evil.example")]), "other");
        // Through a proxy that rewrites Host, as trunk's does.
        for (name, value, expected) in [
            ("x-forwarded-host", "127.0.0.1:8080", "ok"),
            ("x-forwarded-host", "evil.example:8080", "other"),
            ("x-forwarded-host", "localhost, evil.example", "other"),
            ("x-forwarded-host", "", "malformed"),
            (
                "forwarded",
                "for=1.2.3.4;host=localhost:8080;proto=http",
                "ok",
            ),
            ("forwarded", "host=\"[::1]:8080\"", "ok"),
            ("forwarded", "for=1.2.3.4, host=evil.example", "other"),
            (
                "forwarded",
                "HOST=\"evil.example:8080\";proto=http",
                "other",
            ),
            ("forwarded", "for=\"a;host=evil.example\"", "ok"),
            ("forwarded", "for=1.2.3.4", "ok"),
        ] {
            assert_eq!(
                verdict(&[("host", "127.0.0.1:3000"), (name, value)]),
                expected,
                "{name}: {value}"
            );
        }
        // An absolute request target names the host when the header is missing.
        let absolute = Request::builder()
            .uri("http://evil.example/api")
            .body(Body::empty())
            .unwrap();
        assert!(matches!(
            check_hosts(&absolute, &allowed),
            Err(HostRefusal::Other)
        ));
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
