//! What keeps other web pages away, for both backends: the bearer token, CORS only for named origins, the
//! `Host` check (with the names a proxy forwards), the `Origin` and `Sec-Fetch-Site` checks. Over real sockets; no
//! answer or log line may contain the token or a secret.

use std::time::Duration;

use crate::{common::*, process::Process};
use axum::{
    Router,
    extract::Request,
    http::header::{CONTENT_LENGTH, HOST, TRANSFER_ENCODING},
    response::IntoResponse,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use workspace_server::{Config, GatewayConfig, app};

const CREATE: &str = "/api/v1/workspaces?regionId=cn-hangzhou";
const LIST: &str = "/api/v1/workspaces?regionId=cn-hangzhou";
const ALLOWED: &str = "http://localhost:8080";

/// Both backends with the same protections: the emulator, and the gateway in front of a stub.
async fn both(protect: impl Fn(Config) -> Config, log: &Log) -> (Vec<String>, Stub) {
    let stub = Stub::start(Behaviour::Ok).await;
    let emulator = protect(Config::emulator(Duration::ZERO));
    let gateway = protect(
        Config::aliyun(GatewayConfig::new(credentials(SECRET, None)).with_upstream(stub.url()))
            .expect("gateway config"),
    );
    let mut bases = Vec::new();
    for config in [emulator, gateway] {
        bases.push(format!("http://{}", spawn(app(log.attach(config))).await));
    }
    (bases, stub)
}

fn post(base: &str) -> reqwest::RequestBuilder {
    client()
        .post(format!("{base}{CREATE}"))
        .header("content-type", "application/json")
        .body(minimal().to_string())
}

fn preflight(base: &str, origin: &str) -> reqwest::RequestBuilder {
    client()
        .request(reqwest::Method::OPTIONS, format!("{base}{CREATE}"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
}

/// Whether some `Vary` header names `Origin` (compression adds its own `Vary: accept-encoding`).
fn varies_on_origin(reply: &Reply) -> bool {
    reply.headers.get_all("vary").iter().any(|v| {
        v.to_str()
            .unwrap_or("")
            .split(',')
            .any(|p| p.trim().eq_ignore_ascii_case("origin"))
    })
}

fn cors_headers(reply: &Reply) -> Vec<String> {
    reply
        .headers
        .keys()
        .map(|k| k.as_str().to_owned())
        .filter(|k| k.starts_with("access-control-"))
        .collect()
}

#[tokio::test]
async fn no_cors_headers_unless_origins_are_named() {
    let log = Log::default();
    let (bases, stub) = both(|c| c, &log).await;
    for base in &bases {
        // A page on this machine (trunk serve's, say) may post; it needs no CORS, and gets none.
        let reply = send(post(base).header("origin", ALLOWED)).await;
        assert_eq!(reply.status, 200);
        assert!(cors_headers(&reply).is_empty(), "{:?}", reply.headers);
        assert!(!varies_on_origin(&reply));
        let reply = send(preflight(base, ALLOWED)).await;
        assert!(cors_headers(&reply).is_empty(), "{:?}", reply.headers);
        assert_ne!(reply.status, 204);
    }
    assert_eq!(stub.count(), 1);
    log.assert_clean();
}

#[tokio::test]
async fn cors_headers_only_for_allowed_origins() {
    let log = Log::default();
    let (bases, stub) = both(
        |c| c.with_allow_origins([ALLOWED, "https://console.example.com"]),
        &log,
    )
    .await;
    for base in &bases {
        // A preflight from an allowed origin is answered, without reaching the API.
        let reply = send(preflight(base, ALLOWED)).await;
        assert_eq!(reply.status, 204);
        assert_eq!(reply.header("access-control-allow-origin"), Some(ALLOWED));
        assert_eq!(
            reply.header("access-control-allow-methods"),
            Some("GET, POST")
        );
        assert_eq!(
            reply.header("access-control-allow-headers"),
            Some("authorization, content-type")
        );
        assert!(reply.header("access-control-max-age").is_some());
        assert!(varies_on_origin(&reply), "{:?}", reply.headers);
        assert!(reply.body.is_empty());

        // From any other origin it is refused, with no CORS header for the browser to act on.
        for origin in [
            "https://evil.example",
            "http://localhost:8081",
            "null",
            "http://localhost:8080.evil.example",
        ] {
            let reply = send(preflight(base, origin)).await;
            reply.assert_error(403, "Forbidden.Origin");
            assert!(
                cors_headers(&reply).is_empty(),
                "{origin}: {:?}",
                reply.headers
            );
        }

        // Actual requests: the allowed origin may read the answer; others get the answer without the header.
        let reply = send(post(base).header("origin", ALLOWED)).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("access-control-allow-origin"), Some(ALLOWED));
        assert_eq!(
            reply.header("access-control-expose-headers"),
            Some("x-acs-request-id")
        );
        assert!(varies_on_origin(&reply), "{:?}", reply.headers);
        let reply = send(
            client()
                .get(format!("{base}{LIST}"))
                .header("origin", "https://console.example.com"),
        )
        .await;
        assert_eq!(
            reply.header("access-control-allow-origin"),
            Some("https://console.example.com")
        );
        let reply = send(
            client()
                .get(format!("{base}{LIST}"))
                .header("origin", "https://evil.example"),
        )
        .await;
        assert_eq!(reply.status, 200);
        assert!(cors_headers(&reply).is_empty(), "{:?}", reply.headers);
        assert!(varies_on_origin(&reply), "{:?}", reply.headers);
        // Errors carry the header too, so the page can show them.
        let reply = send(
            client()
                .get(format!("{base}/api/v1/workspaces"))
                .header("origin", ALLOWED),
        )
        .await;
        reply.assert_error(400, "MissingParameter.regionId");
        assert_eq!(reply.header("access-control-allow-origin"), Some(ALLOWED));
    }
    // The gateway forwarded its POST and two GETs; preflights and the refused list never reached it.
    assert_eq!(stub.count(), 3);
    log.assert_clean();
}

#[tokio::test]
async fn the_token_is_required_on_the_api_only() {
    let log = Log::default();
    let dist = std::env::temp_dir().join(format!("ws-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>console</title>",
    )
    .unwrap();
    let (bases, stub) = both(
        |c| {
            c.with_auth_token(AUTH_TOKEN)
                .with_allow_origins([ALLOWED])
                .with_dist(&dist)
        },
        &log,
    )
    .await;
    for base in &bases {
        for request in [
            post(base),
            post(base).bearer_auth("wrong-token"),
            post(base).bearer_auth(format!("{AUTH_TOKEN}x")),
            post(base).header("authorization", format!("Basic {AUTH_TOKEN}")),
            post(base).header("authorization", AUTH_TOKEN),
            client().get(format!("{base}{LIST}")),
            client().get(format!("{base}/api/v1/nothing")),
            client().delete(format!("{base}/api/v1/workspaces/w-1")),
        ] {
            let reply = send(request).await;
            reply.assert_error(401, "InvalidAuthorization");
            assert_eq!(
                reply.header("www-authenticate"),
                Some("Bearer realm=\"workspace-console\"")
            );
        }
        // The refusal reaches a page on an allowed origin, so it can ask for the token.
        let reply = send(post(base).header("origin", ALLOWED)).await;
        reply.assert_error(401, "InvalidAuthorization");
        assert_eq!(reply.header("access-control-allow-origin"), Some(ALLOWED));
        // Preflights carry no credentials, so they are answered without the token.
        assert_eq!(send(preflight(base, ALLOWED)).await.status, 204);

        let reply = send(post(base).bearer_auth(AUTH_TOKEN)).await;
        assert_eq!(reply.status, 200, "{:?}", reply.json());
        let reply = send(
            client()
                .get(format!("{base}{LIST}"))
                .header("authorization", format!("bearer {AUTH_TOKEN}")),
        )
        .await;
        assert_eq!(reply.status, 200);
        // The page itself loads without it (the user types the token into it).
        let page = send(client().get(format!("{base}/"))).await;
        assert_eq!(page.status, 200);
        assert!(String::from_utf8_lossy(&page.body).contains("console"));
    }
    // Only the two authorised gateway calls went out, signed with ACS3: the bearer token is not forwarded.
    assert_eq!(stub.count(), 2);
    for r in stub.requests.lock().unwrap().iter() {
        let authorization = r.header("authorization").unwrap();
        assert!(
            authorization.starts_with("ACS3-HMAC-SHA256 "),
            "{authorization}"
        );
        for (name, value) in &r.headers {
            assert_no_secret(&String::from_utf8_lossy(value.as_bytes()), name.as_str());
        }
    }
    // One log line per API request, never with the token.
    assert_eq!(log.lines().len(), 2 * 12, "{:#?}", log.lines());
    log.assert_clean();
    std::fs::remove_dir_all(&dist).ok();
}

#[tokio::test]
async fn requests_for_other_host_names_are_refused_against_dns_rebinding() {
    let log = Log::default();
    let (bases, stub) = both(|c| c.with_allowed_hosts(["console.internal"]), &log).await;
    for base in &bases {
        let port = base.rsplit(':').next().unwrap();
        for host in [
            format!("evil.example:{port}"),
            "evil.example".to_owned(),
            format!("127.0.0.1.nip.io:{port}"),
            format!("localhost.evil.example:{port}"),
        ] {
            let reply = send(post(base).header("host", &host)).await;
            reply.assert_error(403, "Forbidden.Host");
        }
        for host in [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            "console.internal".to_owned(),
            format!("CONSOLE.internal:{port}"),
        ] {
            let reply = send(post(base).header("host", &host)).await;
            assert_eq!(reply.status, 200, "{host}: {:?}", reply.json());
        }
    }
    assert_eq!(stub.count(), 4);
    log.assert_clean();
}

/// A reverse proxy that does what trunk's does (trunk 0.21 `src/proxy.rs`): every header is forwarded, except
/// that `Host` becomes the backend's and the browser's `Host` goes into `X-Forwarded-Host`. `forwarded_host: false`
/// is a proxy that drops it.
async fn trunk_like_proxy(backend: &str, forwarded_host: bool) -> String {
    let backend = backend.to_owned();
    let app = Router::new().fallback(move |request: Request| {
        let backend = backend.clone();
        async move {
            let (parts, body) = request.into_parts();
            let body = axum::body::to_bytes(body, 1 << 20)
                .await
                .unwrap_or_default();
            let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let mut out = client().request(parts.method.clone(), format!("{backend}{target}"));
            for (name, value) in &parts.headers {
                if name == HOST {
                    if forwarded_host {
                        out = out.header("x-forwarded-host", value.clone());
                    }
                } else if name != CONTENT_LENGTH && name != TRANSFER_ENCODING {
                    out = out.header(name, value.clone());
                }
            }
            let answer = out.body(body).send().await.unwrap();
            let status = answer.status();
            let headers = answer.headers().clone();
            let bytes = answer.bytes().await.unwrap_or_default();
            (status, headers, bytes).into_response()
        }
    });
    format!("http://{}", spawn(app).await)
}

/// How many workspaces the backend behind `base` holds in cn-hangzhou (for the gateway: what its stub counted).
async fn workspaces(base: &str) -> u64 {
    let reply = send(client().get(format!("{base}{LIST}"))).await;
    reply.json()["totalCount"].as_u64().unwrap_or_default()
}

// With `./dev serve --backend aliyun`, a POST through trunk's proxy carrying a DNS-rebound page's
// `Host: evil.example:8080` and `Origin: http://evil.example:8080` created a workspace: the proxy rewrote Host, so
// the Host check never saw the attacker's name.
#[tokio::test]
async fn a_rebound_page_cannot_create_through_trunks_proxy() {
    let log = Log::default();
    let (bases, stub) = both(|c| c, &log).await;
    for base in &bases {
        for (forwards_host, code) in [(true, "Forbidden.Host"), (false, "Forbidden.Origin")] {
            let proxy = trunk_like_proxy(base, forwards_host).await;
            let reply = send(
                post(&proxy)
                    .header("host", "evil.example:8080")
                    .header("origin", "http://evil.example:8080")
                    .header("sec-fetch-site", "same-origin"),
            )
            .await;
            reply.assert_error(403, code);
            // The console itself, through the same proxy, still works.
            let reply = send(
                post(&proxy)
                    .header("origin", proxy.as_str())
                    .header("sec-fetch-site", "same-origin"),
            )
            .await;
            assert_eq!(reply.status, 200, "{:?}", reply.json());
        }
        // A rebound page's same-origin GET carries no Origin; trunk's X-Forwarded-Host still names it.
        let proxy = trunk_like_proxy(base, true).await;
        let reply = send(
            client()
                .get(format!("{proxy}{LIST}"))
                .header("host", "evil.example:8080")
                .header("sec-fetch-site", "same-origin"),
        )
        .await;
        reply.assert_error(403, "Forbidden.Host");
    }
    assert_eq!(workspaces(&bases[0]).await, 2);
    assert_eq!(
        stub.count(),
        2,
        "only the console's own creates reached the cloud"
    );
    log.assert_clean();
}

// Browsers send `Origin` with every POST; a page on another site (or a rebound name) could post to the API as long
// as the request reached it, with its Host rewritten or allowed.
#[tokio::test]
async fn state_changing_requests_from_other_origins_are_refused() {
    let log = Log::default();
    let (bases, stub) = both(
        |c| {
            c.with_allowed_hosts(["console.lan"])
                .with_allow_origins(["https://admin.example.com"])
        },
        &log,
    )
    .await;
    for base in &bases {
        for origin in [
            "https://evil.example",
            "http://evil.example:8080",
            "null",
            "http://localhost.evil.example:3000",
            "http://127.0.0.1.nip.io:3000",
            "https://admin.example.com:8443",
        ] {
            let reply = send(post(base).header("origin", origin)).await;
            reply.assert_error(403, "Forbidden.Origin");
            let reply = send(
                client()
                    .delete(format!("{base}/api/v1/workspaces/w-1?regionId=cn-hangzhou"))
                    .header("origin", origin),
            )
            .await;
            reply.assert_error(403, "Forbidden.Origin");
        }
        for origin in [
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "http://[::1]:8080",
            "http://console.lan:3000",
            "https://admin.example.com",
        ] {
            let reply = send(post(base).header("origin", origin)).await;
            assert_eq!(reply.status, 200, "{origin}: {:?}", reply.json());
        }
        // No Origin at all: an SDK or curl, not a browser.
        assert_eq!(send(post(base)).await.status, 200);
    }
    assert_eq!(stub.count(), 6);
    log.assert_clean();
}

// `<img src=…/api/v1/workspaces?regionId=…>` on any site made signed cloud calls: a GET needs no CORS to be sent.
#[tokio::test]
async fn cross_site_requests_are_refused_unless_their_origin_is_allowed() {
    let log = Log::default();
    let (bases, stub) = both(
        |c| c.with_allow_origins(["https://admin.example.com"]),
        &log,
    )
    .await;
    for base in &bases {
        let list = || client().get(format!("{base}{LIST}"));
        // An image or a link: no Origin, Sec-Fetch-Site says cross-site.
        for site in ["cross-site", "Cross-Site"] {
            let reply = send(list().header("sec-fetch-site", site)).await;
            reply.assert_error(403, "Forbidden.Origin");
        }
        let reply = send(
            list()
                .header("sec-fetch-site", "cross-site")
                .header("origin", "https://evil.example"),
        )
        .await;
        reply.assert_error(403, "Forbidden.Origin");
        // The same from an allowed origin, and same-origin or typed-in requests, go through.
        let reply = send(
            list()
                .header("sec-fetch-site", "cross-site")
                .header("origin", "https://admin.example.com"),
        )
        .await;
        assert_eq!(reply.status, 200);
        for site in ["same-origin", "same-site", "none"] {
            assert_eq!(
                send(list().header("sec-fetch-site", site)).await.status,
                200,
                "{site}"
            );
        }
        assert_eq!(send(list()).await.status, 200);
    }
    assert_eq!(stub.count(), 5, "refused requests cost no cloud call");
    log.assert_clean();
}

/// Sends raw bytes and reads the whole answer (the server closes after it).
async fn raw(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("the server neither answered nor closed")
        .ok();
    String::from_utf8_lossy(&answer).into_owned()
}

// A request with no Host header, or a non-ASCII one, was let through.
#[tokio::test]
async fn a_missing_or_malformed_host_is_a_400() {
    let log = Log::default();
    let (bases, stub) = both(|c| c, &log).await;
    let body = minimal().to_string();
    for base in &bases {
        let addr: std::net::SocketAddr = base.trim_start_matches("http://").parse().unwrap();
        let create = |host: &str| {
            format!(
                "POST {CREATE} HTTP/1.1\r\n{host}Content-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            )
        };
        for (host, code) in [
            ("", "MissingParameter.Host"),
            ("Host: \r\n", "InvalidParameter.Host"),
            ("Host: évil.example\r\n", "InvalidParameter.Host"),
            ("Host: 127.0.0.1\u{3000}\r\n", "InvalidParameter.Host"),
            ("Host: user@127.0.0.1\r\n", "InvalidParameter.Host"),
            (
                "Host: 127.0.0.1\r\nHost: evil.example\r\n",
                "InvalidParameter.Host",
            ),
        ] {
            let answer = raw(addr, create(host).as_bytes()).await;
            assert!(answer.starts_with("HTTP/1.1 400 "), "{host:?}: {answer}");
            assert!(
                answer.contains(&format!("\"Code\":\"{code}\"")),
                "{host:?}: {answer}"
            );
            assert_no_secret(&answer, "answer");
        }
        // HTTP/1.0 needs no Host, but this server does; the page is refused the same way.
        let answer = raw(addr, b"GET / HTTP/1.0\r\n\r\n").await;
        assert!(answer.starts_with("HTTP/1.0 400 "), "{answer}");
        let answer = raw(addr, create("Host: 127.0.0.1\r\n").as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    }
    assert_eq!(stub.count(), 1);
    log.assert_clean();
}

// `--listen 0.0.0.0:PORT` turned the Host check off entirely: a request with `Host: evil.example` got 200.
#[tokio::test]
async fn a_wildcard_listen_still_checks_the_host() {
    let server = Process::start(
        BINARY.as_ref(),
        "0.0.0.0",
        &["--allow-host", "console.lan"],
        &[],
    )
    .await;
    let base = server.base();
    let mut replies = Vec::new();
    for host in [
        "evil.example",
        "evil.example:3000",
        "console.lan",
        "localhost:1",
    ] {
        replies.push((host, send(post(&base).header("host", host)).await));
    }
    server.stop();
    for (host, reply) in replies {
        if host.starts_with("evil") {
            reply.assert_error(403, "Forbidden.Host");
        } else {
            assert_eq!(reply.status, 200, "{host}: {:?}", reply.json());
        }
    }
}
