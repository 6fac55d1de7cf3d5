//! Shared by the server's tests: servers on real sockets, a recording stub upstream, captured log lines, the one
//! minimal request body, and the check that no secret ever shows in an answer or a log line.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::Request,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde_json::Value;
use workspace_server::{Config, acs3::Credentials};

/// Strings that must never appear in any answer or log line.
pub const SECRET: &str = "SECRET-never-shown-7f3a9c";
pub const WRONG_SECRET: &str = "WRONG-SECRET-never-shown-b21e";
pub const STS_TOKEN: &str = "STS-TOKEN-never-shown-91c2d4";
pub const AUTH_TOKEN: &str = "bearer-never-shown-55e1aa";
pub const KEY_ID: &str = "LTAI5tGatewayTestKey";

pub const SECRETS: [&str; 4] = [SECRET, WRONG_SECRET, STS_TOKEN, AUTH_TOKEN];

pub fn credentials(secret: &str, token: Option<&str>) -> Credentials {
    Credentials {
        access_key_id: KEY_ID.into(),
        access_key_secret: secret.into(),
        security_token: token.map(String::from),
    }
}

/// Log lines a server wrote.
#[derive(Clone, Default)]
pub struct Log(pub Arc<Mutex<Vec<String>>>);

impl Log {
    pub fn attach(&self, config: Config) -> Config {
        let lines = self.0.clone();
        config.with_logger(move |line| lines.lock().unwrap().push(line.to_owned()))
    }

    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// No line holds a secret, and there is one line per API request.
    pub fn assert_clean(&self) {
        for line in self.lines() {
            assert_no_secret(&line, "log line");
            assert!(!line.contains('\n'), "{line}");
        }
    }
}

pub fn assert_no_secret(text: &str, what: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} leaks {secret}: {text}");
    }
}

/// The binary under test, for [`crate::process::Process::start`].
pub const BINARY: &str = env!("CARGO_BIN_EXE_workspace-server");

/// Serves `app` on a free loopback port until the test ends, as the binary does (with its request-head timeout).
pub async fn spawn(app: Router) -> SocketAddr {
    spawn_with(app, workspace_server::Limits::default().header_timeout).await
}

/// [`spawn`] with another request-head timeout.
pub async fn spawn_with(app: Router, header_timeout: Duration) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(workspace_server::serve(
        listener,
        app,
        header_timeout,
        std::future::pending(),
    ));
    addr
}

/// A loopback port nothing listens on.
pub async fn closed_port() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// An answer as the browser would see it.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Neither the body nor any header holds a secret.
    pub fn assert_clean(&self) {
        assert_no_secret(&String::from_utf8_lossy(&self.body), "body");
        for (name, value) in &self.headers {
            assert_no_secret(&String::from_utf8_lossy(value.as_bytes()), name.as_str());
        }
    }

    /// An Alibaba-style error of ours or the upstream's: code, status, every key, request id in the header.
    pub fn assert_error(&self, status: u16, code: &str) {
        let json = self.json();
        assert_eq!(self.status, status, "{json}");
        assert_eq!(json["Code"], code, "{json}");
        for key in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
            assert!(json.get(key).is_some(), "{key} missing: {json}");
        }
        let id = json["RequestId"].as_str().unwrap();
        assert_eq!(id.len(), 36, "{id}");
        assert_eq!(self.header("x-acs-request-id"), Some(id));
        assert!(
            self.header("content-type")
                .unwrap_or_default()
                .starts_with("application/json")
        );
    }
}

pub async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.unwrap();
    let reply = Reply {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.bytes().await.unwrap(),
    };
    reply.assert_clean();
    reply
}

pub fn minimal() -> Value {
    serde_json::from_str(MINIMAL).expect("data/minimal.json is JSON")
}

/// The smallest valid CreateWorkspace body, as text: also what the stress example sends.
pub const MINIMAL: &str = include_str!("../data/minimal.json");

/// A request a stub upstream received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// How a stub answers.
#[derive(Clone)]
pub enum Behaviour {
    /// 200 `{"requestId":"STUB-REQUEST-ID"}` with `x-acs-request-id: STUB-REQUEST-ID`.
    Ok,
    /// Exactly this status, content type, request id header and body.
    Fixed {
        status: u16,
        content_type: Option<&'static str>,
        request_id: Option<&'static str>,
        body: &'static [u8],
    },
    /// Waits this long, then answers as `Ok`.
    Slow(Duration),
}

pub const STUB_REQUEST_ID: &str = "STUB-REQUEST-ID";

/// A stub upstream that records every request and counts them.
#[derive(Clone)]
pub struct Stub {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
    pub count: Arc<AtomicUsize>,
}

impl Stub {
    pub async fn start(behaviour: Behaviour) -> Stub {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let count = Arc::new(AtomicUsize::new(0));
        let (r, c) = (requests.clone(), count.clone());
        let app = Router::new().fallback(move |request: Request| {
            let (r, c, behaviour) = (r.clone(), c.clone(), behaviour.clone());
            async move {
                c.fetch_add(1, Ordering::SeqCst);
                let (parts, body) = request.into_parts();
                let body = axum::body::to_bytes(body, 1 << 20)
                    .await
                    .unwrap_or_default();
                r.lock().unwrap().push(Recorded {
                    method: parts.method.to_string(),
                    path: parts.uri.path().to_owned(),
                    query: parts.uri.query().unwrap_or("").to_owned(),
                    headers: parts.headers,
                    body,
                });
                answer(behaviour).await
            }
        });
        Stub {
            addr: spawn(app).await,
            requests,
            count,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    pub fn last(&self) -> Recorded {
        self.requests
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("the stub got no request")
    }
}

async fn answer(behaviour: Behaviour) -> Response {
    let ok = || {
        (
            [
                ("content-type", "application/json"),
                ("x-acs-request-id", STUB_REQUEST_ID),
            ],
            format!(r#"{{"requestId":"{STUB_REQUEST_ID}"}}"#),
        )
            .into_response()
    };
    match behaviour {
        Behaviour::Ok => ok(),
        Behaviour::Slow(d) => {
            tokio::time::sleep(d).await;
            ok()
        }
        Behaviour::Fixed {
            status,
            content_type,
            request_id,
            body,
        } => {
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = StatusCode::from_u16(status).unwrap();
            let h = response.headers_mut();
            if let Some(ct) = content_type {
                h.insert("content-type", ct.parse().unwrap());
            }
            if let Some(id) = request_id {
                h.insert("x-acs-request-id", id.parse().unwrap());
            }
            response
        }
    }
}

/// The Python that runs the official SDKs: `$PYTHON` (set by `./dev`), else the project's venv, else `python3`.
pub fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| {
        let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/py/bin/python");
        if std::path::Path::new(venv).exists() {
            venv
        } else {
            "python3"
        }
        .to_owned()
    })
}

/// Runs one of `tests/account/*.py` (JSON on stdin, JSON on stdout) with the official SDKs; panics, never
/// skips, when it cannot, naming the Python it tried (a script missing its SDK says which `pip install`).
pub fn run_account_script(script: &str, input: &Value) -> Value {
    use std::{
        io::Write,
        process::{Command, Stdio},
    };
    let python = python();
    let script = format!("{}/tests/account/{script}", env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(&python)
        .arg(&script)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {python} (set PYTHON to a Python 3 with the SDKs: ./dev doctor): {e}"
            )
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed (is the SDK installed for {python}? see ./dev doctor)\n{stderr}"
    );
    serde_json::from_slice(&output.stdout).expect("the script writes JSON")
}
