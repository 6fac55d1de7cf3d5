//! The account listings on the emulator through `app(..).oneshot(..)`: the demo account, a fixtures file, the
//! region filter, a missing role, a bad region, a denied listing, and fixtures files refused at start-up.

use std::{io::Write, path::PathBuf};

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use clap::{CommandFactory, FromArgMatches};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use workspace_server::{
    Account, Config, Emulator, app,
    cli::{Args, build_config},
};

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    let request = Request::get(uri)
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let id = response
        .headers()
        .get("x-acs-request-id")
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(id.is_some(), "every answer carries a request id: {json}");
    (status, json)
}

fn demo() -> Router {
    app(Config::emulator(std::time::Duration::ZERO))
}

/// A fixtures file in the system's temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("{}-{name}", std::process::id()));
        std::fs::File::create(&path)
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The server the binary would start with these flags, or its refusal.
fn configure(args: &[&str]) -> Result<Config, String> {
    let matches = Args::command()
        .try_get_matches_from(std::iter::once("workspace-server").chain(args.iter().copied()))
        .map_err(|e| e.to_string())?;
    let parsed = Args::from_arg_matches(&matches).map_err(|e| e.to_string())?;
    build_config(&parsed, &matches, |_| None)
}

#[tokio::test]
async fn the_demo_account_by_region() {
    let app = demo();
    let (status, json) = get(&app, "/api/account/buckets?regionId=cn-hangzhou").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json,
        json!({"buckets": [
            {"name": "spark-demo-hz", "region": "cn-hangzhou"},
            {"name": "spark-logs-hz", "region": "cn-hangzhou"}
        ], "truncated": false})
    );
    let (_, json) = get(&app, "/api/account/buckets?regionId=cn-shanghai").await;
    assert_eq!(
        json["buckets"],
        json!([{"name": "spark-demo-sh", "region": "cn-shanghai"}])
    );
    let (_, json) = get(&app, "/api/account/buckets?regionId=us-east-1").await;
    assert_eq!(json, json!({"buckets": [], "truncated": false}));

    let (status, json) = get(&app, "/api/account/catalogs?regionId=cn-hangzhou").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json,
        json!({"catalogs": [
            {"id": "clg-paimon-demo0001", "name": "lakehouse", "status": "RUNNING"},
            {"id": "clg-paimon-demo0002", "name": "staging", "status": "INITIALIZING"}
        ], "truncated": false})
    );

    let (status, json) = get(&app, "/api/account/roles").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json,
        json!({"roles": [
            {"name": "AliyunECSInstanceRole", "description": "Instance role of ECS", "trustsSpark": false},
            {"name": "AliyunEMRSparkJobRunDefaultRole",
             "description": "Default execution role of EMR Serverless Spark jobs", "trustsSpark": true}
        ], "truncated": false})
    );
    // RAM is global: a known region changes nothing.
    assert_eq!(
        get(&app, "/api/account/roles?regionId=cn-beijing").await.1,
        json
    );

    let (status, json) = get(&app, "/api/account/roles/AliyunEMRSparkJobRunDefaultRole").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["role"]["trustsSpark"], true);
    let (_, json) = get(&app, "/api/account/roles/AliyunECSInstanceRole").await;
    assert_eq!(
        json,
        json!({"role": {"name": "AliyunECSInstanceRole", "description": "Instance role of ECS", "trustsSpark": false}})
    );
}

#[tokio::test]
async fn missing_roles_bad_names_and_bad_regions() {
    let app = demo();
    let (status, json) = get(&app, "/api/account/roles/NoSuchRole").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json["Code"], "EntityNotExist.Role");
    for key in ["RequestId", "HostId", "Message", "Recommend"] {
        assert!(json.get(key).is_some(), "{key}: {json}");
    }
    // Names are exact, as RAM's are.
    let (status, _) = get(&app, "/api/account/roles/aliyunemrsparkjobrundefaultrole").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, json) = get(&app, "/api/account/roles/a%20b").await;
    assert_eq!(
        (status, json["Code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidParameter.RoleName"))
    );

    // The same refusal as the workspace routes give, for a region left out, empty or unknown.
    let (_, workspaces) = get(&app, "/api/v1/workspaces?regionId=mars-1").await;
    for uri in [
        "/api/account/buckets",
        "/api/account/buckets?regionId=",
        "/api/account/buckets?regionId=mars-1",
        "/api/account/catalogs?regionId=mars-1",
        "/api/account/roles?regionId=mars-1",
        "/api/account/roles/AliyunECSInstanceRole?regionId=mars-1",
        "/api/account/resource-groups?regionId=mars-1",
        "/api/account/resource-groups?regionId=cn-hangzhou-x",
    ] {
        let (status, json) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {json}");
        assert!(
            json["Code"].as_str().unwrap().ends_with(".regionId"),
            "{uri}: {json}"
        );
        if uri.ends_with("mars-1") {
            assert_eq!(json["Code"], workspaces["Code"], "{uri}");
            assert_eq!(json["Message"], workspaces["Message"], "{uri}");
        }
    }
    let (status, json) = get(&app, "/api/account/buckets?regionId=cn-hangzhou&regionId=x").await;
    assert_eq!(status, StatusCode::OK, "{json}");
}

#[tokio::test]
async fn a_fixtures_file_pages_and_denies() {
    // Seven buckets: several emulated pages of two, in and out of the region, given out of order.
    let names = ["g", "a", "f", "b", "e", "c", "d"];
    let buckets: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, n)| json!({"name": n, "region": if i % 3 == 2 { "cn-shanghai" } else { "cn-hangzhou" }}))
        .collect();
    let file = TempFile::new(
        "fixtures.json",
        &json!({
            "buckets": buckets,
            "catalogs": [{"id": "clg-paimon-2", "name": "two", "region": "cn-beijing", "status": "TERMINATED"},
                         {"id": "clg-paimon-1", "name": "one", "region": "cn-beijing"}],
            "roles": [{"name": "EtlRole", "trustedServices": ["ecs.aliyuncs.com", "spark.emr-serverless.aliyuncs.com"]}],
            "deny": ["buckets"]
        })
        .to_string(),
    );
    let app = app(configure(&["--fixtures", file.0.to_str().unwrap()]).unwrap());
    let (status, json) = get(&app, "/api/account/buckets?regionId=cn-hangzhou").await;
    assert_eq!(
        (status, json["Code"].as_str()),
        (StatusCode::FORBIDDEN, Some("AccessDenied")),
        "{json}"
    );
    let (_, json) = get(&app, "/api/account/catalogs?regionId=cn-beijing").await;
    assert_eq!(
        json,
        json!({"catalogs": [{"id": "clg-paimon-1", "name": "one", "status": "RUNNING"},
                            {"id": "clg-paimon-2", "name": "two", "status": "TERMINATED"}], "truncated": false})
    );
    let (_, json) = get(&app, "/api/account/roles").await;
    assert_eq!(
        json["roles"],
        json!([{"name": "EtlRole", "description": "", "trustsSpark": true}])
    );

    let undenied = TempFile::new("undenied.json", &json!({"buckets": buckets}).to_string());
    let app = workspace_server::app(Config::with_emulator(
        Emulator::new(std::time::Duration::ZERO).with_account(Account::load(&undenied.0).unwrap()),
    ));
    let (_, json) = get(&app, "/api/account/buckets?regionId=cn-hangzhou").await;
    let listed: Vec<&str> = json["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        ["a", "b", "d", "e", "g"],
        "every page, in name order, only the region's"
    );

    // Each listing can be refused, the single role with the list.
    let all = TempFile::new(
        "deny-all.json",
        r#"{"roles": [{"name": "R"}], "resourceGroups": [{"id": "rg-a1", "name": "g"}],
            "deny": ["buckets", "catalogs", "roles", "resourceGroups"]}"#,
    );
    let app = workspace_server::app(configure(&["--fixtures", all.0.to_str().unwrap()]).unwrap());
    for uri in [
        "/api/account/buckets?regionId=cn-hangzhou",
        "/api/account/catalogs?regionId=cn-hangzhou",
        "/api/account/roles",
        "/api/account/roles/R",
        "/api/account/resource-groups",
    ] {
        let (status, json) = get(&app, uri).await;
        assert_eq!(
            (status, json["Code"].as_str()),
            (StatusCode::FORBIDDEN, Some("AccessDenied")),
            "{uri}"
        );
    }
}

#[test]
fn fixtures_files_that_stop_start_up() {
    let missing = std::env::temp_dir().join("no-such-dir-for-fixtures/missing.json");
    let e = configure(&["--fixtures", missing.to_str().unwrap()])
        .err()
        .unwrap_or_default();
    assert!(
        e.contains("missing.json") && e.contains("cannot read"),
        "{e}"
    );
    for (name, text, says) in [
        ("malformed.json", "{\"buckets\": [", "EOF"),
        (
            "shape.json",
            r#"{"buckets": [{"name": "b"}]}"#,
            "missing field `region`",
        ),
        (
            "region.json",
            r#"{"buckets": [{"name": "b", "region": "mars-1"}]}"#,
            "unknown region",
        ),
        ("deny.json", r#"{"deny": ["workspaces"]}"#, "deny"),
        (
            "group-status.json",
            r#"{"resourceGroups": [{"id": "rg-a1", "name": "g", "status": "Gone"}]}"#,
            "unknown status",
        ),
        (
            "group-id.json",
            r#"{"resourceGroups": [{"id": "group-1", "name": "g"}]}"#,
            "is not a resource group id",
        ),
    ] {
        let file = TempFile::new(name, text);
        let e = configure(&["--fixtures", file.0.to_str().unwrap()])
            .err()
            .unwrap_or_default();
        assert!(e.contains(name) && e.contains(says), "{name}: {e}");
    }
    let good = TempFile::new("good.json", "{}");
    assert!(configure(&["--fixtures", good.0.to_str().unwrap()]).is_ok());
}

#[tokio::test]
async fn injected_faults_reach_the_listings() {
    use workspace_server::{FaultCode, Faults};
    let faults = Faults::new(
        std::time::Duration::ZERO,
        1.0,
        FaultCode::Throttling,
        0.0,
        1,
    )
    .unwrap();
    let app = app(Config::emulator(std::time::Duration::ZERO).with_faults(faults));
    for uri in [
        "/api/account/buckets?regionId=cn-hangzhou",
        "/api/account/roles/R",
    ] {
        let (status, json) = get(&app, uri).await;
        assert_eq!(
            (status, json["Code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("Throttling.User")),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn resource_groups_account_wide_with_their_defaults() {
    let app = demo();
    let (status, json) = get(&app, "/api/account/resource-groups").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json,
        json!({"resourceGroups": [
            {"id": "rg-acfmwpi66knkxny", "name": "default", "displayName": "default resource group", "status": "OK"},
            {"id": "rg-aek2data7team01", "name": "data-platform", "displayName": "Data platform team", "status": "OK"},
            {"id": "rg-aek2sandbox0002", "name": "sandbox", "displayName": "sandbox", "status": "Creating"}
        ], "truncated": false})
    );
    // Account-wide: a known region changes nothing; an unknown one is refused above.
    assert_eq!(
        get(&app, "/api/account/resource-groups?regionId=ap-southeast-1")
            .await
            .1,
        json
    );

    // More groups than an emulated page, given out of order; defaults filled; a file without the key has none.
    let groups: Vec<Value> = ["rg-e5", "rg-a1", "rg-d4", "rg-c3", "rg-b2"]
        .iter()
        .map(|id| json!({"id": id, "name": format!("n-{id}")}))
        .collect();
    let mut groups = groups;
    groups[1] =
        json!({"id": "rg-a1", "name": "a", "displayName": "Team A", "status": "PendingDelete"});
    let file = TempFile::new(
        "groups.json",
        &json!({"resourceGroups": groups}).to_string(),
    );
    let app = app_with(&file);
    let (_, json) = get(&app, "/api/account/resource-groups").await;
    let ids: Vec<&str> = json["resourceGroups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["rg-a1", "rg-b2", "rg-c3", "rg-d4", "rg-e5"]);
    assert_eq!(
        json["resourceGroups"][0],
        json!({"id": "rg-a1", "name": "a", "displayName": "Team A", "status": "PendingDelete"})
    );
    assert_eq!(
        json["resourceGroups"][1],
        json!({"id": "rg-b2", "name": "n-rg-b2", "displayName": "n-rg-b2", "status": "OK"})
    );
    let without = TempFile::new("no-groups.json", r#"{"roles": [{"name": "R"}]}"#);
    let (status, json) = get(&app_with(&without), "/api/account/resource-groups").await;
    assert_eq!(
        (status, json),
        (
            StatusCode::OK,
            json!({"resourceGroups": [], "truncated": false})
        )
    );
}

/// Every group the emulator lists is one its CreateWorkspace takes and GetWorkspace reports back.
#[tokio::test]
async fn create_takes_every_listed_group() {
    let app = demo();
    let (_, json) = get(&app, "/api/account/resource-groups").await;
    for group in json["resourceGroups"].as_array().unwrap() {
        let mut body = crate::common::minimal();
        body["resourceGroupId"] = group["id"].clone();
        let request = Request::post("/api/v1/workspaces?regionId=cn-hangzhou")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(
            status,
            StatusCode::OK,
            "{group}: {}",
            String::from_utf8_lossy(&bytes)
        );
        let created: Value = serde_json::from_slice(&bytes).unwrap();
        let id = created["workspaceId"].as_str().unwrap();
        let (_, got) = get(
            &app,
            &format!("/api/v1/workspaces/{id}?regionId=cn-hangzhou"),
        )
        .await;
        assert_eq!(got["workspace"]["resourceGroupId"], group["id"], "{got}");
    }
}

fn app_with(file: &TempFile) -> Router {
    app(configure(&["--fixtures", file.0.to_str().unwrap()]).unwrap())
}
