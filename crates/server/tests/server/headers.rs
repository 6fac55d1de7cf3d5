//! Response headers that keep answers from being misread or framed: `X-Content-Type-Options: nosniff` on every
//! answer, a `Content-Security-Policy` that forbids everything on API answers, and on the page one that allows only
//! its own scripts (with trunk's inline start-up script by hash), wasm and styles.

use std::{path::PathBuf, time::Duration};

use axum::{
    Router,
    body::Body,
    http::{Request, Response, StatusCode, header},
};
use base64::Engine as _;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use workspace_server::{Config, app};

const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Trunk 0.21's start-up snippet, exactly as its default initializer writes it into `dist/index.html`.
const TRUNK_SNIPPET: &str = "
import init, * as bindings from '/workspace-console-0123456789abcdef.js';
const wasm = await init({ module_or_path: '/workspace-console-0123456789abcdef_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {detail: {wasm}}));

";

/// A `dist/` shaped like `trunk build --release` output for this project's `index.html`.
fn dist(snippet: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ws-headers-dist-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), index_html(snippet)).unwrap();
    std::fs::write(dir.join("main-877dfad4fb299982.css"), "body{margin:0}").unwrap();
    std::fs::write(
        dir.join("workspace-console-0123456789abcdef.js"),
        "export default async function init(){}",
    )
    .unwrap();
    std::fs::write(
        dir.join("workspace-console-0123456789abcdef_bg.wasm"),
        b"\0asm",
    )
    .unwrap();
    dir
}

fn index_html(snippet: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\">\
         <title>Create workspace</title><link rel=\"stylesheet\" href=\"/main-877dfad4fb299982.css\" \
         integrity=\"sha384-x\"><link rel=\"modulepreload\" href=\"/workspace-console-0123456789abcdef.js\" \
         crossorigin=\"anonymous\"><link rel=\"preload\" href=\"/workspace-console-0123456789abcdef_bg.wasm\" \
         crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\"></head><body class=\"ws-page\">\
         <main data-create-workspace></main><script type=\"module\">{snippet}</script></body></html>"
    )
}

/// The CSP source for a script, computed independently of the server.
fn sha256_source(script: &str) -> String {
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()))
    )
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::empty())
        .unwrap()
}

async fn call(app: &Router, request: Request<Body>) -> (Response<Body>, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let text = String::from_utf8_lossy(&body.collect().await.unwrap().to_bytes()).into_owned();
    (Response::from_parts(parts, Body::empty()), text)
}

fn header_of(response: &Response<Body>, name: header::HeaderName) -> Option<&str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

// No answer carried X-Content-Type-Options, so a browser could sniff an API answer (or an error) as HTML.
#[tokio::test]
async fn every_answer_says_nosniff() {
    let dir = dist(TRUNK_SNIPPET);
    let app = app(Config::emulator(Duration::ZERO)
        .with_dist(&dir)
        .with_auth_token("t0ken"));
    let mut requests = vec![
        get("/"),
        get("/main-877dfad4fb299982.css"),
        get("/missing.js"),
        get("/api/v1/workspaces?regionId=cn-hangzhou"),
        get("/api/nothing"),
        Request::get("/").body(Body::empty()).unwrap(),
        Request::get("/api/v1/workspaces")
            .header(header::HOST, "evil.example")
            .body(Body::empty())
            .unwrap(),
    ];
    requests.push(
        Request::get("/api/v1/workspaces?regionId=cn-hangzhou")
            .header(header::HOST, "localhost")
            .header(header::AUTHORIZATION, "Bearer t0ken")
            .body(Body::empty())
            .unwrap(),
    );
    let mut statuses = Vec::new();
    for request in requests {
        let (response, _) = call(&app, request).await;
        assert_eq!(
            header_of(&response, header::X_CONTENT_TYPE_OPTIONS),
            Some("nosniff"),
            "{}",
            response.status()
        );
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 404, 401, 401, 400, 403, 200]);
    std::fs::remove_dir_all(&dir).ok();
}

// API answers had no Content-Security-Policy: one rendered as a document (an error page opened in a tab, or a
// frame) would run under no policy at all.
#[tokio::test]
async fn api_answers_forbid_everything() {
    let dir = dist(TRUNK_SNIPPET);
    let app = app(Config::emulator(Duration::ZERO).with_dist(&dir));
    for uri in [
        "/api/v1/workspaces?regionId=cn-hangzhou",
        "/api/v1/workspaces",
        "/api/v1/workspaces/w-0000000000000000?regionId=cn-hangzhou",
        "/api/nothing",
        "/api",
        "/api/",
    ] {
        let (response, body) = call(&app, get(uri)).await;
        assert_eq!(
            header_of(&response, header::CONTENT_SECURITY_POLICY),
            Some(API_CSP),
            "{uri}"
        );
        assert!(body.starts_with('{'), "{uri}: JSON, not the page: {body}");
    }
    let refused = Request::get("/api/v1/workspaces")
        .header(header::HOST, "evil.example")
        .body(Body::empty())
        .unwrap();
    let (response, _) = call(&app, refused).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        header_of(&response, header::CONTENT_SECURITY_POLICY),
        Some(API_CSP)
    );
    std::fs::remove_dir_all(&dir).ok();
}

// The page had no policy: an injected script or a framing page met no resistance. A plain `script-src 'self'`
// would block trunk's inline start-up script, so the policy must carry its hash.
#[tokio::test]
async fn the_page_allows_only_its_own_scripts_wasm_and_styles() {
    let dir = dist(TRUNK_SNIPPET);
    let app = app(Config::emulator(Duration::ZERO).with_dist(&dir));
    let (page, html) = call(&app, get("/")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(html.contains("TrunkApplicationStarted"));
    let csp = header_of(&page, header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_owned();
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    assert_eq!(directives[0], "default-src 'none'");
    assert!(
        directives.contains(
            &format!(
                "script-src 'self' 'wasm-unsafe-eval' {}",
                sha256_source(TRUNK_SNIPPET)
            )
            .as_str()
        ),
        "{csp}"
    );
    for directive in [
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(directives.contains(&directive), "{directive}: {csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains('*'),
        "{csp}"
    );

    // Every HTML answer gets one, hashed on its own scripts; other files get the policy too.
    std::fs::write(dir.join("other.html"), "<script>other()</script>").unwrap();
    let (other, _) = call(&app, get("/other.html")).await;
    let csp = header_of(&other, header::CONTENT_SECURITY_POLICY).unwrap();
    assert!(csp.contains(&sha256_source("other()")), "{csp}");
    assert!(!csp.contains(&sha256_source(TRUNK_SNIPPET)), "{csp}");
    let (css, _) = call(&app, get("/main-877dfad4fb299982.css")).await;
    assert!(
        header_of(&css, header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .starts_with("default-src 'none'")
    );

    // A rebuild under a running server changes the snippet (its file names are content hashes): the next answer
    // allows the new one, not the old.
    let rebuilt = TRUNK_SNIPPET.replace("0123456789abcdef", "fedcba9876543210");
    std::fs::write(dir.join("index.html"), index_html(&rebuilt)).unwrap();
    let (page, _) = call(&app, get("/index.html")).await;
    let csp = header_of(&page, header::CONTENT_SECURITY_POLICY).unwrap();
    assert!(
        csp.contains(&sha256_source(&rebuilt)) && !csp.contains(&sha256_source(TRUNK_SNIPPET)),
        "{csp}"
    );

    // A revalidation answered 304 carries no policy: the browser keeps the one stored with the page, which has
    // the hash; a policy without it would replace that one and block the start-up script.
    let modified = header_of(&page, header::LAST_MODIFIED).unwrap().to_owned();
    let revalidate = Request::get("/index.html")
        .header(header::HOST, "localhost:3000")
        .header(header::IF_MODIFIED_SINCE, modified)
        .body(Body::empty())
        .unwrap();
    let (not_modified, _) = call(&app, revalidate).await;
    assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        header_of(&not_modified, header::CONTENT_SECURITY_POLICY),
        None
    );
    std::fs::remove_dir_all(&dir).ok();
}

// Embedding the console in an admin page's iframe must be allowed explicitly, and only for the origins named.
#[tokio::test]
async fn frame_ancestors_come_from_the_flag() {
    let dir = dist(TRUNK_SNIPPET);
    let app = app(Config::emulator(Duration::ZERO)
        .with_dist(&dir)
        .with_frame_ancestors(["https://admin.example.com", "'self'"]));
    let (page, _) = call(&app, get("/")).await;
    let csp = header_of(&page, header::CONTENT_SECURITY_POLICY).unwrap();
    assert!(
        csp.ends_with("frame-ancestors https://admin.example.com 'self'"),
        "{csp}"
    );
    // The API stays unframeable whatever the page allows.
    let (api, _) = call(&app, get("/api/v1/workspaces?regionId=cn-hangzhou")).await;
    assert_eq!(
        header_of(&api, header::CONTENT_SECURITY_POLICY),
        Some(API_CSP)
    );
    std::fs::remove_dir_all(&dir).ok();
}

// Every request compressed the wasm again, at a fast level; the build now writes .br and .gz twins, and the
// server must send the one the browser accepts, say so, and tell caches that the answer varies.
#[tokio::test]
async fn precompressed_twins_are_sent_by_accept_encoding() {
    let dir = dist(TRUNK_SNIPPET);
    let wasm = "workspace-console-0123456789abcdef_bg.wasm";
    std::fs::write(dir.join(format!("{wasm}.br")), b"BROTLI").unwrap();
    std::fs::write(dir.join(format!("{wasm}.gz")), b"GZIP").unwrap();
    let app = app(Config::emulator(Duration::ZERO).with_dist(&dir));
    for (accept, encoding, body) in [
        (Some("gzip, deflate, br, zstd"), Some("br"), "BROTLI"),
        (Some("gzip"), Some("gzip"), "GZIP"),
        (None, None, "\0asm"),
        (Some("identity"), None, "\0asm"),
    ] {
        let mut request = Request::get(format!("/{wasm}")).header(header::HOST, "127.0.0.1:3000");
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT_ENCODING, accept);
        }
        let (response, text) = call(&app, request.body(Body::empty()).unwrap()).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept:?}");
        assert_eq!(
            header_of(&response, header::CONTENT_ENCODING),
            encoding,
            "{accept:?}"
        );
        assert_eq!(text, body, "{accept:?}");
        assert_eq!(
            header_of(&response, header::CONTENT_TYPE),
            Some("application/wasm"),
            "{accept:?}"
        );
        assert!(
            header_of(&response, header::VARY)
                .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding")),
            "{accept:?}: {:?}",
            response.headers()
        );
        assert_eq!(
            header_of(&response, header::CACHE_CONTROL),
            Some("public, max-age=31536000, immutable")
        );
    }
    // The page itself is compressed on the fly (its inline script must be hashed first), and revalidated.
    let request = Request::get("/")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let (page, _) = call(&app, request).await;
    assert_eq!(header_of(&page, header::CACHE_CONTROL), Some("no-cache"));
    assert!(
        header_of(&page, header::CONTENT_SECURITY_POLICY).is_some_and(|c| c.contains("'sha256-"))
    );
    std::fs::remove_dir_all(&dir).ok();
}
