//! The gateway's account listings against stub upstreams on 127.0.0.1 (`--upstream-oss`, `--upstream-dlf`,
//! `--upstream-ram`, `--upstream-resourcemanager`): paging with markers, tokens and page numbers up to the cap,
//! every upstream error mapped, and each request's signature recomputed by the official SDKs' signers (OSS
//! `SignerV4`; the Tea OpenAPI utility for DLF, RAM and ResourceManager).
//!
//! Needs a Python with the SDKs, found by `common::python`: `$PYTHON`, else `target/py`, else `python3`.

use std::sync::{Arc, Mutex};

use crate::common::*;
use axum::{
    Router,
    body::Body,
    extract::Request,
    http::{StatusCode, header},
    response::Response,
};
use base64::Engine;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use workspace_server::{
    Config, app,
    gateway::{GatewayConfig, Service},
};

type Handler = Arc<dyn Fn(&Recorded) -> Response + Send + Sync>;

/// A stub upstream that records every request and answers with `handler`.
struct Upstream {
    url: String,
    seen: Arc<Mutex<Vec<Recorded>>>,
}

impl Upstream {
    async fn start(handler: impl Fn(&Recorded) -> Response + Send + Sync + 'static) -> Upstream {
        let handler: Handler = Arc::new(handler);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        let router = Router::new().fallback(move |request: Request| {
            let (s, handler) = (s.clone(), handler.clone());
            async move {
                let (parts, body) = request.into_parts();
                let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
                let recorded = Recorded {
                    method: parts.method.to_string(),
                    path: parts.uri.path().to_owned(),
                    query: parts.uri.query().unwrap_or("").to_owned(),
                    headers: parts.headers,
                    body,
                };
                let response = handler(&recorded);
                s.lock().unwrap().push(recorded);
                response
            }
        });
        Upstream {
            url: format!("http://{}", spawn(router).await),
            seen,
        }
    }

    fn seen(&self) -> Vec<Recorded> {
        self.seen.lock().unwrap().clone()
    }
}

/// The decoded query of a recorded request.
fn query(r: &Recorded) -> Vec<(String, String)> {
    url_pairs(&r.query)
}

fn url_pairs(q: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://x/?{q}"))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn param(r: &Recorded, name: &str) -> Option<String> {
    query(r)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn reply(
    status: u16,
    content_type: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = StatusCode::from_u16(status).unwrap();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, content_type.parse().unwrap());
    for (k, v) in headers {
        response.headers_mut().insert(
            header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    response
}

fn bucket_xml(name: &str, region: &str) -> String {
    format!(
        "<Bucket><Name>{name}</Name><Location>oss-{region}</Location><Region>{region}</Region>\
         <CreationDate>2024-01-02T03:04:05.000Z</CreationDate><StorageClass>Standard</StorageClass></Bucket>"
    )
}

fn oss_page(buckets: &[(&str, &str)], next: Option<&str>) -> Response {
    let paging = match next {
        Some(m) => format!("<IsTruncated>true</IsTruncated><NextMarker>{m}</NextMarker>"),
        None => String::new(),
    };
    let list: String = buckets.iter().map(|(n, r)| bucket_xml(n, r)).collect();
    reply(
        200,
        "application/xml",
        &[("x-oss-request-id", "OSS-PAGE-ID")],
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult>{paging}\
             <Owner><ID>1</ID><DisplayName>1</DisplayName></Owner><Buckets>{list}</Buckets></ListAllMyBucketsResult>"
        ),
    )
}

/// Two OSS pages: `a` (cn-hangzhou) and `b` (cn-shanghai), then `c` (cn-hangzhou).
fn oss_pages(r: &Recorded) -> Response {
    match param(r, "marker").as_deref() {
        None => oss_page(&[("a", "cn-hangzhou"), ("b", "cn-shanghai")], Some("b")),
        Some("b") => oss_page(&[("c", "cn-hangzhou")], None),
        Some(other) => panic!("unexpected marker {other}"),
    }
}

fn json_reply(status: u16, body: Value) -> Response {
    reply(
        status,
        "application/json;charset=utf-8",
        &[],
        body.to_string(),
    )
}

/// Two DLF pages by token.
fn dlf_pages(r: &Recorded) -> Response {
    match param(r, "pageToken").as_deref() {
        None => json_reply(
            200,
            json!({"catalogs": [{"id": "clg-paimon-1", "name": "one", "type": "paimon", "status": "RUNNING",
                                 "createdAt": 1, "options": {"k": "v"}}],
                   "nextPageToken": "tok 2/+", "prepayResource": []}),
        ),
        Some("tok 2/+") => json_reply(
            200,
            json!({"catalogs": [{"id": "clg-paimon-2", "name": "two", "status": "INITIALIZING"}],
                   "nextPageToken": null}),
        ),
        Some(other) => panic!("unexpected token {other}"),
    }
}

const SPARK_POLICY: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["spark.emr-serverless.aliyuncs.com"]}}],"Version":"1"}"#;

/// RAM: two ListRoles pages by marker; GetRole of `SparkRole`, `EcsRole`, or 404.
fn ram_answers(r: &Recorded) -> Response {
    match r.header("x-acs-action") {
        Some("ListRoles") => match param(r, "Marker").as_deref() {
            None => json_reply(
                200,
                json!({"RequestId": "RAM-1", "IsTruncated": true, "Marker": "m2",
                       "Roles": {"Role": [{"RoleName": "EcsRole", "RoleId": "1", "Description": "ecs"}]}}),
            ),
            Some("m2") => json_reply(
                200,
                json!({"RequestId": "RAM-2", "IsTruncated": false,
                       "Roles": {"Role": [{"RoleName": "SparkRole", "RoleId": "2"}]}}),
            ),
            Some(other) => panic!("unexpected marker {other}"),
        },
        Some("GetRole") => match param(r, "RoleName").as_deref() {
            Some("SparkRole") => json_reply(
                200,
                json!({"RequestId": "RAM-3", "Role": {"RoleName": "SparkRole", "Description": "runs Spark",
                                                       "AssumeRolePolicyDocument": SPARK_POLICY}}),
            ),
            Some("EcsRole") => json_reply(
                200,
                json!({"RequestId": "RAM-4", "Role": {"RoleName": "EcsRole",
                    "AssumeRolePolicyDocument": SPARK_POLICY.replace("spark.emr-serverless", "ecs")}}),
            ),
            _ => json_reply(
                404,
                json!({"RequestId": "RAM-404", "HostId": "ram.aliyuncs.com", "Code": "EntityNotExist.Role",
                       "Message": "The role does not exist."}),
            ),
        },
        other => panic!("unexpected action {other:?}"),
    }
}

/// ResourceManager: two ListResourceGroups pages by number (three groups in all, `TotalCount` says so).
fn resource_group_pages(r: &Recorded) -> Response {
    assert_eq!(r.header("x-acs-action"), Some("ListResourceGroups"));
    match param(r, "PageNumber").as_deref() {
        Some("1") => json_reply(
            200,
            json!({"RequestId": "RM-1", "PageNumber": 1, "PageSize": 100, "TotalCount": 3,
            "ResourceGroups": {"ResourceGroup": [
              {"Id": "rg-acfmwpi66knkxny", "Name": "default", "DisplayName": "default resource group",
               "Status": "OK", "AccountId": "1234567890", "CreateDate": "2024-01-02T03:04:05+0800"},
              {"Id": "rg-aek2team0001", "Name": "team", "DisplayName": "", "Status": "Creating",
               "AccountId": "1234567890", "CreateDate": "2024-01-03T03:04:05+0800"}
            ]}}),
        ),
        Some("2") => json_reply(
            200,
            json!({"RequestId": "RM-2", "PageNumber": 2, "PageSize": 100, "TotalCount": 3,
            "ResourceGroups": {"ResourceGroup": [
              {"Id": "rg-aek2old0003", "Name": "old", "DisplayName": "Old", "Status": "PendingDelete"}
            ]}}),
        ),
        other => panic!("unexpected page {other:?}"),
    }
}

fn gateway_with(oss: &str, dlf: &str, ram: &str, resourcemanager: &str) -> Router {
    let config = GatewayConfig::new(credentials(SECRET, Some(STS_TOKEN)))
        .with_upstream_for(Service::Oss, oss)
        .with_upstream_for(Service::Dlf, dlf)
        .with_upstream_for(Service::Ram, ram)
        .with_upstream_for(Service::ResourceManager, resourcemanager);
    app(Config::aliyun(config).unwrap())
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    let request = axum::http::Request::get(uri)
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert_no_secret(&text, uri);
    for (name, value) in &headers {
        assert_no_secret(value.to_str().unwrap_or_default(), name.as_str());
    }
    let json: Value = serde_json::from_str(&text).unwrap();
    if !status.is_success() {
        // Errors say what went wrong, never where: no upstream host, no stub address.
        assert!(
            !text.contains("127.0.0.1") && !text.contains("aliyuncs.com"),
            "{text}"
        );
        assert_eq!(
            headers
                .get("x-acs-request-id")
                .and_then(|v| v.to_str().ok()),
            json["RequestId"].as_str(),
            "{text}"
        );
    }
    (status, json)
}

#[tokio::test]
async fn listings_follow_every_page() {
    let oss = Upstream::start(oss_pages).await;
    let dlf = Upstream::start(dlf_pages).await;
    let ram = Upstream::start(ram_answers).await;
    let rm = Upstream::start(resource_group_pages).await;
    let app = gateway_with(&oss.url, &dlf.url, &ram.url, &rm.url);

    let (status, json) = get(&app, "/api/account/buckets?regionId=cn-hangzhou").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        json,
        json!({"buckets": [{"name": "a", "region": "cn-hangzhou"}, {"name": "c", "region": "cn-hangzhou"}],
               "truncated": false})
    );
    let seen = oss.seen();
    assert_eq!(seen.len(), 2);
    for r in &seen {
        assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/"));
        assert_eq!(param(r, "max-keys").as_deref(), Some("1000"));
        assert_eq!(r.header("x-oss-security-token"), Some(STS_TOKEN));
        assert!(
            r.header("authorization")
                .unwrap()
                .starts_with("OSS4-HMAC-SHA256 Credential=")
        );
    }
    assert_eq!(param(&seen[1], "marker").as_deref(), Some("b"));

    let (status, json) = get(&app, "/api/account/catalogs?regionId=cn-beijing").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        json,
        json!({"catalogs": [{"id": "clg-paimon-1", "name": "one", "status": "RUNNING"},
                            {"id": "clg-paimon-2", "name": "two", "status": "INITIALIZING"}], "truncated": false})
    );
    let seen = dlf.seen();
    assert_eq!(seen.len(), 2);
    for r in &seen {
        assert_eq!(
            (r.method.as_str(), r.path.as_str()),
            ("GET", "/dlf/v1/catalogs")
        );
        assert_eq!(r.header("x-acs-action"), Some("ListCatalogs"));
        assert_eq!(r.header("x-acs-version"), Some("2025-03-10"));
        assert_eq!(r.header("x-acs-security-token"), Some(STS_TOKEN));
    }
    assert_eq!(param(&seen[0], "pageToken"), None);
    assert_eq!(param(&seen[1], "pageToken").as_deref(), Some("tok 2/+"));

    let (status, json) = get(&app, "/api/account/roles").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    // ListRoles has no trust policy: trustsSpark is left out of the list.
    assert_eq!(
        json,
        json!({"roles": [{"name": "EcsRole", "description": "ecs"}, {"name": "SparkRole", "description": ""}],
               "truncated": false})
    );
    let (status, json) = get(&app, "/api/account/roles/SparkRole").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        json,
        json!({"role": {"name": "SparkRole", "description": "runs Spark", "trustsSpark": true}})
    );
    let (_, json) = get(&app, "/api/account/roles/EcsRole?regionId=cn-shanghai").await;
    assert_eq!(json["role"]["trustsSpark"], false);
    let (status, json) = get(&app, "/api/account/roles/Missing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        (json["Code"].as_str(), json["RequestId"].as_str()),
        (Some("EntityNotExist.Role"), Some("RAM-404"))
    );
    assert_eq!(
        json["HostId"], "",
        "the upstream's HostId names its host: not relayed"
    );
    let seen = ram.seen();
    assert_eq!(seen.len(), 5);
    for r in &seen {
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/"));
        assert_eq!(r.header("x-acs-version"), Some("2015-05-01"));
        assert_eq!(r.header("x-acs-security-token"), Some(STS_TOKEN));
        assert!(r.body.is_empty());
    }
    assert_eq!(
        query(&seen[0]),
        [("MaxItems".to_owned(), "1000".to_owned())]
    );
    assert_eq!(param(&seen[1], "Marker").as_deref(), Some("m2"));
    assert_eq!(
        query(&seen[2]),
        [("RoleName".to_owned(), "SparkRole".to_owned())]
    );

    let (status, json) = get(&app, "/api/account/resource-groups").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    // Every status listed; an empty display name shows the name.
    assert_eq!(
        json,
        json!({"resourceGroups": [
            {"id": "rg-acfmwpi66knkxny", "name": "default", "displayName": "default resource group", "status": "OK"},
            {"id": "rg-aek2team0001", "name": "team", "displayName": "team", "status": "Creating"},
            {"id": "rg-aek2old0003", "name": "old", "displayName": "Old", "status": "PendingDelete"}
        ], "truncated": false})
    );
    // Account-wide: a known region is taken and changes nothing.
    assert_eq!(
        get(&app, "/api/account/resource-groups?regionId=us-east-1")
            .await
            .1,
        json
    );
    let seen = rm.seen();
    assert_eq!(seen.len(), 4);
    for (i, r) in seen.iter().enumerate() {
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/"));
        assert_eq!(r.header("x-acs-action"), Some("ListResourceGroups"));
        assert_eq!(r.header("x-acs-version"), Some("2020-03-31"));
        assert_eq!(r.header("x-acs-security-token"), Some(STS_TOKEN));
        assert!(r.body.is_empty());
        assert_eq!(
            query(r),
            [
                ("PageNumber".to_owned(), (i % 2 + 1).to_string()),
                ("PageSize".to_owned(), "100".to_owned())
            ]
        );
    }

    // Refused before any call: a bad region, a name that cannot be a role.
    let before = (
        oss.seen().len(),
        dlf.seen().len(),
        ram.seen().len(),
        rm.seen().len(),
    );
    assert_eq!(
        get(&app, "/api/account/buckets?regionId=mars-1").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/api/account/catalogs").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/api/account/roles?regionId=mars-1").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/api/account/roles/a%2Fb").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&app, "/api/account/resource-groups?regionId=mars-1")
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        before,
        (
            oss.seen().len(),
            dlf.seen().len(),
            ram.seen().len(),
            rm.seen().len()
        )
    );

    check_signatures(&oss.seen(), &dlf.seen(), &ram.seen(), &rm.seen());
}

#[tokio::test]
async fn listings_stop_at_the_cap() {
    let endless_oss = Upstream::start(|r| {
        let n: u32 = param(r, "marker").map_or(0, |m| m.trim_start_matches('m').parse().unwrap());
        oss_page(
            &[(&format!("m{}", n + 1), "cn-hangzhou")],
            Some(&format!("m{}", n + 1)),
        )
    })
    .await;
    let endless_dlf = Upstream::start(|r| {
        let n: u32 = param(r, "pageToken").map_or(0, |m| m.parse().unwrap());
        json_reply(200, json!({"catalogs": [{"id": format!("c{n}"), "name": "n"}], "nextPageToken": (n + 1).to_string()}))
    })
    .await;
    let endless_ram = Upstream::start(|r| {
        let n: u32 = param(r, "Marker").map_or(0, |m| m.parse().unwrap());
        json_reply(
            200,
            json!({"IsTruncated": true, "Marker": (n + 1).to_string(),
                                "Roles": {"Role": [{"RoleName": format!("r{n}")}]}}),
        )
    })
    .await;
    // Always one more than it gave: a TotalCount that is never reached.
    let endless_rm = Upstream::start(|r| {
        let n: u32 = param(r, "PageNumber").unwrap().parse().unwrap();
        json_reply(
            200,
            json!({"TotalCount": 1000, "PageNumber": n,
                   "ResourceGroups": {"ResourceGroup": [{"Id": format!("rg-{n}"), "Name": format!("g{n}")}]}}),
        )
    })
    .await;
    let app = gateway_with(
        &endless_oss.url,
        &endless_dlf.url,
        &endless_ram.url,
        &endless_rm.url,
    );
    let (_, json) = get(&app, "/api/account/buckets?regionId=cn-hangzhou").await;
    assert_eq!(
        (
            json["truncated"].as_bool(),
            json["buckets"].as_array().unwrap().len()
        ),
        (Some(true), 10)
    );
    let (_, json) = get(&app, "/api/account/catalogs?regionId=cn-hangzhou").await;
    assert_eq!(
        (
            json["truncated"].as_bool(),
            json["catalogs"].as_array().unwrap().len()
        ),
        (Some(true), 10)
    );
    let (_, json) = get(&app, "/api/account/roles").await;
    assert_eq!(
        (
            json["truncated"].as_bool(),
            json["roles"].as_array().unwrap().len()
        ),
        (Some(true), 10)
    );
    let (_, json) = get(&app, "/api/account/resource-groups").await;
    assert_eq!(
        (
            json["truncated"].as_bool(),
            json["resourceGroups"].as_array().unwrap().len()
        ),
        (Some(true), 10)
    );
    let pages: Vec<String> = endless_rm
        .seen()
        .iter()
        .map(|r| param(r, "PageNumber").unwrap())
        .collect();
    assert_eq!(pages, (1..=10).map(|n| n.to_string()).collect::<Vec<_>>());
    assert_eq!(
        (
            endless_oss.seen().len(),
            endless_dlf.seen().len(),
            endless_ram.seen().len()
        ),
        (10, 10, 10)
    );
}

#[tokio::test]
async fn upstream_errors_are_mapped() {
    const OSS_DENIED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>\
        <Message>You have no right to access this object.</Message><RequestId>OSS-DENIED-1</RequestId>\
        <HostId>oss-cn-hangzhou.aliyuncs.com</HostId><EC>0003-00000001</EC></Error>";
    let oss_body = Upstream::start(|_| reply(403, "application/xml", &[], OSS_DENIED)).await;
    let header = base64::engine::general_purpose::STANDARD.encode(OSS_DENIED);
    let oss_header =
        Upstream::start(move |_| reply(403, "application/xml", &[("x-oss-err", &header)], ""))
            .await;
    let oss_html = Upstream::start(|_| reply(200, "text/html", &[], "<html>proxy</html>")).await;
    let oss_broken_error =
        Upstream::start(|_| reply(500, "text/html", &[], "<html>oops</html>")).await;
    let dlf_denied = Upstream::start(|_| {
        json_reply(403, json!({"code": "AccessDenied", "message": "no dlf:ListCatalogs", "requestId": "DLF-403"}))
    })
    .await;
    let dlf_bad = Upstream::start(|_| json_reply(200, json!(["not", "a", "page"]))).await;
    let ram_denied = Upstream::start(|_| {
        json_reply(
            403,
            json!({"Code": "NoPermission", "Message": "no ram:ListRoles", "RequestId": "RAM-403"}),
        )
    })
    .await;
    let ram_throttled = Upstream::start(|_| {
        reply(
            400,
            "application/json",
            &[("x-acs-request-id", "RAM-HDR")],
            r#"{"Code":"Throttling.User","Message":"slow down"}"#,
        )
    })
    .await;
    // A truncated page whose marker leads back to itself would be asked for again for ever.
    let oss_stuck = Upstream::start(|_| oss_page(&[("a", "cn-hangzhou")], Some("a"))).await;
    let closed = format!("http://{}", closed_port().await);

    for (oss, dlf, ram, uri, status, code, request_id) in [
        (
            &oss_body.url,
            &closed,
            &closed,
            "/api/account/buckets?regionId=cn-hangzhou",
            403,
            "AccessDenied",
            Some("OSS-DENIED-1"),
        ),
        (
            &oss_header.url,
            &closed,
            &closed,
            "/api/account/buckets?regionId=cn-hangzhou",
            403,
            "AccessDenied",
            Some("OSS-DENIED-1"),
        ),
        (
            &oss_html.url,
            &closed,
            &closed,
            "/api/account/buckets?regionId=cn-hangzhou",
            502,
            "UpstreamInvalidResponse",
            None,
        ),
        (
            &oss_broken_error.url,
            &closed,
            &closed,
            "/api/account/buckets?regionId=cn-hangzhou",
            502,
            "UpstreamInvalidResponse",
            None,
        ),
        (
            &closed,
            &closed,
            &closed,
            "/api/account/buckets?regionId=cn-hangzhou",
            502,
            "UpstreamUnavailable",
            None,
        ),
        (
            &oss_stuck.url,
            &closed,
            &closed,
            "/api/account/buckets?regionId=cn-hangzhou",
            502,
            "UpstreamInvalidResponse",
            None,
        ),
        (
            &closed,
            &dlf_denied.url,
            &closed,
            "/api/account/catalogs?regionId=cn-hangzhou",
            403,
            "AccessDenied",
            Some("DLF-403"),
        ),
        (
            &closed,
            &dlf_bad.url,
            &closed,
            "/api/account/catalogs?regionId=cn-hangzhou",
            502,
            "UpstreamInvalidResponse",
            None,
        ),
        (
            &closed,
            &closed,
            &closed,
            "/api/account/catalogs?regionId=cn-hangzhou",
            502,
            "UpstreamUnavailable",
            None,
        ),
        (
            &closed,
            &closed,
            &ram_denied.url,
            "/api/account/roles",
            403,
            "NoPermission",
            Some("RAM-403"),
        ),
        (
            &closed,
            &closed,
            &ram_denied.url,
            "/api/account/roles/R",
            403,
            "NoPermission",
            Some("RAM-403"),
        ),
        (
            &closed,
            &closed,
            &ram_throttled.url,
            "/api/account/roles",
            400,
            "Throttling.User",
            Some("RAM-HDR"),
        ),
        (
            &closed,
            &closed,
            &closed,
            "/api/account/roles/R",
            502,
            "UpstreamUnavailable",
            None,
        ),
    ] {
        let app = gateway_with(oss, dlf, ram, &closed);
        let (got, json) = get(&app, uri).await;
        assert_eq!(
            (got.as_u16(), json["Code"].as_str()),
            (status, Some(code)),
            "{uri}: {json}"
        );
        if let Some(id) = request_id {
            assert_eq!(json["RequestId"], id, "{uri}: {json}");
        } else {
            assert_eq!(
                json["RequestId"].as_str().unwrap().len(),
                36,
                "a request id of our own: {json}"
            );
        }
        assert!(!json["Message"].as_str().unwrap().is_empty(), "{json}");
    }
}

#[tokio::test]
async fn resource_group_errors_are_mapped() {
    let denied = Upstream::start(|_| {
        json_reply(
            403,
            json!({"Code": "NoPermission", "Message": "no resourcemanager:ListResourceGroups",
                   "RequestId": "RM-403", "HostId": "resourcemanager.aliyuncs.com"}),
        )
    })
    .await;
    let throttled = Upstream::start(|_| {
        reply(
            400,
            "application/json",
            &[("x-acs-request-id", "RM-HDR")],
            r#"{"Code":"Throttling.User","Message":"slow down"}"#,
        )
    })
    .await;
    let not_a_page = Upstream::start(|_| json_reply(200, json!(["not", "a", "page"]))).await;
    let no_ids = Upstream::start(|_| {
        json_reply(
            200,
            json!({"TotalCount": 1, "ResourceGroups": {"ResourceGroup": [{"Name": "no id"}]}}),
        )
    })
    .await;
    let closed = format!("http://{}", closed_port().await);
    for (upstream, status, code, request_id) in [
        (&denied.url, 403, "NoPermission", Some("RM-403")),
        (&throttled.url, 400, "Throttling.User", Some("RM-HDR")),
        (&not_a_page.url, 502, "UpstreamInvalidResponse", None),
        (&no_ids.url, 502, "UpstreamInvalidResponse", None),
        (&closed, 502, "UpstreamUnavailable", None),
    ] {
        let app = gateway_with(&closed, &closed, &closed, upstream);
        let (got, json) = get(&app, "/api/account/resource-groups").await;
        assert_eq!(
            (got.as_u16(), json["Code"].as_str()),
            (status, Some(code)),
            "{upstream}: {json}"
        );
        match request_id {
            Some(id) => assert_eq!(json["RequestId"], id, "{json}"),
            None => assert_eq!(json["RequestId"].as_str().unwrap().len(), 36, "{json}"),
        }
        assert!(!json["Message"].as_str().unwrap().is_empty(), "{json}");
    }
    assert_eq!(denied.seen().len(), 1);
}

fn unix_of_oss_date(oss_date: &str) -> i64 {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(oss_date, format)
        .unwrap()
        .assume_utc()
        .unix_timestamp()
}

/// Each received request's `Authorization`, recomputed by the official signers from what arrived.
fn check_signatures(oss: &[Recorded], dlf: &[Recorded], ram: &[Recorded], rm: &[Recorded]) {
    let cases: Vec<Value> = oss
        .iter()
        .map(|r| {
            json!({"host": "oss-cn-hangzhou.aliyuncs.com", "region": "cn-hangzhou", "query": query(r),
                   "ak": KEY_ID, "sk": SECRET, "token": STS_TOKEN,
                   "unix": unix_of_oss_date(r.header("x-oss-date").unwrap())})
        })
        .collect();
    let out = crate::common::run_account_script(
        "oss_v4_sign.py",
        &json!({"signer": cases, "client": []}),
    );
    assert_eq!(out["signer"].as_array().map(Vec::len), Some(oss.len()));
    for (r, signed) in oss.iter().zip(out["signer"].as_array().unwrap()) {
        let sdk = signed["headers"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v.as_str().unwrap().to_owned());
        assert_eq!(
            r.header("authorization").map(str::to_owned),
            sdk,
            "OSS {}",
            r.query
        );
    }

    let acs: Vec<&Recorded> = dlf.iter().chain(ram).chain(rm).collect();
    let cases: Vec<Value> = acs
        .iter()
        .map(|r| {
            let auth = r.header("authorization").unwrap();
            let signed = auth
                .split("SignedHeaders=")
                .nth(1)
                .unwrap()
                .split(',')
                .next()
                .unwrap();
            assert!(
                signed.contains("host") && signed.contains("x-acs-action"),
                "{auth}"
            );
            let headers: serde_json::Map<String, Value> = signed
                .split(';')
                .map(|name| (name.to_owned(), json!(r.header(name).unwrap())))
                .collect();
            json!({"method": r.method, "path": r.path, "query": query(r), "headers": headers,
                   "ak": KEY_ID, "sk": SECRET})
        })
        .collect();
    let out = crate::common::run_account_script("acs3_sign.py", &json!(cases));
    assert_eq!(out.as_array().map(Vec::len), Some(acs.len()));
    for (r, sdk) in acs.iter().zip(out.as_array().unwrap()) {
        assert_eq!(
            r.header("authorization"),
            sdk.as_str(),
            "{} {}?{}",
            r.method,
            r.path,
            r.query
        );
    }
}
