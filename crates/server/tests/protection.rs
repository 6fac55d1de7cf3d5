//! What keeps other web pages away, for both backends: the bearer token, CORS only for named origins, the
//! `Host` check. Over real sockets; no answer or log line may contain the token or a secret.

mod common;

use std::time::Duration;

use common::*;
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
        let reply = send(post(base).header("origin", "https://evil.example")).await;
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
