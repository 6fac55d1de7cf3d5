//! The `Host` check, always on, for the page and the API: a page on `evil.example` whose name is made to resolve
//! to 127.0.0.1 (DNS rebinding) is same-origin with this server for the browser, but its requests still name
//! `evil.example` in `Host`, or, behind a proxy such as trunk's that rewrites `Host`, in `X-Forwarded-Host` /
//! `Forwarded: host=`.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{
        HeaderMap, StatusCode,
        header::{FORWARDED, HOST},
        uri::Authority,
    },
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::http::error::ErrorReply;

const X_FORWARDED_HOST: &str = "x-forwarded-host";

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
pub(super) fn authority(value: &str) -> Option<Authority> {
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

/// Middleware against DNS rebinding, for the page and the API: every name the request says it is addressed to
/// must be allowed (403). A request with no host at all, or a malformed one, is refused with 400.
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

#[cfg(test)]
mod tests {
    use axum::body::Body;

    use super::*;

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
}
