//! `--policy` and `--audit-log` in both backends: a refused request spends nothing (the emulator stores nothing,
//! the gateway's stub upstream counts no call), `GET /api/policy`, one clean audit line per create answered
//! (under concurrency too), the 503 when the log cannot be written, and the start-up refusals of the binary.

use std::{
    collections::BTreeMap,
    io::Write,
    path::Path,
    sync::{Arc, Mutex},
    time::Duration,
};

use crate::{common::*, process::Process};
use serde_json::{Value, json};
use workspace_model::Policy;
use workspace_server::{AuditLog, Config, Emulator, GatewayConfig, app};

const CREATE: &str = "/api/v1/workspaces?regionId=cn-hangzhou";

/// The example policy of the platform-team docs.
const POLICY: &str = include_str!("../../../../examples/policy-team-a.json");

fn policy() -> Policy {
    Policy::parse(POLICY).unwrap()
}

/// A request the example policy accepts.
fn allowed() -> Value {
    json!({
        "workspaceName": "team-a-etl",
        "resourceSpec": {"cu": 64},
        "ossBucket": "oss://etl-bucket/",
        "paymentType": "PayAsYouGo",
        "resourceGroupId": "rg-acfmteama01",
        "dlfCatalogId": "1234567890",
        "tag": [
            {"key": "team", "value": "team-a"},
            {"key": "env", "value": "dev"},
            {"key": "cost-center", "value": "cc-1"},
        ],
    })
}

/// The body with the member at `pointer` set (a top-level member is added if missing).
fn with(mut body: Value, pointer: &str, value: Value) -> Value {
    match body.pointer_mut(pointer) {
        Some(slot) => *slot = value,
        None => {
            body[&pointer[1..]] = value;
        }
    }
    body
}

/// Requests the policy refuses, each with the code and message the server must answer.
fn refused() -> Vec<(&'static str, Value, &'static str, &'static str)> {
    vec![
        (
            "/api/v1/workspaces?regionId=cn-beijing",
            allowed(),
            "PolicyViolation.regionId",
            "regionId: Must be one of cn-hangzhou, cn-shanghai (set by your administrator).",
        ),
        (
            CREATE,
            with(allowed(), "/resourceSpec/cu", json!(65)),
            "PolicyViolation.resourceSpec.cu",
            "resourceSpec.cu: At most 64 CU (set by your administrator).",
        ),
        (
            CREATE,
            with(allowed(), "/resourceSpec/cu", json!("65")),
            "PolicyViolation.resourceSpec.cu",
            "resourceSpec.cu: At most 64 CU (set by your administrator).",
        ),
        (
            CREATE,
            with(allowed(), "/workspaceName", json!("etl")),
            "PolicyViolation.workspaceName",
            "workspaceName: Must start with team-a- (set by your administrator).",
        ),
        (
            CREATE,
            with(allowed(), "/paymentType", json!("Pre")),
            "PolicyViolation.paymentType",
            "paymentType: Must be PayAsYouGo (set by your administrator).",
        ),
        (
            CREATE,
            with(allowed(), "/dlfCatalogId", Value::Null),
            "PolicyViolation.dlfCatalogId",
            "dlfCatalogId: Required (set by your administrator).",
        ),
        (
            CREATE,
            with(allowed(), "/tag/1/value", json!("qa")),
            "PolicyViolation.tag.env",
            "tag.env: The tag env must be one of dev, prod (set by your administrator).",
        ),
        (
            CREATE,
            with(
                allowed(),
                "/tag",
                json!([{"key": "team", "value": "team-a"}]),
            ),
            "PolicyViolation.tag.env",
            "tag.env: The tags env, cost-center are required (set by your administrator).",
        ),
    ]
}

fn post(base: &str, path: &str, body: &Value) -> reqwest::RequestBuilder {
    client()
        .post(format!("{base}{path}"))
        .header("content-type", "application/json")
        .body(body.to_string())
}

async fn serve(config: Config) -> String {
    format!("http://{}", spawn(app(config)).await)
}

#[tokio::test]
async fn the_emulator_refuses_what_the_policy_forbids_and_stores_nothing() {
    let emulator = Emulator::new(Duration::ZERO);
    let base = serve(Config::with_emulator(emulator.clone()).with_policy(policy())).await;
    for (path, body, code, message) in refused() {
        let reply = send(post(&base, path, &body)).await;
        reply.assert_error(403, code);
        assert_eq!(reply.json()["Message"], message);
    }
    assert_eq!(emulator.stored(), (0, 0));
    // The request's own rules speak first, in form order: a broken name is a 400, not the policy's 403.
    let reply = send(post(
        &base,
        CREATE,
        &with(allowed(), "/workspaceName", json!("a b")),
    ))
    .await;
    reply.assert_error(400, "InvalidParameter.workspaceName");
    // What the policy allows is created, `"cu": 64` and `"cu": "64"` alike.
    for cu in [json!(64), json!("64")] {
        let reply = send(post(
            &base,
            CREATE,
            &with(allowed(), "/resourceSpec/cu", cu),
        ))
        .await;
        assert_eq!(reply.status, 200, "{}", reply.json());
    }
    assert_eq!(emulator.stored().0, 2);
}

#[tokio::test]
async fn the_gateway_never_calls_upstream_for_a_refused_request() {
    let stub = Stub::start(Behaviour::Ok).await;
    let gateway = GatewayConfig::new(credentials(SECRET, None)).with_upstream(stub.url());
    let base = serve(Config::aliyun(gateway).unwrap().with_policy(policy())).await;
    for (path, body, code, _) in refused() {
        send(post(&base, path, &body)).await.assert_error(403, code);
    }
    assert_eq!(stub.count(), 0, "no refused request reached the upstream");
    let reply = send(post(&base, CREATE, &allowed())).await;
    assert_eq!(reply.status, 200);
    assert_eq!(stub.count(), 1);
    let sent: Value = serde_json::from_slice(&stub.last().body).unwrap();
    assert_eq!(sent["resourceGroupId"], "rg-acfmteama01");
    assert_eq!(sent["resourceSpec"]["cu"], "64", "sent as the SDK sends it");
    assert_eq!(sent["tag"][0], json!({"key": "team", "value": "team-a"}));
}

#[tokio::test]
async fn get_policy_answers_the_policy_or_an_empty_object() {
    let with_policy = serve(Config::emulator(Duration::ZERO).with_policy(policy())).await;
    let reply = send(client().get(format!("{with_policy}/api/policy"))).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert!(
        reply
            .header("x-acs-request-id")
            .is_some_and(|id| !id.is_empty()),
        "a request id like every API answer"
    );
    let text = String::from_utf8(reply.body.to_vec()).unwrap();
    assert_eq!(Policy::parse(&text).unwrap(), policy());
    assert_eq!(reply.json()["fields"]["resourceSpec.cu"]["max"], 64);

    let stub = Stub::start(Behaviour::Ok).await;
    let gateway = GatewayConfig::new(credentials(SECRET, None)).with_upstream(stub.url());
    let without = serve(Config::aliyun(gateway).unwrap()).await;
    let reply = send(client().get(format!("{without}/api/policy"))).await;
    assert_eq!((reply.status, &reply.body[..]), (200, &b"{}"[..]));
    assert_eq!(stub.count(), 0, "the policy is the gateway's own");
    let reply = send(client().post(format!("{without}/api/policy"))).await;
    assert_eq!(reply.status, 405);
}

/// Lines written to memory, as a file would get them.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl Write for Lines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Lines {
    fn parsed(&self) -> Vec<Value> {
        let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "a partial line: {text}"
        );
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

fn audit_log(lines: &Lines) -> AuditLog {
    AuditLog::to_writer(lines.clone()).with_user_header("x-forwarded-user".parse().unwrap())
}

#[tokio::test]
async fn one_clean_line_per_create_under_concurrency() {
    let lines = Lines::default();
    let emulator = Emulator::new(Duration::ZERO);
    let config = Config::with_emulator(emulator.clone())
        .with_policy(policy())
        .with_audit_log(audit_log(&lines))
        .with_auth_token(AUTH_TOKEN);
    let base = serve(config).await;
    // 50 at once: created, replayed by their token, refused by the policy, refused by validation, unreadable.
    let mut tasks = Vec::new();
    for i in 0..50 {
        let (path, body, content_type) = match i % 5 {
            0 => (
                CREATE,
                with(allowed(), "/workspaceName", json!(format!("team-a-{i}"))),
                "application/json",
            ),
            1 => (
                CREATE,
                with(allowed(), "/clientToken", json!("token-replayed")),
                "application/json",
            ),
            2 => (
                CREATE,
                with(allowed(), "/resourceSpec/cu", json!(100)),
                "application/json",
            ),
            3 => (
                CREATE,
                with(allowed(), "/ossBucket", json!("s3://x")),
                "application/json",
            ),
            _ => (CREATE, json!("not a body"), "text/plain"),
        };
        let request = client()
            .post(format!("{base}{path}"))
            .header("content-type", content_type)
            .header("x-forwarded-user", format!("user-{i}@example.com"))
            .bearer_auth(AUTH_TOKEN)
            .body(body.to_string());
        tasks.push(tokio::spawn(async move { (i, send(request).await) }));
    }
    let mut answers = BTreeMap::new();
    for task in tasks {
        let (i, reply) = task.await.unwrap();
        answers.insert(format!("user-{i}@example.com"), reply);
    }
    let text = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
    assert_no_secret(&text, "audit log");
    assert!(!text.to_ascii_lowercase().contains("authorization") && !text.contains("Bearer"));
    let parsed = lines.parsed();
    assert_eq!(parsed.len(), 50, "one line per answer");
    for line in &parsed {
        let user = line["user"].as_str().unwrap();
        let reply = &answers[user];
        let answer = reply.json();
        // Exactly these members, and the time in RFC 3339 UTC.
        let mut keys: Vec<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        keys.sort();
        let mut want = vec![
            "clientToken",
            "regionId",
            "requestId",
            "status",
            "time",
            "user",
            "workspaceName",
        ];
        want.push(if reply.status == 200 {
            "workspaceId"
        } else {
            "code"
        });
        want.sort();
        assert_eq!(keys, want, "{line}");
        let time = line["time"].as_str().unwrap();
        assert!(
            time.ends_with('Z')
                && time::OffsetDateTime::parse(
                    time,
                    &time::format_description::well_known::Rfc3339
                )
                .is_ok(),
            "{time}"
        );
        assert_eq!(line["status"], reply.status, "{line}");
        assert_eq!(line["regionId"], "cn-hangzhou");
        if reply.status == 200 {
            assert_eq!(line["workspaceId"], answer["workspaceId"]);
            assert_eq!(line["requestId"], answer["requestId"]);
        } else {
            assert_eq!(line["code"], answer["Code"]);
            assert_eq!(line["requestId"], answer["RequestId"]);
        }
    }
    let count = |status: u16, code: Option<&str>| {
        parsed
            .iter()
            .filter(|l| l["status"] == status && code.is_none_or(|c| l["code"] == c))
            .count()
    };
    assert_eq!(
        count(200, None),
        20,
        "10 created, 10 answered from their token"
    );
    assert_eq!(count(403, Some("PolicyViolation.resourceSpec.cu")), 10);
    assert_eq!(count(400, Some("InvalidParameter.ossBucket")), 10);
    assert_eq!(count(415, Some("UnsupportedMediaType")), 10);
    assert_eq!(
        emulator.stored(),
        (11, 1),
        "10 names and one replayed token"
    );
    let replayed: Vec<&Value> = parsed
        .iter()
        .filter(|l| l["clientToken"] == "token-replayed")
        .collect();
    assert_eq!(replayed.len(), 10);
    assert!(
        replayed
            .iter()
            .all(|l| l["workspaceId"] == replayed[0]["workspaceId"])
    );
    // Without the header, the user is null.
    let reply = send(post(&base, CREATE, &allowed()).bearer_auth(AUTH_TOKEN)).await;
    assert_eq!(reply.status, 200);
    let last = lines.parsed().pop().unwrap();
    assert_eq!(last["user"], Value::Null);
    assert_eq!(last["workspaceName"], "team-a-etl");
    assert_eq!(last["clientToken"], Value::Null);
}

#[tokio::test]
async fn the_gateway_records_upstream_failures_and_its_created_workspaces() {
    let lines = Lines::default();
    let created = Stub::start(Behaviour::Fixed {
        status: 200,
        content_type: Some("application/json"),
        request_id: Some("R-1"),
        body: br#"{"requestId":"R-1","workspaceId":"w-upstream","operationId":"op-1"}"#,
    })
    .await;
    let gateway =
        GatewayConfig::new(credentials(SECRET, Some(STS_TOKEN))).with_upstream(created.url());
    let base = serve(
        Config::aliyun(gateway)
            .unwrap()
            .with_audit_log(audit_log(&lines)),
    )
    .await;
    assert_eq!(send(post(&base, CREATE, &minimal())).await.status, 200);
    let failing = Stub::start(Behaviour::Fixed {
        status: 500,
        content_type: Some("application/json"),
        request_id: Some("R-2"),
        body: br#"{"RequestId":"R-2","Code":"InternalError","Message":"boom"}"#,
    })
    .await;
    let gateway =
        GatewayConfig::new(credentials(SECRET, Some(STS_TOKEN))).with_upstream(failing.url());
    let base = serve(
        Config::aliyun(gateway)
            .unwrap()
            .with_audit_log(audit_log(&lines)),
    )
    .await;
    let reply = send(post(&base, CREATE, &minimal())).await;
    assert_eq!(
        (reply.status, &reply.json()["Code"]),
        (500, &json!("InternalError"))
    );
    let parsed = lines.parsed();
    assert_eq!(parsed.len(), 2);
    assert_eq!(parsed[0]["workspaceId"], "w-upstream");
    assert_eq!(parsed[0]["requestId"], "R-1");
    assert_eq!(
        (
            &parsed[1]["status"],
            &parsed[1]["code"],
            &parsed[1]["requestId"]
        ),
        (&json!(500), &json!("InternalError"), &json!("R-2"))
    );
    assert_no_secret(
        &String::from_utf8(lines.0.lock().unwrap().clone()).unwrap(),
        "audit log",
    );
}

#[tokio::test]
async fn an_unwritable_log_refuses_creates_and_the_emulator_creates_nothing() {
    let emulator = Emulator::new(Duration::ZERO);
    let log = AuditLog::open("/dev/full").expect("/dev/full opens for appending");
    let base = serve(Config::with_emulator(emulator.clone()).with_audit_log(log)).await;
    for body in [minimal(), with(minimal(), "/workspaceName", json!("a b"))] {
        let reply = send(post(&base, CREATE, &body)).await;
        reply.assert_error(503, "ServiceUnavailable.AuditLog");
        assert!(
            reply.json()["Message"]
                .as_str()
                .unwrap()
                .contains("Nothing was created.")
        );
    }
    assert_eq!(emulator.stored(), (0, 0), "the workspace was taken back");
    // Listing is no create: it still works.
    let reply = send(client().get(format!("{base}{CREATE}"))).await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn an_unwritable_log_stops_the_gateway_after_the_one_create_it_could_not_undo() {
    let stub = Stub::start(Behaviour::Fixed {
        status: 200,
        content_type: Some("application/json"),
        request_id: Some("R-1"),
        body: br#"{"requestId":"R-1","workspaceId":"w-upstream","operationId":"op-1"}"#,
    })
    .await;
    let gateway = GatewayConfig::new(credentials(SECRET, None)).with_upstream(stub.url());
    let log = AuditLog::open("/dev/full").unwrap();
    let base = serve(Config::aliyun(gateway).unwrap().with_audit_log(log)).await;
    // A refused request costs nothing, and its answer is refused too: its line could not be written.
    send(post(
        &base,
        CREATE,
        &with(minimal(), "/workspaceName", json!("a b")),
    ))
    .await
    .assert_error(503, "ServiceUnavailable.AuditLog");
    assert_eq!(stub.count(), 0);
    // The first create meets the broken log only after Alibaba created it: the answer says so, with the id.
    let reply = send(post(&base, CREATE, &minimal())).await;
    reply.assert_error(503, "ServiceUnavailable.AuditLog");
    assert!(
        reply.json()["Message"]
            .as_str()
            .unwrap()
            .contains("w-upstream"),
        "{}",
        reply.json()
    );
    assert_eq!(stub.count(), 1);
    // Its line is pending: every later create is refused before the upstream.
    for _ in 0..3 {
        let reply = send(post(&base, CREATE, &minimal())).await;
        reply.assert_error(503, "ServiceUnavailable.AuditLog");
        assert!(
            reply.json()["Message"]
                .as_str()
                .unwrap()
                .contains("Nothing was created.")
        );
    }
    assert_eq!(stub.count(), 1);
}

/// Runs the binary with these flags and no credentials; its exit code and standard error.
fn refusal(args: &[&str]) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_workspace-server"))
        .env_clear()
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_binary_does_not_start_on_a_policy_it_would_misapply() {
    let dir = std::env::temp_dir().join(format!("policy-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let cases = [
        (write("broken.json", "{\"fields\": {"), "broken JSON"),
        (
            write(
                "monthly.json",
                r#"{"fields":{"paymentType":{"fixed":"Monthly"}}}"#,
            ),
            "fields.paymentType.fixed: “Monthly” breaks paymentType's own rule",
        ),
        (
            write("unknown.json", r#"{"fields":{"cu":{"max":64}}}"#),
            "fields.cu: not a CreateWorkspace parameter",
        ),
        (
            write(
                "operator.json",
                r#"{"fields":{"workspaceName":{"max":64}}}"#,
            ),
            "fields.workspaceName.max: fits only whole-number parameters",
        ),
        (
            write(
                "minmax.json",
                r#"{"fields":{"resourceSpec.cu":{"min":65,"max":64}}}"#,
            ),
            "fields.resourceSpec.cu.min: 65 is above max 64",
        ),
        (
            dir.join("missing.json").display().to_string(),
            "cannot read it",
        ),
    ];
    for backend in ["emulator", "aliyun"] {
        for (file, words) in &cases {
            let (code, stderr) = refusal(&["--backend", backend, "--policy", file]);
            assert_eq!(code, Some(2), "{stderr}");
            // The gateway without credentials stops for them first; the emulator names the file and the key.
            if backend == "emulator" {
                assert!(
                    stderr.contains(&format!("--policy {file}: ")) && stderr.contains(words),
                    "{stderr}"
                );
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_binary_does_not_start_without_a_log_it_can_append_to_or_with_a_secret_header() {
    let (code, stderr) = refusal(&["--audit-log", "/nonexistent-dir/audit.jsonl"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--audit-log /nonexistent-dir/audit.jsonl: cannot open it for appending"),
        "{stderr}"
    );
    let (code, stderr) = refusal(&["--audit-log", "-", "--user-header", "Authorization"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("secret"), "{stderr}");
    let (code, stderr) = refusal(&["--user-header", "X-Forwarded-User"]);
    assert_eq!(code, Some(2), "--user-header needs --audit-log: {stderr}");
    assert!(stderr.contains("--audit-log"), "{stderr}");
}

#[tokio::test]
async fn the_binary_writes_audit_lines_to_standard_output_with_a_policy() {
    let dir = std::env::temp_dir().join(format!("policy-stdout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy_file = dir.join("policy.json");
    std::fs::write(&policy_file, POLICY).unwrap();
    let policy_arg = policy_file.display().to_string();
    let server = Process::start(
        Path::new(env!("CARGO_BIN_EXE_workspace-server")),
        "127.0.0.1",
        &[
            "--startup-delay",
            "0",
            "--policy",
            &policy_arg,
            "--audit-log",
            "-",
            "--user-header",
            "X-Forwarded-User",
        ],
        &[("WORKSPACE_AUTH_TOKEN", AUTH_TOKEN)],
    )
    .await;
    let base = server.base();
    let created = send(
        post(&base, CREATE, &allowed())
            .bearer_auth(AUTH_TOKEN)
            .header("x-forwarded-user", "ana"),
    )
    .await;
    let refused = send(
        post(
            &base,
            CREATE,
            &with(allowed(), "/resourceSpec/cu", json!(65)),
        )
        .bearer_auth(AUTH_TOKEN),
    )
    .await;
    let output = server.stop();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(created.status, 200);
    refused.assert_error(403, "PolicyViolation.resourceSpec.cu");
    assert!(
        output
            .stderr
            .contains("(enforcing a policy) (writing an audit log)"),
        "{}",
        output.stderr
    );
    assert_no_secret(&output.stdout, "stdout");
    let lines: Vec<Value> = output
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", output.stdout);
    assert_eq!(
        (&lines[0]["user"], &lines[0]["status"]),
        (&json!("ana"), &json!(200))
    );
    assert_eq!(lines[0]["workspaceId"], created.json()["workspaceId"]);
    assert_eq!(
        (&lines[1]["user"], &lines[1]["code"]),
        (&Value::Null, &json!("PolicyViolation.resourceSpec.cu"))
    );
}
