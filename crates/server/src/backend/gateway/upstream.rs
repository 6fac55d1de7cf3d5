//! `--upstream`: one base URL every call goes to instead of the regional endpoint (an emulator in tests, or a
//! private endpoint), refused over plain http unless it is this machine.

use crate::protect::host::is_loopback_host;

/// Where calls go: the regional endpoint over HTTPS, or one fixed base URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Upstream {
    Regional,
    Fixed {
        /// `scheme://host[:port]`, no trailing slash.
        base: String,
        /// The `Host` header, and so the signed host: `host[:port]` exactly as in the URL.
        host: String,
    },
}

/// Parses `--upstream`: `http://` or `https://`, a host, an optional port, nothing else (a trailing `/` is
/// allowed).
pub fn parse_upstream(url: &str) -> Result<Upstream, String> {
    parse_upstream_flag("--upstream", url)
}

/// [`parse_upstream`] for one of the `--upstream…` flags, whose refusals name it.
pub fn parse_upstream_flag(flag: &str, url: &str) -> Result<Upstream, String> {
    let bad = |why: &str| format!("{flag}: “{url}” {why}");
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("is not a URL like http://127.0.0.1:3000"))?;
    if scheme != "http" && scheme != "https" {
        return Err(bad("must start with http:// or https://"));
    }
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() {
        return Err(bad("has no host"));
    }
    if authority.contains(['/', '?', '#', '@', '\\'])
        || authority
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad(
            "must be only scheme://host[:port], without a path, query or user",
        ));
    }
    // Let the URL parser have the last word on what it will connect to.
    let parsed = reqwest::Url::parse(&format!("{scheme}://{authority}/"))
        .map_err(|e| bad(&e.to_string()))?;
    let host = parsed
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad("has no host"))?;
    let host = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    if scheme == "http" && !is_loopback_host(&host) {
        return Err(bad(
            "is plain http to a host that is not this machine: signed calls (and STS tokens) would travel in the \
             clear; use https://",
        ));
    }
    Ok(Upstream::Fixed {
        base: format!("{scheme}://{host}"),
        host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_urls() {
        assert_eq!(
            parse_upstream("http://127.0.0.1:3000/"),
            Ok(Upstream::Fixed {
                base: "http://127.0.0.1:3000".into(),
                host: "127.0.0.1:3000".into()
            })
        );
        assert_eq!(
            parse_upstream("https://Example.COM"),
            Ok(Upstream::Fixed {
                base: "https://example.com".into(),
                host: "example.com".into()
            })
        );
        assert_eq!(
            parse_upstream("http://[::1]:8080"),
            Ok(Upstream::Fixed {
                base: "http://[::1]:8080".into(),
                host: "[::1]:8080".into()
            })
        );
        for bad in [
            "127.0.0.1:3000",
            "ftp://x",
            "http://",
            "http://h/path",
            "http://h?x=1",
            "http://u@h",
            "http://h:99999",
            "http://h h",
        ] {
            assert!(parse_upstream(bad).is_err(), "{bad}");
        }
        // Plain http only to this machine: signed calls and STS tokens must not cross a network in the clear.
        for cleartext in [
            "http://example.com",
            "http://10.0.0.5:3000",
            "http://localhost.evil.com",
        ] {
            let e = parse_upstream(cleartext).unwrap_err();
            assert!(e.contains("https://"), "{e}");
        }
        assert!(parse_upstream("https://10.0.0.5:3000").is_ok());
        assert!(parse_upstream("http://localhost:3000").is_ok());
    }
}
