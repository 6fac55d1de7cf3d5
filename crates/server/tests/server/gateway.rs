//! The signing gateway over real sockets: against the emulator verifying its signatures, against stub upstreams
//! that record what arrives, and every refusal. No answer or log line may contain the secret or a token.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::{common::*, process::Process};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use workspace_server::{
    Config, GatewayConfig,
    acs3::{self, Credentials, IncomingRequest},
    app,
};

const CREATE: &str = "/api/v1/workspaces?regionId=cn-hangzhou";

/// A gateway to `upstream` with these credentials, logging into `log`.
async fn gateway(upstream: &str, credentials: Credentials, log: &Log) -> String {
    gateway_with(GatewayConfig::new(credentials).with_upstream(upstream), log).await
}

async fn gateway_with(config: GatewayConfig, log: &Log) -> String {
    let config = log.attach(Config::aliyun(config).expect("a valid gateway config"));
    format!("http://{}", spawn(app(config)).await)
}

/// An emulator that requires signatures with the test key.
async fn verifying_emulator(log: &Log) -> String {
    let config = Config::emulator(Duration::ZERO).with_verify_key(credentials(SECRET, None));
    format!("http://{}", spawn(app(log.attach(config))).await)
}

fn post(base: &str, path: &str, body: impl Into<reqwest::Body>) -> reqwest::RequestBuilder {
    client()
        .post(format!("{base}{path}"))
        .header("content-type", "application/json")
        .body(body)
}

fn get(base: &str, path: &str) -> reqwest::RequestBuilder {
    client().get(format!("{base}{path}"))
}

/// Verifies a request the stub recorded with the test key, as Alibaba would.
fn verify_recorded(r: &Recorded, secret: &str) -> Result<(), acs3::VerifyError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    acs3::verify(
        &IncomingRequest {
            method: &r.method,
            path: &r.path,
            raw_query: &r.query,
            body: &r.body,
        },
        |name| r.header(name).map(str::to_owned),
        |id| (id == KEY_ID).then(|| secret.to_owned()),
        now,
        |_| false,
    )
    .map(|_| ())
}

#[tokio::test]
async fn create_get_and_list_through_the_gateway_to_an_emulator_that_verifies_signatures() {
    let (emulator_log, gateway_log) = (Log::default(), Log::default());
    let emulator = verifying_emulator(&emulator_log).await;
    let gw = gateway(&emulator, credentials(SECRET, None), &gateway_log).await;

    let created = send(post(&gw, CREATE, minimal().to_string())).await;
    assert_eq!(created.status, 200, "{:?}", created.json());
    assert!(
        created
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let body = created.json();
    let id = body["workspaceId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("w-"), "{body}");
    let request_id = body["requestId"].as_str().unwrap();
    assert_eq!(created.header("x-acs-request-id"), Some(request_id));

    let got = send(get(
        &gw,
        &format!("/api/v1/workspaces/{id}?regionId=cn-hangzhou"),
    ))
    .await;
    assert_eq!(got.status, 200, "{:?}", got.json());
    assert_eq!(got.json()["workspace"]["workspaceName"], "etl");
    assert_eq!(got.json()["workspace"]["workspaceId"], id.as_str());

    let listed = send(get(
        &gw,
        "/api/v1/workspaces?regionId=cn-hangzhou&name=ET&maxResults=5",
    ))
    .await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json()["totalCount"], 1);
    assert_eq!(
        listed.json()["maxResults"],
        5,
        "list parameters reach the upstream"
    );
    assert_eq!(listed.json()["workspaces"][0]["workspaceId"], id.as_str());
    let none = send(get(
        &gw,
        "/api/v1/workspaces?regionId=cn-hangzhou&name=nothing-like-it",
    ))
    .await;
    assert_eq!(none.json()["totalCount"], 0);

    // The upstream's own refusals come back as they are.
    let missing = send(get(
        &gw,
        "/api/v1/workspaces/w-0000000000000000?regionId=cn-hangzhou",
    ))
    .await;
    missing.assert_error(404, "WorkspaceNotFound");
    let bad_page = send(get(
        &gw,
        "/api/v1/workspaces?regionId=cn-hangzhou&maxResults=0",
    ))
    .await;
    bad_page.assert_error(400, "InvalidParameter.maxResults");

    // One line per request on each side; the gateway's names the operation, region, status and the upstream's
    // request id, which is the emulator's.
    let lines = gateway_log.lines();
    assert_eq!(lines.len(), 6, "{lines:#?}");
    assert_eq!(emulator_log.lines().len(), 6);
    assert!(
        lines[0].starts_with(
            "POST /api/v1/workspaces op=CreateWorkspace region=cn-hangzhou status=200 latency="
        ),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(&format!(
        "request_id={request_id} upstream_request_id={request_id}"
    )));
    assert!(emulator_log.lines()[0].contains(&format!("request_id={request_id}")));
    assert!(
        lines[1].contains("op=GetWorkspace region=cn-hangzhou status=200"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains("op=ListWorkspaces region=cn-hangzhou status=200"),
        "{}",
        lines[2]
    );
    assert!(lines[4].contains("status=404"), "{}", lines[4]);
    gateway_log.assert_clean();
    emulator_log.assert_clean();
}

#[tokio::test]
async fn a_wrong_secret_gets_the_emulators_signature_error_back_unchanged() {
    let (emulator_log, gateway_log) = (Log::default(), Log::default());
    let emulator = verifying_emulator(&emulator_log).await;
    let gw = gateway(&emulator, credentials(WRONG_SECRET, None), &gateway_log).await;
    for request in [
        post(&gw, CREATE, minimal().to_string()),
        get(&gw, "/api/v1/workspaces?regionId=cn-hangzhou"),
        get(&gw, "/api/v1/workspaces/w-1?regionId=cn-hangzhou"),
    ] {
        let reply = send(request).await;
        reply.assert_error(400, "SignatureDoesNotMatch");
        let body = reply.json();
        // The emulator's answer, not one of ours: its request id, its log line, its string to sign.
        let id = body["RequestId"].as_str().unwrap();
        assert!(
            emulator_log
                .lines()
                .iter()
                .any(|l| l.contains(&format!("request_id={id}")))
        );
        assert!(
            body["Message"]
                .as_str()
                .unwrap()
                .contains("ACS3-HMAC-SHA256\n"),
            "{body}"
        );
        assert!(
            gateway_log
                .lines()
                .last()
                .unwrap()
                .ends_with(&format!("upstream_request_id={id}"))
        );
    }
    // Nothing was created behind the refusals.
    let check = gateway(&emulator, credentials(SECRET, None), &gateway_log).await;
    let listed = send(get(&check, "/api/v1/workspaces?regionId=cn-hangzhou")).await;
    assert_eq!(listed.json()["totalCount"], 0);
    gateway_log.assert_clean();
    emulator_log.assert_clean();
}

#[tokio::test]
async fn sts_credentials_send_a_signed_security_token() {
    let (emulator_log, gateway_log) = (Log::default(), Log::default());
    // The emulator requires the token header to be signed when present (it does not know the token itself).
    let emulator = verifying_emulator(&emulator_log).await;
    let gw = gateway(
        &emulator,
        credentials(SECRET, Some(STS_TOKEN)),
        &gateway_log,
    )
    .await;
    let created = send(post(&gw, CREATE, minimal().to_string())).await;
    assert_eq!(created.status, 200, "{:?}", created.json());

    let stub = Stub::start(Behaviour::Ok).await;
    let gw = gateway(
        &stub.url(),
        credentials(SECRET, Some(STS_TOKEN)),
        &gateway_log,
    )
    .await;
    assert_eq!(
        send(post(&gw, CREATE, minimal().to_string())).await.status,
        200
    );
    let r = stub.last();
    assert_eq!(r.header("x-acs-security-token"), Some(STS_TOKEN));
    let authorization = r.header("authorization").unwrap();
    assert!(
        authorization.contains(
            "SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;\
                                x-acs-security-token;x-acs-signature-nonce;x-acs-version,"
        ),
        "{authorization}"
    );
    assert_eq!(verify_recorded(&r, SECRET), Ok(()));
    gateway_log.assert_clean();
    emulator_log.assert_clean();
}

#[tokio::test]
async fn the_validated_body_is_forwarded_in_the_sdks_form_signed_with_only_signed_headers() {
    let stub = Stub::start(Behaviour::Ok).await;
    let log = Log::default();
    let gw = gateway(&stub.url(), credentials(SECRET, None), &log).await;
    // Odd spacing, key order, an escape, a number for cu, an unknown and a duplicate key: valid, and forwarded as
    // the SDK would send what was validated.
    let body = "{ \"ossBucket\":\"oss://etl-bucket/\",\n\t\"workspaceName\" : \"x\", \"x-unknown\": [1, 2.50],\
                \"resourceSpec\":{\"cu\":8},\"paymentType\":\"PayAsYouGo\",\"workspaceName\" : \"\\u0065tl\",\
                \"ramRoleName\":\"AliyunEMRSparkJobRunDefaultRole\"}";
    let forwarded = r#"{"ossBucket":"oss://etl-bucket/","paymentType":"PayAsYouGo","ramRoleName":"AliyunEMRSparkJobRunDefaultRole","resourceSpec":{"cu":"8"},"workspaceName":"etl"}"#;
    let reply = send(
        post(
            &gw,
            "/api/v1/workspaces?regionId=cn-hangzhou&evil=1&regionId=cn-beijing",
            body,
        )
        .header("content-type", "application/json; charset=utf-8")
        .header("cookie", "session=browser-cookie")
        .header("x-acs-action", "DeleteWorkspace")
        .header("x-forwarded-host", "localhost:8080"),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        format!(r#"{{"requestId":"{STUB_REQUEST_ID}"}}"#)
    );
    assert_eq!(reply.header("x-acs-request-id"), Some(STUB_REQUEST_ID));

    let r = stub.last();
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/api/v1/workspaces");
    assert_eq!(r.query, "regionId=cn-hangzhou");
    assert_eq!(String::from_utf8_lossy(&r.body), forwarded);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("host"), Some(stub.addr.to_string().as_str()));
    assert_eq!(r.header("x-acs-action"), Some("CreateWorkspace"));
    assert_eq!(r.header("x-acs-version"), Some("2023-08-08"));
    assert_eq!(
        r.header("x-acs-content-sha256"),
        Some(acs3::sha256_hex(forwarded.as_bytes()).as_str())
    );
    assert_eq!(r.header("x-acs-security-token"), None);
    assert_eq!(
        r.header("cookie"),
        None,
        "browser headers are not forwarded"
    );
    assert_eq!(r.header("x-forwarded-host"), None);
    let date = acs3::parse_acs_date(r.header("x-acs-date").unwrap()).unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(date.abs_diff(now) < 60);
    assert!(r.header("authorization").unwrap().starts_with(&format!(
        "ACS3-HMAC-SHA256 Credential={KEY_ID},SignedHeaders=content-type;host;x-acs-action;"
    )));
    assert_eq!(verify_recorded(&r, SECRET), Ok(()));
    assert!(verify_recorded(&r, WRONG_SECRET).is_err());

    // Every call has a fresh nonce.
    send(post(&gw, CREATE, body)).await;
    let nonces: Vec<String> = stub
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.header("x-acs-signature-nonce").unwrap().to_owned())
        .collect();
    assert_eq!(nonces.len(), 2);
    assert_ne!(nonces[0], nonces[1]);
    log.assert_clean();
}

#[tokio::test]
async fn get_and_list_forward_only_the_documented_parameters() {
    let stub = Stub::start(Behaviour::Ok).await;
    let log = Log::default();
    let gw = gateway(&stub.url(), credentials(SECRET, None), &log).await;

    let tag = r#"[{"key":"env","value":"dev"}]"#;
    let query = format!(
        "regionId=cn-shanghai&name=a+b%2A&state=Running&maxResults=5&nextToken=t1&resourceGroupId=rg-abc\
         &tag={}&evil=1&regionId=cn-beijing&name=second",
        acs3::percent_encode(tag)
    );
    assert_eq!(
        send(get(&gw, &format!("/api/v1/workspaces?{query}")))
            .await
            .status,
        200
    );
    let r = stub.last();
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("GET", "/api/v1/workspaces")
    );
    assert_eq!(
        acs3::decode_query(&r.query).unwrap(),
        [
            ("maxResults", "5"),
            ("name", "a b*"),
            ("nextToken", "t1"),
            ("regionId", "cn-shanghai"),
            ("resourceGroupId", "rg-abc"),
            ("state", "Running"),
            ("tag", tag),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert_eq!(r.header("x-acs-action"), Some("ListWorkspaces"));
    assert_eq!(r.header("content-type"), None);
    assert!(r.body.is_empty());
    assert_eq!(
        r.header("x-acs-content-sha256"),
        Some(acs3::sha256_hex(b"").as_str())
    );
    assert_eq!(verify_recorded(&r, SECRET), Ok(()));

    for (path, sent) in [
        ("w-abc123", "/api/v1/workspaces/w-abc123"),
        ("w-%E4%B8%AD%20x", "/api/v1/workspaces/w-%E4%B8%AD%20x"),
        ("w-%e4%b8%ad+x*", "/api/v1/workspaces/w-%E4%B8%AD%2Bx%2A"),
        ("w-%2F..%2Fx", "/api/v1/workspaces/w-%2F..%2Fx"),
    ] {
        let url = format!("/api/v1/workspaces/{path}?regionId=cn-hangzhou&extra=1");
        assert_eq!(send(get(&gw, &url)).await.status, 200, "{path}");
        let r = stub.last();
        assert_eq!(r.path, sent);
        assert_eq!(r.query, "regionId=cn-hangzhou");
        assert_eq!(r.header("x-acs-action"), Some("GetWorkspace"));
        assert_eq!(r.header("host"), Some(stub.addr.to_string().as_str()));
        assert_eq!(verify_recorded(&r, SECRET), Ok(()), "{path}");
    }
    // Dot segments would be resolved by the URL parser on the way out, changing what was signed; HTTP clients
    // normalise them too, so these go in through the router directly.
    let before = stub.count();
    let router = app(log.attach(
        Config::aliyun(GatewayConfig::new(credentials(SECRET, None)).with_upstream(stub.url()))
            .ok()
            .unwrap(),
    ));
    for path in ["%2E%2E", "..", ".", "%2e", "%zz", "%FF", "%C3"] {
        let request =
            axum::http::Request::get(format!("/api/v1/workspaces/{path}?regionId=cn-hangzhou"))
                .header("host", "127.0.0.1:3000")
                .body(axum::body::Body::empty())
                .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        let reply = Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.into_body().collect().await.unwrap().to_bytes(),
        };
        reply.assert_error(400, "InvalidParameter.workspaceId");
    }
    assert_eq!(stub.count(), before);
    log.assert_clean();
}

#[tokio::test]
async fn refusals_cost_no_upstream_call() {
    let stub = Stub::start(Behaviour::Ok).await;
    let log = Log::default();
    let gw = gateway(&stub.url(), credentials(SECRET, None), &log).await;
    let body = minimal().to_string();
    let cases: Vec<(reqwest::RequestBuilder, u16, &str)> = vec![
        (
            post(&gw, "/api/v1/workspaces?regionId=mars-1", body.clone()),
            400,
            "InvalidParameter.regionId",
        ),
        (
            post(
                &gw,
                "/api/v1/workspaces?regionId=evil.example%2F",
                body.clone(),
            ),
            400,
            "InvalidParameter.regionId",
        ),
        (
            post(&gw, "/api/v1/workspaces", body.clone()),
            400,
            "MissingParameter.regionId",
        ),
        (
            post(&gw, "/api/v1/workspaces?regionId=", body.clone()),
            400,
            "MissingParameter.regionId",
        ),
        (
            get(&gw, "/api/v1/workspaces?regionId=mars-1"),
            400,
            "InvalidParameter.regionId",
        ),
        (
            get(&gw, "/api/v1/workspaces"),
            400,
            "MissingParameter.regionId",
        ),
        (
            get(&gw, "/api/v1/workspaces/w-1?regionId=attacker.com"),
            400,
            "InvalidParameter.regionId",
        ),
        (
            get(&gw, "/api/v1/workspaces/w-1"),
            400,
            "MissingParameter.regionId",
        ),
        (
            get(&gw, "/api/v1/nothing?regionId=cn-hangzhou"),
            404,
            "InvalidApi.NotFound",
        ),
        (get(&gw, "/api"), 404, "InvalidApi.NotFound"),
        (
            get(&gw, "/api/v1/workspaces/w-1/sessions?regionId=cn-hangzhou"),
            404,
            "InvalidApi.NotFound",
        ),
        (get(&gw, "/"), 404, "InvalidApi.NotFound"),
        (
            client().delete(format!("{gw}/api/v1/workspaces/w-1?regionId=cn-hangzhou")),
            405,
            "UnsupportedHTTPMethod",
        ),
        (
            client()
                .put(format!("{gw}{CREATE}"))
                .header("content-type", "application/json")
                .body(body.clone()),
            405,
            "UnsupportedHTTPMethod",
        ),
        (
            client()
                .post(format!("{gw}{CREATE}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body("workspaceName=etl"),
            415,
            "UnsupportedMediaType",
        ),
        (
            client()
                .post(format!("{gw}{CREATE}"))
                .header("content-type", "text/plain")
                .body(body.clone()),
            415,
            "UnsupportedMediaType",
        ),
        (
            client().post(format!("{gw}{CREATE}")).body(body.clone()),
            415,
            "UnsupportedMediaType",
        ),
        (
            post(&gw, CREATE, "x".repeat(64 * 1024 + 1)),
            413,
            "RequestEntityTooLarge",
        ),
        (post(&gw, CREATE, "{not json"), 400, "InvalidParameter.body"),
        (post(&gw, CREATE, "[]"), 400, "InvalidParameter.body"),
        (
            post(&gw, CREATE, json!({"workspaceName": "a b"}).to_string()),
            400,
            "InvalidParameter.workspaceName",
        ),
        (
            post(
                &gw,
                CREATE,
                with(minimal(), "ossBucket", json!("s3://x/")).to_string(),
            ),
            400,
            "InvalidParameter.ossBucket",
        ),
        (
            post(
                &gw,
                CREATE,
                with(minimal(), "paymentType", json!("Pre")).to_string(),
            ),
            400,
            "MissingParameter.duration",
        ),
    ];
    for (request, status, code) in cases {
        let reply = send(request).await;
        reply.assert_error(status, code);
    }
    assert_eq!(stub.count(), 0, "no refused request reached the upstream");
    // Refusals are logged, without an upstream request id.
    let lines = log.lines();
    assert!(
        lines.iter().all(|l| !l.contains("upstream_request_id")),
        "{lines:#?}"
    );
    assert!(
        lines[0].contains("op=CreateWorkspace region=mars-1 status=400"),
        "{}",
        lines[0]
    );

    // A body just under the limit is read, and the CU quota is left to the real API; the padding, unknown to
    // the API, is not forwarded.
    let mut fits = with(minimal(), "resourceSpec", json!({"cu": "6000"}));
    let room = 64 * 1024 - fits.to_string().len() - r#","padding":"""#.len();
    fits["padding"] = json!("x".repeat(room));
    assert_eq!(fits.to_string().len(), 64 * 1024);
    assert_eq!(send(post(&gw, CREATE, fits.to_string())).await.status, 200);
    assert_eq!(stub.count(), 1);
    fits.as_object_mut().unwrap().remove("padding");
    assert_eq!(stub.last().body, fits.to_string().as_bytes());
    log.assert_clean();
}

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

fn golden(name: &str) -> String {
    let path = format!(
        "{}/../model/tests/golden/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What real callers send in other shapes (numbers, booleans, another key order, unknown and repeated keys)
/// reaches Alibaba byte for byte as the official SDK would have sent it: the golden bodies it recorded.
#[tokio::test]
async fn lenient_inputs_are_forwarded_as_the_sdk_sends_them() {
    let stub = Stub::start(Behaviour::Ok).await;
    let log = Log::default();
    let gw = gateway(&stub.url(), credentials(SECRET, None), &log).await;
    let renewing = golden("subscription_auto_renew");
    let variants = [
        r#"{"workspaceName":"Prod-Renewing","resourceSpec":{"cu":1000},"ossBucket":"oss://prod-bucket/","paymentType":"Pre","duration":9,"paymentDurationUnit":"MONTH","autoRenew":true,"autoRenewPeriod":12,"autoRenewPeriodUnit":"MONTH","dlfType":"dlf2.0","ramRoleName":"AliyunEMRSparkJobRunDefaultRole"}"#.to_owned(),
        // Unknown keys, a null, and a key given twice (the last one counts, as serde_json reads it).
        renewing.replacen('{', r#"{"workspaceName":"first","x":{"y":[1]},"releaseType":null,"#, 1),
    ];
    for (i, variant) in variants.iter().enumerate() {
        let reply = send(post(
            &gw,
            "/api/v1/workspaces?regionId=ap-southeast-1",
            variant.clone(),
        ))
        .await;
        assert_eq!(reply.status, 200, "variant {i}: {:?}", reply.body);
        assert_eq!(
            String::from_utf8_lossy(&stub.last().body),
            renewing,
            "variant {i}"
        );
        assert_eq!(verify_recorded(&stub.last(), SECRET), Ok(()));
    }
    let everything = golden("everything");
    let reordered: Value = serde_json::from_str(&everything).unwrap();
    let mut variant = reordered.clone();
    variant["resourceSpec"] = json!({"gpu": "4", "cu": 5000});
    variant["autoStartSessionCluster"] = json!("true");
    // Subscription fields under pay-as-you-go are ignored, not forwarded.
    variant["duration"] = json!(7);
    variant["autoRenew"] = json!(true);
    let reply = send(post(
        &gw,
        "/api/v1/workspaces?regionId=cn-beijing",
        variant.to_string(),
    ))
    .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(String::from_utf8_lossy(&stub.last().body), everything);
    // A unit in lower case (the API page's own example) is forwarded as given: it is what the SDK sends for it.
    let lower = renewing.replace(
        r#""autoRenewPeriodUnit":"MONTH""#,
        r#""autoRenewPeriodUnit":"month""#,
    );
    let reply = send(post(
        &gw,
        "/api/v1/workspaces?regionId=ap-southeast-1",
        lower.clone(),
    ))
    .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(String::from_utf8_lossy(&stub.last().body), lower);
    log.assert_clean();
}

#[tokio::test]
async fn upstream_json_answers_pass_through_unchanged() {
    let log = Log::default();
    for (status, content_type, request_id, body) in [
        (
            503,
            Some("application/json"),
            None,
            &br#"{"RequestId":"UP-2","Code":"ServiceUnavailable"}"#[..],
        ),
        (
            200,
            Some("application/json;charset=utf-8"),
            Some("UP-4"),
            &br#"{"weird":  true}"#[..],
        ),
        (
            418,
            Some("text/plain; charset=x-odd"),
            Some("UP-1"),
            &br#"{"Code":"Teapot"}"#[..],
        ),
    ] {
        let stub = Stub::start(Behaviour::Fixed {
            status,
            content_type,
            request_id,
            body,
        })
        .await;
        let gw = gateway(&stub.url(), credentials(SECRET, None), &log).await;
        let reply = send(get(&gw, "/api/v1/workspaces?regionId=cn-hangzhou")).await;
        assert_eq!(reply.status, status);
        assert_eq!(reply.header("content-type"), content_type);
        assert_eq!(reply.header("x-acs-request-id"), request_id);
        assert_eq!(reply.body, body);
        assert_eq!(stub.count(), 1);
        let logged = request_id.unwrap_or("UP-2");
        assert!(
            log.lines()
                .last()
                .unwrap()
                .ends_with(&format!("upstream_request_id={logged}"))
        );
    }
    log.assert_clean();
}

// An HTML error page (or a redirect) from whatever sits in front of the API was relayed as it came: nothing the
// console can show, and possibly details of the network behind the gateway.
#[tokio::test]
async fn upstream_answers_that_are_not_json_are_a_502_that_shows_nothing_of_them() {
    let log = Log::default();
    for (status, content_type, body) in [
        (
            500,
            Some("text/html"),
            &b"<html><body>nginx internal-lb-7.corp.example 10.1.2.3</body></html>"[..],
        ),
        (418, Some("text/plain"), &b"<b>not json</b>"[..]),
        (302, None, &b""[..]),
        (200, Some("application/json"), &b"{truncated"[..]),
    ] {
        let stub = Stub::start(Behaviour::Fixed {
            status,
            content_type,
            request_id: Some("UP-HTML"),
            body,
        })
        .await;
        let gw = gateway(&stub.url(), credentials(SECRET, None), &log).await;
        let reply = send(get(&gw, "/api/v1/workspaces?regionId=cn-hangzhou")).await;
        reply.assert_error(502, "UpstreamInvalidResponse");
        let text = String::from_utf8_lossy(&reply.body);
        for leak in ["nginx", "10.1.2.3", "corp.example", "not json", "UP-HTML"] {
            assert!(!text.contains(leak), "{leak}: {text}");
        }
        assert!(!text.contains(&stub.addr.to_string()), "{text}");
        assert!(text.contains(&format!("HTTP {status}")), "{text}");
        assert_eq!(stub.count(), 1, "redirects are not followed");
    }
    log.assert_clean();
}

#[tokio::test]
async fn a_slow_upstream_is_a_504_after_the_configured_timeout() {
    let log = Log::default();
    let stub = Stub::start(Behaviour::Slow(Duration::from_secs(5))).await;
    let config = GatewayConfig::new(credentials(SECRET, None))
        .with_upstream(stub.url())
        .with_timeouts(Duration::from_secs(1), Duration::from_millis(300));
    let gw = gateway_with(config, &log).await;
    let started = Instant::now();
    let reply = send(post(&gw, CREATE, minimal().to_string())).await;
    let took = started.elapsed();
    reply.assert_error(504, "UpstreamTimeout");
    assert!(!String::from_utf8_lossy(&reply.body).contains(&stub.addr.port().to_string()));
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert_eq!(stub.count(), 1);
    assert!(log.lines()[0].contains("op=CreateWorkspace region=cn-hangzhou status=504"));
    log.assert_clean();
}

#[test]
fn the_binary_refuses_to_start_the_gateway_without_credentials() {
    let binary = BINARY;
    let run = |envs: &[(&str, &str)], args: &[&str]| {
        let output = std::process::Command::new(binary)
            .env_clear()
            .envs(envs.iter().copied())
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_no_secret(&stderr, "stderr");
        assert_no_secret(&String::from_utf8_lossy(&output.stdout), "stdout");
        (output.status.code(), stderr)
    };
    let (code, stderr) = run(&[], &["--backend", "aliyun", "--listen", "127.0.0.1:0"]);
    assert_eq!(code, Some(2), "{stderr}");
    for name in [
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
    ] {
        assert!(stderr.contains(name), "{stderr}");
    }
    let (code, stderr) = run(
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", STS_TOKEN),
        ],
        &["--backend", "aliyun"],
    );
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("missing: ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{stderr}"
    );
    // With credentials, a bad flag is still refused, and the secret is not echoed.
    let creds = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
    ];
    let (code, stderr) = run(&creds, &["--backend", "aliyun", "--upstream", "ftp://x"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--upstream"), "{stderr}");
    let (code, stderr) = run(&creds, &["--backend", "aliyun", "--listen", "256.0.0.1:1"]);
    assert_eq!(code, Some(2), "{stderr}");

    // Real keys on a port the network can reach, with no token: anyone there could spend money.
    let (code, stderr) = run(&creds, &["--backend", "aliyun", "--listen", "0.0.0.0:0"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--auth-token") && stderr.contains("WORKSPACE_AUTH_TOKEN"),
        "{stderr}"
    );
    // Help shows which variables a flag reads, never their values.
    let (code, stderr) = run(
        &[
            ("WORKSPACE_AUTH_TOKEN", AUTH_TOKEN),
            ("WORKSPACE_VERIFY_KEY", &format!("{KEY_ID}:{SECRET}")),
        ],
        &["--help"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    // Signed calls (and STS tokens) in the clear to another machine.
    let (code, stderr) = run(
        &creds,
        &[
            "--backend",
            "aliyun",
            "--upstream",
            "http://api.internal.example:8080",
        ],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("https://"), "{stderr}");
}

#[tokio::test]
async fn the_binary_serves_the_gateway_and_logs_one_clean_line_per_request() {
    let stub = Stub::start(Behaviour::Ok).await;
    let server = Process::start(
        BINARY.as_ref(),
        "127.0.0.1",
        &["--backend", "aliyun", "--upstream", &stub.url()],
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", STS_TOKEN),
            ("WORKSPACE_AUTH_TOKEN", AUTH_TOKEN),
        ],
    )
    .await;
    let base = server.base();
    let (ok, missing, wrong) = (
        send(post(&base, CREATE, minimal().to_string()).bearer_auth(AUTH_TOKEN)).await,
        send(post(&base, CREATE, minimal().to_string())).await,
        send(post(&base, CREATE, minimal().to_string()).bearer_auth("wrong")).await,
    );
    let output = server.stop();
    let stderr = output.stderr;
    assert_eq!(ok.status, 200);
    missing.assert_error(401, "InvalidAuthorization");
    wrong.assert_error(401, "InvalidAuthorization");
    assert_eq!(stub.count(), 1);
    assert_eq!(stub.last().header("x-acs-security-token"), Some(STS_TOKEN));
    assert_no_secret(&stderr, "stderr");
    assert_no_secret(&output.stdout, "stdout");
    assert!(
        stderr.contains("aliyun gateway to http://127.0.0.1:"),
        "{stderr}"
    );
    assert!(stderr.contains("signing as LTAI****tKey (STS)"), "{stderr}");
    let api_lines: Vec<&str> = stderr.lines().filter(|l| l.contains(" /api/")).collect();
    assert_eq!(api_lines.len(), 3, "{stderr}");
    assert!(
        api_lines[0].contains(&format!("upstream_request_id={STUB_REQUEST_ID}")),
        "{stderr}"
    );
    assert!(api_lines[1].contains("status=401"), "{stderr}");
}
