//! The emulator with `--verify-key`: every API request must be ACS3-signed with that key, once, and recently.
//! Requests are signed here with `acs3::sign`, the gateway's signer.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::{common::*, process::Process};
use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode},
};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use workspace_server::{
    Config,
    acs3::{self, Credentials, SignRequest},
    app,
};

const HOST: &str = "127.0.0.1:3000";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn verifying(log: &Log) -> Router {
    app(log.attach(Config::emulator(Duration::ZERO).with_verify_key(credentials(SECRET, None))))
}

/// A signed request: `path` as sent (percent-encoded), `query` decoded.
struct Signed {
    method: &'static str,
    path: String,
    query: Vec<(String, String)>,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
}

fn sign(
    method: &'static str,
    path: &str,
    query: &[(&str, &str)],
    body: &[u8],
    credentials: &Credentials,
    unix: u64,
) -> Signed {
    let query: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let headers = acs3::sign(
        &SignRequest {
            method,
            host: HOST,
            path,
            query: &query,
            body,
            content_type: (method == "POST").then_some("application/json"),
            action: if method == "POST" {
                "CreateWorkspace"
            } else {
                "ListWorkspaces"
            },
            version: acs3::API_VERSION,
        },
        credentials,
        &acs3::format_acs_date(unix),
        &acs3::new_nonce(),
    );
    Signed {
        method,
        path: path.to_owned(),
        query,
        body: body.to_vec(),
        headers,
    }
}

impl Signed {
    fn request(&self) -> Request<Body> {
        let query = acs3::canonical_query(&self.query);
        let uri = if query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{query}", self.path)
        };
        let mut builder = Request::builder().method(self.method).uri(uri);
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        builder.body(Body::from(self.body.clone())).unwrap()
    }
}

async fn call(app: &Router, mut request: Request<Body>) -> (StatusCode, Value) {
    // Signed requests carry the host they signed; others get the one a local client sends.
    request
        .headers_mut()
        .entry("host")
        .or_insert(axum::http::HeaderValue::from_static(HOST));
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_no_secret(&String::from_utf8_lossy(&bytes), "body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn create_body() -> Vec<u8> {
    minimal().to_string().into_bytes()
}

#[tokio::test]
async fn signed_requests_are_accepted_once() {
    let log = Log::default();
    let app = verifying(&log);
    let key = credentials(SECRET, None);
    let created = sign(
        "POST",
        "/api/v1/workspaces",
        &[("regionId", "cn-hangzhou")],
        &create_body(),
        &key,
        now(),
    );
    let (status, body) = call(&app, created.request()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = body["workspaceId"].as_str().unwrap().to_owned();

    // The same signed request again: the nonce was used.
    let (status, body) = call(&app, created.request()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["Code"], "SignatureNonceUsed");

    // STS credentials: the token header is signed along.
    let sts = credentials(SECRET, Some(STS_TOKEN));
    let list = sign(
        "GET",
        "/api/v1/workspaces",
        &[("regionId", "cn-hangzhou"), ("name", "e t*l~")],
        b"",
        &sts,
        now(),
    );
    let (status, body) = call(&app, list.request()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["totalCount"], 0, "no name matches “e t*l~”");

    // A percent-encoded path is verified as received.
    for path in [
        format!("/api/v1/workspaces/{id}"),
        "/api/v1/workspaces/w-%E4%B8%AD%20x".to_owned(),
    ] {
        let get = sign(
            "GET",
            &path,
            &[("regionId", "cn-hangzhou")],
            b"",
            &key,
            now(),
        );
        let (status, body) = call(&app, get.request()).await;
        assert!(
            status == StatusCode::OK || body["Code"] == "WorkspaceNotFound",
            "{path}: {body}"
        );
    }
    // Clock skew within 15 minutes either way is fine.
    for unix in [now() - 14 * 60, now() + 14 * 60] {
        let list = sign(
            "GET",
            "/api/v1/workspaces",
            &[("regionId", "cn-hangzhou")],
            b"",
            &key,
            unix,
        );
        assert_eq!(call(&app, list.request()).await.0, StatusCode::OK);
    }
    // Unknown routes are verified too, then not found.
    let nothing = sign("GET", "/api/v1/nothing", &[], b"", &key, now());
    assert_eq!(
        call(&app, nothing.request()).await.1["Code"],
        "InvalidApi.NotFound"
    );
    log.assert_clean();
}

#[tokio::test]
async fn bad_signatures_are_refused_with_alibabas_codes() {
    let log = Log::default();
    let app = verifying(&log);
    let key = credentials(SECRET, None);
    let region = [("regionId", "cn-hangzhou")];
    let body = create_body();

    let wrong = sign(
        "POST",
        "/api/v1/workspaces",
        &region,
        &body,
        &credentials(WRONG_SECRET, None),
        now(),
    );
    let (status, reply) = call(&app, wrong.request()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reply["Code"], "SignatureDoesNotMatch");
    assert!(
        reply["Message"]
            .as_str()
            .unwrap()
            .contains("ACS3-HMAC-SHA256\n")
    );

    let old = sign(
        "POST",
        "/api/v1/workspaces",
        &region,
        &body,
        &key,
        now() - 16 * 60,
    );
    assert_eq!(
        call(&app, old.request()).await.1["Code"],
        "InvalidTimeStamp.Expired"
    );
    let future = sign(
        "GET",
        "/api/v1/workspaces",
        &region,
        b"",
        &key,
        now() + 16 * 60,
    );
    assert_eq!(
        call(&app, future.request()).await.1["Code"],
        "InvalidTimeStamp.Expired"
    );

    // Another body, region or path than the one signed.
    let mut tampered = sign("POST", "/api/v1/workspaces", &region, &body, &key, now());
    tampered.body = minimal().to_string().replace("etl", "etm").into_bytes();
    assert_eq!(
        call(&app, tampered.request()).await.1["Code"],
        "SignatureDoesNotMatch"
    );
    let mut moved = sign("GET", "/api/v1/workspaces", &region, b"", &key, now());
    moved.query = vec![("regionId".into(), "cn-beijing".into())];
    assert_eq!(
        call(&app, moved.request()).await.1["Code"],
        "SignatureDoesNotMatch"
    );
    let mut elsewhere = sign("GET", "/api/v1/workspaces/w-1", &region, b"", &key, now());
    elsewhere.path = "/api/v1/workspaces/w-2".into();
    assert_eq!(
        call(&app, elsewhere.request()).await.1["Code"],
        "SignatureDoesNotMatch"
    );

    let stranger = Credentials {
        access_key_id: "LTAI-stranger".into(),
        ..key.clone()
    };
    let unknown = sign("GET", "/api/v1/workspaces", &region, b"", &stranger, now());
    let (status, reply) = call(&app, unknown.request()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(reply["Code"], "InvalidAccessKeyId.NotFound");

    let unsigned = Request::get("/api/v1/workspaces?regionId=cn-hangzhou")
        .body(Body::empty())
        .unwrap();
    let (status, reply) = call(&app, unsigned).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reply["Code"], "MissingParameter.Authorization");
    for key in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(reply.get(key).is_some(), "{key}: {reply}");
    }

    let big = Request::post("/api/v1/workspaces?regionId=cn-hangzhou")
        .header("content-type", "application/json")
        .body(Body::from(vec![b' '; 64 * 1024 + 1]))
        .unwrap();
    let (status, reply) = call(&app, big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply["Code"], "RequestEntityTooLarge");

    // Refused requests burn no nonce and create nothing.
    let list = sign("GET", "/api/v1/workspaces", &region, b"", &key, now());
    let (status, reply) = call(&app, list.request()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["totalCount"], 0);
    // Pages outside the API are not signed.
    assert_eq!(
        call(&app, Request::get("/").body(Body::empty()).unwrap())
            .await
            .1["Code"],
        "InvalidApi.NotFound"
    );
    log.assert_clean();
    assert!(
        log.lines().iter().any(|l| l.contains("status=400")),
        "{:#?}",
        log.lines()
    );
}

#[tokio::test]
async fn without_a_verify_key_nothing_is_checked() {
    let app = app(Config::emulator(Duration::ZERO));
    let unsigned = Request::get("/api/v1/workspaces?regionId=cn-hangzhou")
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&app, unsigned).await.0, StatusCode::OK);
}

// `--verify-key` could only be given on the command line, where the secret shows in the process list.
#[tokio::test]
async fn the_verify_key_can_come_from_the_environment() {
    let key = format!("{KEY_ID}:{SECRET}");
    let server = Process::start(
        BINARY.as_ref(),
        "127.0.0.1",
        &[] as &[&str],
        &[("WORKSPACE_VERIFY_KEY", &key)],
    )
    .await;
    let base = server.base();
    let replies = {
        let host = server.addr.to_string();
        let query = [("regionId".to_owned(), "cn-hangzhou".to_owned())];
        let headers = acs3::sign(
            &SignRequest {
                method: "GET",
                host: &host,
                path: "/api/v1/workspaces",
                query: &query,
                body: b"",
                content_type: None,
                action: "ListWorkspaces",
                version: acs3::API_VERSION,
            },
            &credentials(SECRET, None),
            &acs3::format_acs_date(now()),
            &acs3::new_nonce(),
        );
        let mut request = client().get(format!("{base}/api/v1/workspaces?regionId=cn-hangzhou"));
        for (name, value) in headers {
            // reqwest sends the same Host itself.
            if name != "host" {
                request = request.header(name, value);
            }
        }
        let signed = send(request).await;
        let unsigned =
            send(client().get(format!("{base}/api/v1/workspaces?regionId=cn-hangzhou"))).await;
        (signed, unsigned)
    };
    let output = server.stop();
    let stderr = output.stderr;
    let (signed, unsigned) = replies;
    assert_eq!(signed.status, 200, "{:?}", signed.json());
    unsigned.assert_error(400, "MissingParameter.Authorization");
    assert_no_secret(&stderr, "stderr");
    assert_no_secret(&output.stdout, "stdout");
}
