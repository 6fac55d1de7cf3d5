//! The emulator through `app(..).oneshot(..)`: every route, every error, idempotency and concurrency.

use std::time::Duration;

use axum::{
    Router,
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use workspace_server::{Backend, Config, Emulator, app, clock::Clock, emulator::Capacity};

use crate::common::minimal;

fn emulator(startup_delay: Duration) -> Router {
    app(Config::emulator(startup_delay))
}

/// An emulator whose time moves only when the test moves the clock it returns.
fn emulator_on_a_clock(startup_delay: Duration) -> (Router, Clock) {
    let clock = Clock::manual();
    let config = Config {
        backend: Backend::Emulator(Emulator::with_clock(
            startup_delay,
            Capacity::default(),
            clock.clone(),
        )),
        ..Config::emulator(startup_delay)
    };
    (app(config), clock)
}

struct Reply {
    status: StatusCode,
    content_type: String,
    /// The `x-acs-request-id` header.
    request_id: String,
    json: Value,
}

async fn send(app: &Router, mut request: Request<Body>) -> Reply {
    // The server answers only requests that name a host it knows (against DNS rebinding).
    request
        .headers_mut()
        .entry(header::HOST)
        .or_insert(header::HeaderValue::from_static(HOST));
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let request_id = response
        .headers()
        .get("x-acs-request-id")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        content_type,
        request_id,
        json,
    }
}

/// What a client on this machine sends as `Host`.
const HOST: &str = "127.0.0.1:3000";

fn post(uri: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap()
}

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

const CREATE: &str = "/api/v1/workspaces?regionId=cn-hangzhou";

/// The error body has every Alibaba key and a fresh upper-case request id.
fn assert_error(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.json);
    assert_eq!(reply.json["Code"], code, "{}", reply.json);
    for key in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(
            reply.json.get(key).is_some(),
            "{key} missing: {}",
            reply.json
        );
    }
    let id = reply.json["RequestId"].as_str().unwrap();
    assert_eq!(id.len(), 36, "{id}");
    assert_eq!(reply.request_id, id);
    assert_eq!(id, id.to_uppercase());
    assert!(reply.content_type.starts_with("application/json"));
}

#[tokio::test]
async fn create_answers_the_three_ids() {
    let app = emulator(Duration::ZERO);
    let reply = send(&app, post(CREATE, minimal().to_string())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    let id = reply.json["workspaceId"].as_str().unwrap();
    assert!(id.starts_with("w-") && id.len() == 18, "{id}");
    assert!(
        reply.json["operationId"]
            .as_str()
            .unwrap()
            .starts_with("op-")
    );
    let request_id = reply.json["requestId"].as_str().unwrap();
    assert_eq!(request_id.len(), 36);
    assert_eq!(request_id, request_id.to_uppercase());
    assert_eq!(reply.json.as_object().unwrap().len(), 3);
    assert_eq!(
        reply.request_id, request_id,
        "the header repeats the body's requestId"
    );
}

#[tokio::test]
async fn missing_region_is_named() {
    let app = emulator(Duration::ZERO);
    let reply = send(&app, post("/api/v1/workspaces", minimal().to_string())).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "MissingParameter.regionId");
    assert!(reply.json["Message"].as_str().unwrap().contains("regionId"));
    let reply = send(
        &app,
        post("/api/v1/workspaces?regionId=", minimal().to_string()),
    )
    .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "MissingParameter.regionId");
    let reply = send(
        &app,
        post("/api/v1/workspaces?regionId=mars-1", minimal().to_string()),
    )
    .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "InvalidParameter.regionId");
}

#[tokio::test]
async fn each_rule_answers_with_the_field_in_code_and_message() {
    let app = emulator(Duration::ZERO);
    let cases = [
        (
            with(minimal(), "workspaceName", json!("")),
            "MissingParameter.workspaceName",
        ),
        (
            with(minimal(), "workspaceName", json!("a b")),
            "InvalidParameter.workspaceName",
        ),
        (
            with(minimal(), "resourceSpec", json!({"cu": "0"})),
            "InvalidParameter.resourceSpec.cu",
        ),
        (
            with(minimal(), "resourceSpec", json!({})),
            "MissingParameter.resourceSpec.cu",
        ),
        (
            with(minimal(), "resourceSpec", json!({"cu": true})),
            "InvalidParameter.resourceSpec.cu",
        ),
        (
            with(minimal(), "resourceSpec", json!({"cu": "8", "gpu": "-1"})),
            "InvalidParameter.resourceSpec.gpu",
        ),
        (
            with(minimal(), "resourceSpec", json!("8")),
            "InvalidParameter.resourceSpec.cu",
        ),
        (
            with(minimal(), "ossBucket", json!("s3://x/")),
            "InvalidParameter.ossBucket",
        ),
        (
            with(minimal(), "paymentType", json!("Free")),
            "InvalidParameter.paymentType",
        ),
        (
            with(minimal(), "autoStartSessionCluster", json!("yes")),
            "InvalidParameter.autoStartSessionCluster",
        ),
        (
            with(minimal(), "tag", json!([{"key": "aliyun-x"}])),
            "InvalidParameter.tag[0].key",
        ),
        (
            with(minimal(), "tag", json!([{"key": "a"}, {"key": "a"}])),
            "InvalidParameter.tag[1].key",
        ),
        (
            with(minimal(), "tag", json!({"key": "a"})),
            "InvalidParameter.tag",
        ),
        (
            with(minimal(), "clientToken", json!("é")),
            "InvalidParameter.clientToken",
        ),
        (
            with(
                with(minimal(), "paymentType", json!("Pre")),
                "duration",
                json!("1"),
            ),
            "MissingParameter.paymentDurationUnit",
        ),
        (
            with(
                with(
                    with(minimal(), "paymentType", json!("Pre")),
                    "duration",
                    json!("1"),
                ),
                "paymentDurationUnit",
                json!("month"),
            ),
            "MissingParameter.autoRenew",
        ),
        (
            with(
                with(
                    with(minimal(), "paymentType", json!("Pre")),
                    "duration",
                    json!("1"),
                ),
                "autoRenew",
                json!("false"),
            ),
            "MissingParameter.paymentDurationUnit",
        ),
        (
            with(
                with(minimal(), "paymentType", json!("Pre")),
                "autoRenew",
                json!("no"),
            ),
            "InvalidParameter.autoRenew",
        ),
        (json!([1, 2]), "InvalidParameter.body"),
    ];
    for (body, code) in cases {
        let reply = send(&app, post(CREATE, body.to_string())).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, code);
        let path = code.split_once('.').unwrap().1;
        assert!(
            reply.json["Message"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{path}:")),
            "{code}: {}",
            reply.json["Message"]
        );
    }
}

/// Each of these is what Alibaba's own pages and SDK send, or what only our own guesses refused; the emulator,
/// like the real API, takes them all.
#[tokio::test]
async fn what_alibaba_accepts_the_emulator_accepts() {
    let app = emulator(Duration::ZERO);
    let pre = |extra: &[(&str, Value)]| {
        let mut body = minimal();
        for (k, v) in [
            ("paymentType", json!("Pre")),
            ("duration", json!("1")),
            ("paymentDurationUnit", json!("MONTH")),
            ("autoRenew", json!("false")),
        ]
        .into_iter()
        .chain(extra.iter().map(|(k, v)| (*k, v.clone())))
        {
            body[k] = v;
        }
        body
    };
    let cases = [
        (
            "cu as a number",
            with(minimal(), "resourceSpec", json!({"cu": 8})),
        ),
        (
            "autoRenew as a boolean",
            pre(&[
                ("autoRenew", json!(true)),
                ("autoRenewPeriod", json!("1")),
                ("autoRenewPeriodUnit", json!("MONTH")),
            ]),
        ),
        (
            "unit month in lower case",
            pre(&[("paymentDurationUnit", json!("month"))]),
        ),
        (
            "autoRenewPeriod 100",
            pre(&[
                ("autoRenew", json!("true")),
                ("autoRenewPeriod", json!("100")),
                ("autoRenewPeriodUnit", json!("month")),
            ]),
        ),
        ("dlfType 1.0", with(minimal(), "dlfType", json!("1.0"))),
        (
            "an unknown dlfType",
            with(minimal(), "dlfType", json!("dlf3.0")),
        ),
        (
            "an unknown releaseType",
            with(minimal(), "releaseType", json!("SERVICE_RELEASE")),
        ),
        (
            "a resource group without rg-",
            with(minimal(), "resourceGroupId", json!("default")),
        ),
        (
            "GPU types without GPU quota",
            with(minimal(), "gpuSpec", json!(["gn7i"])),
        ),
        (
            "CU above the default quota",
            with(minimal(), "resourceSpec", json!({"cu": "5001"})),
        ),
        (
            "oss://bucket without the slash",
            with(minimal(), "ossBucket", json!("oss://my-bucket")),
        ),
        (
            "a subscription field with pay-as-you-go",
            with(minimal(), "duration", json!("garbage")),
        ),
        (
            "autoStartSessionCluster as a string",
            with(minimal(), "autoStartSessionCluster", json!("true")),
        ),
        (
            "gpu as a string",
            with(minimal(), "resourceSpec", json!({"cu": "8", "gpu": "1"})),
        ),
        (
            "a catalog ID with a space",
            with(minimal(), "dlfCatalogId", json!("my catalog")),
        ),
    ];
    for (desc, body) in cases {
        let reply = send(&app, post(CREATE, body.to_string())).await;
        assert_eq!(reply.status, StatusCode::OK, "{desc}: {}", reply.json);
    }
    // No paymentType means pay-as-you-go, no ramRoleName the default role.
    let mut body = minimal();
    body.as_object_mut().unwrap().remove("paymentType");
    body.as_object_mut().unwrap().remove("ramRoleName");
    let reply = send(&app, post(CREATE, body.to_string())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    let id = reply.json["workspaceId"].as_str().unwrap();
    let got = send(
        &app,
        get(&format!("/api/v1/workspaces/{id}?regionId=cn-hangzhou")),
    )
    .await;
    assert_eq!(got.json["workspace"]["paymentType"], "PayAsYouGo");
    assert_eq!(
        got.json["workspace"]["ramRoleName"],
        "AliyunEMRSparkJobRunDefaultRole"
    );
}

#[tokio::test]
async fn a_subscription_with_auto_renew_is_created() {
    let app = emulator(Duration::ZERO);
    let mut body = minimal();
    for (k, v) in [
        ("paymentType", "Pre"),
        ("duration", "3"),
        ("paymentDurationUnit", "MONTH"),
        ("autoRenew", "true"),
        ("autoRenewPeriod", "12"),
        ("autoRenewPeriodUnit", "MONTH"),
    ] {
        body[k] = json!(v);
    }
    let reply = send(&app, post(CREATE, body.to_string())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    let id = reply.json["workspaceId"].as_str().unwrap();
    let got = send(
        &app,
        get(&format!("/api/v1/workspaces/{id}?regionId=cn-hangzhou")),
    )
    .await;
    let w = &got.json["workspace"];
    assert_eq!(w["paymentType"], "Pre");
    assert_eq!(w["duration"], 3);
    assert_eq!(w["autoRenew"], true);
    assert_eq!(w["autoRenewPeriod"], 12);
}

#[tokio::test]
async fn bad_bodies_get_a_4xx_with_a_code() {
    let app = emulator(Duration::ZERO);
    let reply = send(&app, post(CREATE, "{not json")).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "InvalidParameter.body");
    let reply = send(&app, post(CREATE, "")).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "InvalidParameter.body");

    let form = Request::post(CREATE)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("workspaceName=x"))
        .unwrap();
    assert_error(
        &send(&app, form).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UnsupportedMediaType",
    );
    let untyped = Request::post(CREATE)
        .body(Body::from(minimal().to_string()))
        .unwrap();
    assert_error(
        &send(&app, untyped).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UnsupportedMediaType",
    );

    let mut big = minimal();
    big["padding"] = json!("x".repeat(64 * 1024));
    let reply = send(&app, post(CREATE, big.to_string())).await;
    assert_error(
        &reply,
        StatusCode::PAYLOAD_TOO_LARGE,
        "RequestEntityTooLarge",
    );

    // Just under the limit is still read (and the unknown key ignored).
    let mut fits = minimal();
    let room = 64 * 1024 - fits.to_string().len() - r#","padding":"""#.len();
    fits["padding"] = json!("x".repeat(room));
    assert_eq!(fits.to_string().len(), 64 * 1024);
    assert_eq!(
        send(&app, post(CREATE, fits.to_string())).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods() {
    let app = emulator(Duration::ZERO);
    for uri in [
        "/api/v1/nothing",
        "/api",
        "/api/v2/workspaces",
        "/",
        "/index.html",
    ] {
        assert_error(
            &send(&app, get(uri)).await,
            StatusCode::NOT_FOUND,
            "InvalidApi.NotFound",
        );
    }
    let delete = Request::delete(CREATE).body(Body::empty()).unwrap();
    assert_error(
        &send(&app, delete).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "UnsupportedHTTPMethod",
    );
    let put = Request::builder()
        .method(Method::PUT)
        .uri("/api/v1/workspaces/w-1?regionId=cn-hangzhou")
        .body(Body::empty())
        .unwrap();
    assert_error(
        &send(&app, put).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "UnsupportedHTTPMethod",
    );
}

#[tokio::test]
async fn a_token_repeated_with_the_same_body_returns_the_same_workspace() {
    let app = emulator(Duration::ZERO);
    let body = with(minimal(), "clientToken", json!("token-1")).to_string();
    let first = send(&app, post(CREATE, body.clone())).await;
    let second = send(&app, post(CREATE, body)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(first.json["workspaceId"], second.json["workspaceId"]);
    assert_eq!(first.json["operationId"], second.json["operationId"]);
    assert_ne!(first.json["requestId"], second.json["requestId"]);

    // Key order and spacing do not make a different body.
    let reordered = r#"{ "clientToken":"token-1", "ramRoleName":"AliyunEMRSparkJobRunDefaultRole", "paymentType":"PayAsYouGo",
            "ossBucket":"oss://etl-bucket/", "resourceSpec":{"cu":"8"}, "workspaceName":"etl" }"#;
    let third = send(&app, post(CREATE, reordered)).await;
    assert_eq!(third.json["workspaceId"], first.json["workspaceId"]);

    let list = send(&app, get("/api/v1/workspaces?regionId=cn-hangzhou")).await;
    assert_eq!(list.json["totalCount"], 1);
}

#[tokio::test]
async fn a_token_reused_for_a_different_body_is_refused() {
    let app = emulator(Duration::ZERO);
    let body = with(minimal(), "clientToken", json!("token-2"));
    assert_eq!(
        send(&app, post(CREATE, body.to_string())).await.status,
        StatusCode::OK
    );
    let changed = with(body.clone(), "workspaceName", json!("other"));
    let reply = send(&app, post(CREATE, changed.to_string())).await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "IdempotentParameterMismatch",
    );
    // Another region with the same token is a different request too.
    let reply = send(
        &app,
        post("/api/v1/workspaces?regionId=cn-beijing", body.to_string()),
    )
    .await;
    assert_error(
        &reply,
        StatusCode::BAD_REQUEST,
        "IdempotentParameterMismatch",
    );
}

#[tokio::test]
async fn without_a_token_every_create_is_a_new_workspace() {
    let app = emulator(Duration::ZERO);
    let a = send(&app, post(CREATE, minimal().to_string())).await;
    let b = send(&app, post(CREATE, minimal().to_string())).await;
    assert_ne!(a.json["workspaceId"], b.json["workspaceId"]);
    let list = send(&app, get("/api/v1/workspaces?regionId=cn-hangzhou")).await;
    assert_eq!(list.json["totalCount"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_simultaneous_creates_with_one_token_make_one_workspace() {
    let app = emulator(Duration::ZERO);
    let body = with(minimal(), "clientToken", json!("race")).to_string();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let app = app.clone();
            let body = body.clone();
            tokio::spawn(async move { send(&app, post(CREATE, body)).await })
        })
        .collect();
    let mut ids = std::collections::BTreeSet::new();
    for task in tasks {
        let reply = task.await.unwrap();
        assert_eq!(reply.status, StatusCode::OK);
        ids.insert(reply.json["workspaceId"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    let list = send(&app, get("/api/v1/workspaces?regionId=cn-hangzhou")).await;
    assert_eq!(list.json["totalCount"], 1);
}

#[tokio::test]
async fn get_reports_starting_then_running() {
    let (app, clock) = emulator_on_a_clock(Duration::from_secs(10));
    let body = json!({
        "workspaceName": "标签_ws-1",
        "resourceSpec": {"cu": "16", "gpu": 2},
        "gpuSpec": ["ecs.gn7i-c8g1.2xlarge"],
        "ossBucket": "oss://etl-bucket/warehouse/",
        "paymentType": "PayAsYouGo",
        "ramRoleName": "AliyunEMRSparkJobRunDefaultRole",
        "dlfType": "dlf2.0",
        "tag": [{"key": "env", "value": "dev"}, {"key": "team"}],
    });
    let created = send(&app, post(CREATE, body.to_string())).await;
    let id = created.json["workspaceId"].as_str().unwrap();
    let uri = format!("/api/v1/workspaces/{id}?regionId=cn-hangzhou");
    let got = send(&app, get(&uri)).await;
    assert_eq!(got.status, StatusCode::OK);
    let w = &got.json["workspace"];
    assert_eq!(w["workspaceStatus"], "STARTING");
    assert_eq!(w["workspaceId"], id);
    assert_eq!(w["workspaceName"], "标签_ws-1");
    assert_eq!(w["regionId"], "cn-hangzhou");
    assert_eq!(w["resourceSpec"], "16cu");
    assert_eq!(w["storage"], "oss://etl-bucket/warehouse/");
    assert_eq!(w["dlfType"], "dlf2.0");
    assert_eq!(w["gpuSpec"], json!(["ecs.gn7i-c8g1.2xlarge"]));
    assert_eq!(
        w["tags"],
        json!([{"tagKey": "env", "tagValue": "dev"}, {"tagKey": "team", "tagValue": ""}])
    );
    assert!(w["createTime"].as_i64().unwrap() > 1_700_000_000_000);
    clock.advance(Duration::from_millis(9_999));
    let got = send(&app, get(&uri)).await;
    assert_eq!(got.json["workspace"]["workspaceStatus"], "STARTING");
    clock.advance(Duration::from_millis(1));
    let got = send(&app, get(&uri)).await;
    assert_eq!(got.json["workspace"]["workspaceStatus"], "RUNNING");
    assert_eq!(
        got.json["workspace"]["stateChangeReason"],
        json!({"code": "0", "message": "Success"})
    );
    assert!(got.json["workspace"].get("failReason").is_none());
}

#[tokio::test]
async fn get_returns_every_member_sdk_2_3_0_models_with_its_type() {
    let app = emulator(Duration::ZERO);
    let mut body = minimal();
    for (k, v) in [
        ("paymentType", json!("Pre")),
        ("duration", json!("3")),
        ("paymentDurationUnit", json!("month")),
        ("autoRenew", json!(true)),
        ("autoRenewPeriod", json!(2)),
        ("autoRenewPeriodUnit", json!("MONTH")),
        ("dlfCatalogId", json!("cat-1")),
        ("releaseType", json!("pro")),
        ("resourceGroupId", json!("rg-abc")),
        ("gpuSpec", json!(["ecs.gn7i-c8g1.2xlarge"])),
        ("tag", json!([{"key": "env", "value": "dev"}])),
    ] {
        body[k] = v;
    }
    body["resourceSpec"] = json!({"cu": "8", "gpu": 2});
    let created = send(&app, post(CREATE, body.to_string())).await;
    let id = created.json["workspaceId"].as_str().unwrap();
    let got = send(
        &app,
        get(&format!("/api/v1/workspaces/{id}?regionId=cn-hangzhou")),
    )
    .await;
    let w = got.json["workspace"].as_object().unwrap();
    let kind = |v: &Value| match v {
        Value::String(_) => "str",
        Value::Number(n) if n.is_i64() => "int",
        Value::Bool(_) => "bool",
        Value::Array(_) => "list",
        Value::Object(_) => "obj",
        _ => "other",
    };
    // (member, type) as models/_get_workspace_response_body.py declares them.
    for (member, want) in [
        ("autoRenew", "bool"),
        ("autoRenewPeriod", "int"),
        ("autoRenewPeriodUnit", "str"),
        ("createTime", "int"),
        ("dlfCatalogId", "str"),
        ("dlfType", "str"),
        ("duration", "int"),
        ("endTime", "int"),
        ("gpuSpec", "list"),
        ("ipWhiteList", "list"),
        ("paymentDurationUnit", "str"),
        ("paymentStatus", "str"),
        ("paymentType", "str"),
        ("prePaidQuota", "obj"),
        ("prePaidQuotaGpu", "list"),
        ("ramRoleName", "str"),
        ("regionId", "str"),
        ("releaseType", "str"),
        ("resourceGroupId", "str"),
        ("resourceOwnerId", "str"),
        ("resourceSpec", "str"),
        ("stateChangeReason", "obj"),
        ("storage", "str"),
        ("tags", "list"),
        ("workspaceId", "str"),
        ("workspaceName", "str"),
        ("workspaceStatus", "str"),
    ] {
        let v = w
            .get(member)
            .unwrap_or_else(|| panic!("no {member} in {}", got.json));
        assert_eq!(kind(v), want, "{member}: {v}");
    }
    assert_eq!(w["duration"], 3);
    assert_eq!(w["paymentDurationUnit"], "MONTH");
    assert_eq!(
        w["endTime"].as_i64().unwrap() - w["createTime"].as_i64().unwrap(),
        90 * 86_400_000
    );
    let quota = w["prePaidQuota"].as_object().unwrap();
    for (member, want) in [
        ("allocatedResource", "str"),
        ("autoRenewal", "bool"),
        ("createTime", "int"),
        ("expireTime", "int"),
        ("instanceId", "str"),
        ("maxResource", "str"),
        ("orderId", "str"),
        ("paymentStatus", "str"),
        ("usedResource", "str"),
    ] {
        assert_eq!(kind(&quota[member]), want, "prePaidQuota.{member}");
    }
    assert_eq!(
        quota["maxResource"],
        r#"{"cpu":"8","memory":"32Gi","cu":"8"}"#
    );
    assert_eq!(w["prePaidQuotaGpu"][0]["gpuNum"], 2);
    // Pay-as-you-go: no subscription members.
    let created = send(&app, post(CREATE, minimal().to_string())).await;
    let id = created.json["workspaceId"].as_str().unwrap();
    let got = send(
        &app,
        get(&format!("/api/v1/workspaces/{id}?regionId=cn-hangzhou")),
    )
    .await;
    let w = got.json["workspace"].as_object().unwrap();
    for member in [
        "duration",
        "autoRenew",
        "endTime",
        "prePaidQuota",
        "autoRenewPeriod",
    ] {
        assert!(w.get(member).is_none(), "{member} for pay-as-you-go");
    }
    assert_eq!(w["prePaidQuotaGpu"], json!([]));
}

#[tokio::test]
async fn a_reserved_name_prefix_makes_the_start_fail() {
    let (app, clock) = emulator_on_a_clock(Duration::from_secs(10));
    let body = with(minimal(), "workspaceName", json!("emulator-fail-stock"));
    let created = send(&app, post(CREATE, body.to_string())).await;
    assert_eq!(
        created.status,
        StatusCode::OK,
        "creation itself is accepted"
    );
    let id = created.json["workspaceId"].as_str().unwrap();
    let uri = format!("/api/v1/workspaces/{id}?regionId=cn-hangzhou");
    let w = send(&app, get(&uri)).await.json["workspace"].clone();
    assert_eq!(w["workspaceStatus"], "STARTING");
    assert!(w.get("failReason").is_none());
    clock.advance(Duration::from_secs(10));
    let w = send(&app, get(&uri)).await.json["workspace"].clone();
    assert_eq!(w["workspaceStatus"], "TERMINATED");
    assert_eq!(w["failReason"], "out of stock");
    assert_eq!(w["stateChangeReason"]["code"], "OutOfStock");
    // The list reports the same.
    let list = send(
        &app,
        get("/api/v1/workspaces?regionId=cn-hangzhou&state=terminated"),
    )
    .await;
    assert_eq!(list.json["workspaces"][0]["failReason"], "out of stock");
}

#[tokio::test]
async fn get_errors() {
    let app = emulator(Duration::ZERO);
    let created = send(&app, post(CREATE, minimal().to_string())).await;
    let id = created.json["workspaceId"].as_str().unwrap();
    let reply = send(&app, get(&format!("/api/v1/workspaces/{id}"))).await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "MissingParameter.regionId");
    // The workspace lives in cn-hangzhou only.
    let reply = send(
        &app,
        get(&format!("/api/v1/workspaces/{id}?regionId=cn-beijing")),
    )
    .await;
    assert_error(&reply, StatusCode::NOT_FOUND, "WorkspaceNotFound");
    let reply = send(
        &app,
        get("/api/v1/workspaces/w-0000000000000000?regionId=cn-hangzhou"),
    )
    .await;
    assert_error(&reply, StatusCode::NOT_FOUND, "WorkspaceNotFound");
}

#[tokio::test]
async fn list_filters_and_pages() {
    let app = emulator(Duration::ZERO);
    for (name, region) in [
        ("alpha", "cn-hangzhou"),
        ("beta", "cn-hangzhou"),
        ("Alphabet", "cn-hangzhou"),
        ("alpha", "cn-beijing"),
    ] {
        let body = with(minimal(), "workspaceName", json!(name));
        let uri = format!("/api/v1/workspaces?regionId={region}");
        assert_eq!(
            send(&app, post(&uri, body.to_string())).await.status,
            StatusCode::OK
        );
    }
    let all = send(&app, get("/api/v1/workspaces?regionId=cn-hangzhou")).await;
    assert_eq!(all.json["totalCount"], 3);
    assert_eq!(all.json["maxResults"], 20);
    assert!(all.json.get("nextToken").is_none());
    let names: Vec<_> = all.json["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["workspaceName"].clone())
        .collect();
    assert_eq!(
        names,
        [json!("Alphabet"), json!("beta"), json!("alpha")],
        "newest first"
    );

    let fuzzy = send(
        &app,
        get("/api/v1/workspaces?regionId=cn-hangzhou&name=alpha"),
    )
    .await;
    assert_eq!(fuzzy.json["totalCount"], 2);

    let page1 = send(
        &app,
        get("/api/v1/workspaces?regionId=cn-hangzhou&maxResults=2"),
    )
    .await;
    assert_eq!(page1.json["workspaces"].as_array().unwrap().len(), 2);
    assert_eq!(page1.json["nextToken"], "2");
    let page2 = send(
        &app,
        get("/api/v1/workspaces?regionId=cn-hangzhou&maxResults=2&nextToken=2"),
    )
    .await;
    assert_eq!(page2.json["workspaces"].as_array().unwrap().len(), 1);
    assert!(page2.json.get("nextToken").is_none());

    let running = send(
        &app,
        get("/api/v1/workspaces?regionId=cn-hangzhou&state=running"),
    )
    .await;
    assert_eq!(running.json["totalCount"], 3);
    let starting = send(
        &app,
        get("/api/v1/workspaces?regionId=cn-hangzhou&state=Starting"),
    )
    .await;
    assert_eq!(starting.json["totalCount"], 0);

    for (query, code) in [
        ("", "MissingParameter.regionId"),
        (
            "regionId=cn-hangzhou&maxResults=0",
            "InvalidParameter.maxResults",
        ),
        (
            "regionId=cn-hangzhou&maxResults=abc",
            "InvalidParameter.maxResults",
        ),
        (
            "regionId=cn-hangzhou&nextToken=x",
            "InvalidParameter.nextToken",
        ),
        ("regionId=cn-hangzhou&tag=notjson", "InvalidParameter.tag"),
    ] {
        let reply = send(&app, get(&format!("/api/v1/workspaces?{query}"))).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, code);
    }
}

#[tokio::test]
async fn list_filters_by_tag() {
    let app = emulator(Duration::ZERO);
    let tagged = with(minimal(), "tag", json!([{"key": "env", "value": "prod"}]));
    send(&app, post(CREATE, tagged.to_string())).await;
    send(&app, post(CREATE, minimal().to_string())).await;
    let q = "/api/v1/workspaces?regionId=cn-hangzhou&tag=%5B%7B%22key%22%3A%22env%22%2C%22value%22%3A%22prod%22%7D%5D";
    assert_eq!(send(&app, get(q)).await.json["totalCount"], 1);
}

#[tokio::test]
async fn serves_the_front_end_when_given_a_dist_folder() {
    let dir = std::env::temp_dir().join(format!("ws-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>console</title>",
    )
    .unwrap();
    let app = app(Config::emulator(Duration::ZERO).with_dist(&dir));
    let response = app.clone().oneshot(get("/")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&text).contains("<title>console</title>"));
    // The API still answers beside the files, and unknown API paths stay JSON errors.
    assert_eq!(
        send(&app, post(CREATE, minimal().to_string())).await.status,
        StatusCode::OK
    );
    assert_error(
        &send(&app, get("/api/nothing")).await,
        StatusCode::NOT_FOUND,
        "InvalidApi.NotFound",
    );
    let missing = app.clone().oneshot(get("/missing.js")).await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // Content-hashed assets are cached for good; the page itself is always revalidated.
    std::fs::write(dir.join("app-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
    std::fs::write(dir.join("plain.js"), "1").unwrap();
    let cache = |response: &axum::response::Response| {
        response.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let hashed = app
        .clone()
        .oneshot(get("/app-0123456789abcdef_bg.wasm"))
        .await
        .unwrap();
    assert_eq!(hashed.status(), StatusCode::OK);
    assert_eq!(cache(&hashed), "public, max-age=31536000, immutable");
    let plain = app.clone().oneshot(get("/plain.js")).await.unwrap();
    assert_eq!(cache(&plain), "no-cache");
    let page = app.oneshot(get("/")).await.unwrap();
    assert_eq!(cache(&page), "no-cache");
    std::fs::remove_dir_all(&dir).ok();
}
