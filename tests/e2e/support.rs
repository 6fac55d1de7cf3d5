//! The end-to-end harness: an in-process server (emulator backend, the built console from `dist/`) that a test can
//! stop and start again on the same port, a browser per test (Chromium or Firefox, each through its own WebDriver
//! server), and helpers that drive the page the way a
//! person does — by visible label text, clicks and the keyboard — with polling waits instead of sleeps.

use std::{
    future::Future,
    io::{Read, Write},
    net::{SocketAddr, TcpListener as StdListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use axum::{
    body::Body,
    extract::{Request, State},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use base64::Engine as _;
use fantoccini::{
    Client, ClientBuilder, Locator,
    actions::{InputSource, KeyAction, KeyActions},
    elements::Element,
    key::Key,
    wd::WebDriverCompatibleCommand,
};
use serde_json::{Value, json};
use workspace_server::{Backend, Config, Emulator, Faults, acs3::Credentials, app};

/// The region every test creates in (the form's default).
pub const REGION: &str = "cn-hangzhou";
/// The window most tests use, in CSS pixels.
pub const DESKTOP: (u32, u32) = (1280, 900);
/// A workspace that runs as soon as it is created.
pub const NO_DELAY: Duration = Duration::ZERO;
/// How long a wait may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(10);

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The built console (`dist/`, or the folder `E2E_DIST` names, such as the stable fallback build); a clear
/// failure when it has not been built.
pub fn dist_dir() -> PathBuf {
    let dist = repo_root().join(std::env::var("E2E_DIST").unwrap_or_else(|_| "dist".to_owned()));
    assert!(
        dist.join("index.html").is_file(),
        "{} is missing: build the console first with `./dev build` in {} \
         (PATH=$HOME/.cache/ws-tools/node_modules/.bin:$PATH for wasm-opt)",
        dist.join("index.html").display(),
        repo_root().display()
    );
    dist
}

/// A private copy of `dist/`, made once per test process: other people rebuild `dist/` while tests run, and a
/// page whose files are swapped halfway through loading stays blank. The copy is checked to be whole (every
/// file `index.html` names is there) and retaken if a rebuild was caught in the middle.
pub fn served_dist() -> PathBuf {
    static COPY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        let source = dist_dir();
        let base = std::env::temp_dir();
        // Copies left by earlier runs whose process is gone.
        if let Ok(entries) = std::fs::read_dir(&base) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(pid) = name.strip_prefix("workspace-console-e2e-dist-")
                    && !Path::new("/proc").join(pid).exists()
                {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let copy = base.join(format!("workspace-console-e2e-dist-{}", std::process::id()));
        for _ in 0..50 {
            let _ = std::fs::remove_dir_all(&copy);
            std::fs::create_dir_all(&copy).unwrap();
            let mut ok = true;
            for entry in std::fs::read_dir(&source).unwrap().flatten() {
                if entry.path().is_file()
                    && std::fs::copy(entry.path(), copy.join(entry.file_name())).is_err()
                {
                    ok = false;
                }
            }
            let index = std::fs::read_to_string(copy.join("index.html")).unwrap_or_default();
            // Trunk's hashed files, as index.html names them (quoted or not: the page is minified).
            let referenced: Vec<&str> = index
                .split(['"', '\'', ' ', '=', '>', '<', '\n'])
                .filter(|s| {
                    s.starts_with('/') && [".js", ".wasm", ".css"].iter().any(|e| s.ends_with(e))
                })
                .map(|s| s.trim_start_matches('/'))
                .collect();
            if ok
                && !index.is_empty()
                && !referenced.is_empty()
                && referenced.iter().all(|f| copy.join(f).is_file())
            {
                return copy;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!(
            "{} keeps changing (a build in progress?); could not take a whole copy",
            source.display()
        );
    })
    .clone()
}

// ---------------------------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------------------------

/// One API call the browser (or the test) made, as the server saw it.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: String,
    /// Path and query.
    pub uri: String,
    pub body: String,
    pub status: u16,
    /// The `x-acs-request-id` of the answer.
    pub request_id: String,
}

impl Call {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body of {} is not JSON ({e}): {}", self.uri, self.body))
    }
}

#[derive(Clone, Default)]
struct Recorder {
    calls: Arc<Mutex<Vec<Call>>>,
    /// Extra latency before CreateWorkspace is answered, in milliseconds (to keep a request in flight).
    create_latency_ms: Arc<AtomicU64>,
    /// An answer for the next CreateWorkspace instead of the emulator's: what the real API may say that the
    /// emulator never does (an account's own quota, say).
    next_create_answer: Arc<Mutex<Option<(u16, Value)>>>,
    /// A `Content-Security-Policy` of the test's own for a page (by path), in place of the server's: a host
    /// page's policy, as an admin site that embeds the form sends it.
    page_policies: Arc<Mutex<Vec<(String, String)>>>,
    /// The violation reports browsers posted to [`CSP_REPORTS`], each the report object.
    csp_reports: Arc<Mutex<Vec<Value>>>,
}

/// Where a page served under a test's policy reports its violations (`report-uri`).
pub const CSP_REPORTS: &str = "/csp-reports";

async fn record(State(recorder): State<Recorder>, request: Request, next: Next) -> Response {
    if request.uri().path() == CSP_REPORTS {
        let bytes = axum::body::to_bytes(request.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        let report: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        recorder.csp_reports.lock().unwrap().push(report);
        return axum::http::StatusCode::NO_CONTENT.into_response();
    }
    if !request.uri().path().starts_with("/api/") {
        let policy = recorder
            .page_policies
            .lock()
            .unwrap()
            .iter()
            .find(|(path, _)| path == request.uri().path())
            .map(|(_, policy)| policy.clone());
        let mut response = next.run(request).await;
        if let Some(policy) = policy {
            response.headers_mut().insert(
                axum::http::header::CONTENT_SECURITY_POLICY,
                policy.parse().expect("a policy fit for a header"),
            );
            // The same policy again, only to report: every violation of the enforced one is posted here too, by
            // Chromium and Firefox alike, without changing the header the page is tested under.
            response.headers_mut().insert(
                axum::http::header::CONTENT_SECURITY_POLICY_REPORT_ONLY,
                format!("{policy}; report-uri {CSP_REPORTS}")
                    .parse()
                    .expect("a policy fit for a header"),
            );
        }
        return response;
    }
    let method = request.method().to_string();
    let uri = request.uri().to_string();
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    if method == "POST" {
        let latency = recorder.create_latency_ms.load(Ordering::SeqCst);
        if latency > 0 {
            tokio::time::sleep(Duration::from_millis(latency)).await;
        }
    }
    let canned = if method == "POST" {
        recorder.next_create_answer.lock().unwrap().take()
    } else {
        None
    };
    let response = match canned {
        Some((status, body)) => {
            let request_id = body["RequestId"].as_str().unwrap_or_default().to_owned();
            let mut response = (
                axum::http::StatusCode::from_u16(status).unwrap(),
                [("content-type", "application/json")],
                body.to_string(),
            )
                .into_response();
            response
                .headers_mut()
                .insert("x-acs-request-id", request_id.parse().unwrap());
            response
        }
        None => {
            next.run(Request::from_parts(parts, Body::from(bytes.clone())))
                .await
        }
    };
    recorder.calls.lock().unwrap().push(Call {
        method,
        uri,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        status: response.status().as_u16(),
        request_id: response
            .headers()
            .get("x-acs-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    });
    response
}

/// The console's server, in this process, on its own thread with its own tokio runtime. [`Server::stop`] drops the
/// runtime, which closes the listener and every open connection, as if the process had died.
pub struct Server {
    addr: SocketAddr,
    /// The front end it serves (`--dist`).
    dist: PathBuf,
    pub emulator: Emulator,
    recorder: Recorder,
    /// What [`Config::faults`] is at the next (re)start.
    faults: Option<Faults>,
    /// What [`Config::verify_key`] is at the next (re)start (`--verify-key`).
    verify_key: Option<Credentials>,
    /// The policy of the next (re)start (`--policy FILE`).
    policy: Option<workspace_model::Policy>,
    running: Option<Running>,
}

struct Running {
    stop: tokio::sync::oneshot::Sender<()>,
    thread: JoinHandle<()>,
}

impl Server {
    /// A new emulator (workspaces run after `startup_delay`) behind a server on a free loopback port, serving
    /// the front end in `dist` (`--dist dist`): the built console, or another app built with trunk.
    pub fn start_serving(startup_delay: Duration, dist: PathBuf) -> Server {
        let mut server = Server {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            dist,
            emulator: Emulator::new(startup_delay),
            recorder: Recorder::default(),
            faults: None,
            verify_key: None,
            policy: None,
            running: None,
        };
        server.resume();
        server
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops serving: the port refuses connections and open ones are closed. The emulator's state is kept.
    pub fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            let _ = running.stop.send(());
            running.thread.join().expect("the server thread panicked");
        }
        // Nothing answers any more. A child process another test spawns at this moment holds a copy of the
        // listening socket until it starts its program, and the kernel may hand it a connection meanwhile: the
        // check allows that moment to pass.
        let deadline = std::time::Instant::now() + Duration::from_secs(3);
        while TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
            assert!(
                std::time::Instant::now() < deadline,
                "the server still accepts connections on {} after stop",
                self.addr
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Serves again on the same port, with the same emulator.
    pub fn resume(&mut self) {
        assert!(self.running.is_none(), "the server is already running");
        let mut config = Config {
            backend: Backend::Emulator(self.emulator.clone()),
            faults: self.faults.clone(),
            verify_key: self.verify_key.clone(),
            ..Config::emulator(Duration::ZERO).with_dist(self.dist.clone())
        };
        if let Some(policy) = &self.policy {
            config = config.with_policy(policy.clone());
        }
        let router = app(config).layer(middleware::from_fn_with_state(
            self.recorder.clone(),
            record,
        ));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let wanted = self.addr;
        let thread = std::thread::Builder::new()
            .name(format!("e2e-server-{}", wanted.port()))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .enable_all()
                    .build()
                    .expect("server runtime");
                let listener = match runtime.block_on(bind(wanted)) {
                    Ok(listener) => listener,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(listener.local_addr());
                runtime.block_on(async move {
                    tokio::select! {
                        result = axum::serve(listener, router) => result.expect("server failed"),
                        _ = stop_rx => {}
                    }
                });
                // Cancels every connection task: their sockets close now, not when a client lets go.
                runtime.shutdown_timeout(Duration::ZERO);
            })
            .expect("server thread");
        let addr = ready_rx
            .recv()
            .expect("server thread ended early")
            .unwrap_or_else(|e| panic!("cannot listen on {wanted}: {e}"));
        self.addr = addr;
        self.running = Some(Running {
            stop: stop_tx,
            thread,
        });
    }

    /// Serves with these faults from now on (`None`: none), through [`Config::faults`] as the binary's `--fault-…`
    /// flags do: a restart on the same port, as after a redeploy, keeping the emulator and the recorded calls.
    /// Clones of one [`Faults`] share its request count, so passing the same one again continues its sequence.
    pub fn set_faults(&mut self, faults: Option<Faults>) {
        self.stop();
        self.faults = faults;
        self.resume();
    }

    /// Answers the account listings from this fixtures JSON (the binary's `--fixtures FILE`, checked the same
    /// way) from now on: a restart on the same port, keeping the workspaces and the recorded calls.
    pub fn set_fixtures(&mut self, json: &str) {
        let account =
            workspace_server::Account::from_json(json).unwrap_or_else(|e| panic!("fixtures: {e}"));
        self.stop();
        self.emulator = self.emulator.clone().with_account(account);
        self.resume();
    }

    /// Requires ACS3 signatures by this AccessKey pair from now on (`None`: none), as `--verify-key` does: a
    /// restart on the same port, like [`Server::set_faults`].
    pub fn set_verify_key(&mut self, key: Option<(&str, &str)>) {
        self.stop();
        self.verify_key = key.map(|(id, secret)| Credentials {
            access_key_id: id.to_owned(),
            access_key_secret: secret.to_owned(),
            security_token: None,
        });
        self.resume();
    }

    /// Holds CreateWorkspace to the policy in this file from now on, read and checked as `--policy FILE` reads
    /// it: a restart on the same port, like [`Server::set_faults`].
    pub fn set_policy_file(&mut self, path: &Path) {
        let policy =
            workspace_server::guardrails::policy::load(path).unwrap_or_else(|e| panic!("{e}"));
        self.stop();
        self.policy = Some(policy);
        self.resume();
    }

    /// Every API call so far, oldest first.
    pub fn calls(&self) -> Vec<Call> {
        self.recorder.calls.lock().unwrap().clone()
    }

    /// The CreateWorkspace calls so far.
    pub fn creates(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.method == "POST")
            .collect()
    }

    /// The violation reports of pages served under a test's policy so far (each `{"csp-report": …}`).
    pub fn csp_reports(&self) -> Vec<Value> {
        self.recorder.csp_reports.lock().unwrap().clone()
    }

    /// Answers the page at `path` (`/admin.html`) with this `Content-Security-Policy` instead of the server's
    /// (and a report-only copy of it that posts to [`CSP_REPORTS`]).
    pub fn set_page_policy(&self, path: &str, policy: &str) {
        let mut policies = self.recorder.page_policies.lock().unwrap();
        policies.retain(|(p, _)| p != path);
        policies.push((path.to_owned(), policy.to_owned()));
    }

    /// Holds every CreateWorkspace answer back this long.
    pub fn set_create_latency(&self, latency: Duration) {
        self.recorder
            .create_latency_ms
            .store(latency.as_millis() as u64, Ordering::SeqCst);
    }

    /// Answers the next CreateWorkspace with this status and Alibaba error body instead of the emulator.
    pub fn answer_next_create(&self, status: u16, body: Value) {
        *self.recorder.next_create_answer.lock().unwrap() = Some((status, body));
    }

    /// A plain HTTP/1.0 request to the API, as any client would make it: the status and the JSON answer.
    pub fn api(&self, method: &str, path_and_query: &str, body: Option<&Value>) -> (u16, Value) {
        http_request(self.addr, method, path_and_query, body)
    }

    /// GetWorkspace over HTTP.
    pub fn get_workspace(&self, workspace_id: &str) -> (u16, Value) {
        self.api(
            "GET",
            &format!("/api/v1/workspaces/{workspace_id}?regionId={REGION}"),
            None,
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            let _ = running.stop.send(());
            let _ = running.thread.join();
        }
    }
}

/// Binds, retrying a little: right after a stop the kernel may still hold the port for a moment.
async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let started = Instant::now();
    loop {
        match tokio::net::TcpListener::bind(addr).await {
            Ok(listener) => return Ok(listener),
            Err(e)
                if e.kind() == std::io::ErrorKind::AddrInUse
                    && started.elapsed() < Duration::from_secs(5) =>
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

fn http_request(
    addr: SocketAddr,
    method: &str,
    path_and_query: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))
        .unwrap_or_else(|e| panic!("cannot connect to {addr}: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let content = if body.is_empty() {
        String::new()
    } else {
        format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        )
    };
    write!(
        stream,
        "{method} {path_and_query} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\nConnection: close\r\n\
         {content}\r\n{body}"
    )
    .unwrap();
    // Read until the answer is complete: some servers (chromedriver) keep the connection open regardless.
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = stream
            .read(&mut buf)
            .unwrap_or_else(|e| panic!("{method} {path_and_query} on {addr}: {e}"));
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
        if answer_complete(&raw) {
            break;
        }
    }
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("not HTTP: {raw:?}"));
    let chunked = head.lines().any(|l| {
        l.to_ascii_lowercase().starts_with("transfer-encoding:")
            && l.to_ascii_lowercase().contains("chunked")
    });
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {head}"));
    let json = serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("{method} {path_and_query}: not JSON ({e}): {body}"));
    (status, json)
}

fn answer_complete(raw: &[u8]) -> bool {
    let text = String::from_utf8_lossy(raw);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let head = head.to_ascii_lowercase();
    if let Some(length) = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        return body.len() >= length;
    }
    head.contains("transfer-encoding: chunked") && body.ends_with("0\r\n\r\n")
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || tail.len() < size {
            break;
        }
        out.push_str(&tail[..size]);
        rest = tail[size..].trim_start_matches("\r\n");
    }
    out
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

// ---------------------------------------------------------------------------------------------------------------
// The browsers and their WebDriver servers
// ---------------------------------------------------------------------------------------------------------------

/// The browser a test drives. Every test that needs nothing one browser alone has runs in both (see
/// [`in_both_browsers`]); the few that use Chromium's DevTools protocol say so where they are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    /// Debian's Chromium through chromedriver.
    Chromium,
    /// Debian's Firefox ESR through geckodriver (built by `./dev` into the tools folder).
    Firefox,
}

impl Browser {
    /// The name in test and file names.
    pub fn name(self) -> &'static str {
        match self {
            Browser::Chromium => "chromium",
            Browser::Firefox => "firefox",
        }
    }

    /// The WebDriver server's program and its arguments to listen on `port`.
    fn driver(self, port: u16) -> (PathBuf, Vec<String>) {
        match self {
            Browser::Chromium => ("chromedriver".into(), vec![format!("--port={port}")]),
            Browser::Firefox => (
                Path::new(&tools_dir()).join("bin/geckodriver"),
                // Its own Marionette port (0: any free one), so that tests run side by side; system access lets
                // a test set a preference mid-session (the colour scheme, see `E2e::prefer_color_scheme`).
                vec![
                    "--port".into(),
                    port.to_string(),
                    "--marionette-port".into(),
                    "0".into(),
                    "--allow-system-access".into(),
                ],
            ),
        }
    }

    /// The new session's capabilities: headless, a `width`×`height` window, English as the person's language.
    fn capabilities(self, width: u32, height: u32) -> Value {
        match self {
            Browser::Chromium => json!({
                "goog:chromeOptions": {
                    "binary": "/usr/bin/chromium",
                    "args": [
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--no-first-run",
                        "--lang=en-US", format!("--window-size={width},{height}"),
                    ],
                    "prefs": { "intl.accept_languages": "en-US" },
                },
                "goog:loggingPrefs": { "browser": "ALL" },
            }),
            Browser::Firefox => json!({
                "browserName": "firefox",
                "moz:firefoxOptions": {
                    "binary": "/usr/bin/firefox-esr",
                    "args": [
                        "-headless", format!("--width={width}"), format!("--height={height}"),
                    ],
                    "prefs": {
                        // A phone-sized window is a popup the harness opens (see `phone_window`).
                        "dom.disable_open_during_load": false,
                        "intl.accept_languages": "en-US",
                        "intl.locale.requested": "en-US",
                        "browser.shell.checkDefaultBrowser": false,
                        "datareporting.policy.dataSubmissionEnabled": false,
                        "toolkit.telemetry.enabled": false,
                    },
                },
            }),
        }
    }
}

/// Where `./dev` installs its tools (axe-core, geckodriver).
pub fn tools_dir() -> String {
    std::env::var("WS_TOOLS_DIR").unwrap_or_else(|_| {
        format!(
            "{}/.cache/workspace-console-tools",
            std::env::var("HOME").unwrap_or_default()
        )
    })
}

/// Makes each named function `fn(Browser)` two tests, `<name>::chromium` and `<name>::firefox`: the same test,
/// once per browser.
macro_rules! in_both_browsers {
    ($($test:ident),+ $(,)?) => {$(
        mod $test {
            #[test]
            fn chromium() {
                super::$test($crate::support::Browser::Chromium)
            }
            #[test]
            fn firefox() {
                super::$test($crate::support::Browser::Firefox)
            }
        }
    )+};
}

/// A WebDriver server (chromedriver or geckodriver) of this test, in its own process group; killed (with the
/// browser it started) when dropped.
pub struct Driver {
    child: Child,
    /// TMPDIR of the driver and the browser: their profile and socket directories, removed at the end.
    tmp: PathBuf,
    pub url: String,
}

impl Driver {
    /// Starts the browser's driver on a free port and waits until it is ready; its log goes to
    /// `test-output/e2e/<test>-driver.log`.
    pub fn start(browser: Browser, test: &str) -> Driver {
        use std::os::unix::process::CommandExt;
        let port = free_port();
        let log = std::fs::File::create(output_dir().join(format!("{test}-driver.log"))).ok();
        let tmp = std::env::temp_dir().join(format!(
            "workspace-console-e2e-{}-{}-{port}",
            browser.name(),
            std::process::id()
        ));
        std::fs::create_dir_all(&tmp).expect("the driver's temporary directory");
        let (program, args) = browser.driver(port);
        let child = Command::new(&program)
            .args(args)
            .env("TMPDIR", &tmp)
            .stdin(Stdio::null())
            .stdout(
                log.as_ref()
                    .and_then(|f| f.try_clone().ok())
                    .map_or_else(Stdio::null, Stdio::from),
            )
            .stderr(log.map_or_else(Stdio::null, Stdio::from))
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {} ({e}; `./dev doctor` says what is missing)",
                    program.display()
                )
            });
        let driver = Driver {
            child,
            tmp,
            url: format!("http://127.0.0.1:{port}"),
        };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let started = Instant::now();
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                let (_, status) = http_request(addr, "GET", "/status", None);
                if status["value"]["ready"] == json!(true) {
                    break;
                }
            }
            assert!(
                started.elapsed() < WAIT,
                "{} did not become ready on port {port}",
                program.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let pid = self.child.id();
        // After the session was closed the browser exits by itself and removes its profile and socket directories;
        // give it a moment, so nothing is left in /tmp.
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && group_members(pid).iter().any(|&p| p != pid) {
            std::thread::sleep(Duration::from_millis(50));
        }
        // Then the whole group: the driver and any browser process still there. Only this test's processes, by id.
        let group = format!("-{pid}");
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if !group_members(pid).is_empty() {
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.tmp);
    }
}

/// The live processes of a process group (from /proc; zombies excluded).
fn group_members(pgid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // pid (comm) state ppid pgrp …; comm may contain spaces, so read after the last ')'.
            let mut fields = stat.rsplit_once(')')?.1.split_whitespace();
            let state = fields.next()?;
            let pgrp: u32 = fields.nth(1)?.parse().ok()?;
            (pgrp == pgid && state != "Z").then_some(pid)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// A test
// ---------------------------------------------------------------------------------------------------------------

pub fn output_dir() -> PathBuf {
    let dir = repo_root().join("test-output").join("e2e");
    std::fs::create_dir_all(&dir).expect("create test-output/e2e");
    dir
}

/// What a test body gets: the browser, the server (with its emulator) and where its screenshots go.
pub struct E2e {
    /// The test's name and its browser's (`fill-and-create-firefox`): the prefix of its files.
    pub name: String,
    pub browser: Browser,
    pub client: Client,
    pub server: Server,
}

/// Runs one end-to-end test: a server, the browser's driver, a browser of `width`×`height` CSS pixels, then
/// `body`. Whatever happens, the browser is closed and its driver killed; a failing test leaves a `-failure.png`.
pub fn run<F, Fut>(
    browser: Browser,
    name: &'static str,
    size: (u32, u32),
    startup_delay: Duration,
    body: F,
) where
    F: FnOnce(E2e) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    dist_dir();
    run_serving(browser, name, size, startup_delay, served_dist, body);
}

/// As [`run`], with a server whose front end is the folder `dist` gives (another app built with trunk).
pub fn run_serving<F, Fut>(
    browser: Browser,
    name: &'static str,
    (width, height): (u32, u32),
    startup_delay: Duration,
    dist: fn() -> PathBuf,
    body: F,
) where
    F: FnOnce(E2e) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    // The test's own thread drives the browser; the server has a runtime of its own.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let name = format!("{name}-{}", browser.name());
    let driver = Driver::start(browser, &name);
    let local = tokio::task::LocalSet::new();
    let test = name.clone();
    let outcome = local.block_on(&runtime, async move {
        let client = connect(browser, &driver.url, width, height).await;
        if browser == Browser::Firefox && width < FIREFOX_MIN_WIDTH {
            phone_window(&client, width, height).await;
        }
        set_viewport(&client, width, height).await;
        let server = Server::start_serving(startup_delay, dist());
        let e2e = E2e {
            name: test.clone(),
            browser,
            client: client.clone(),
            server,
        };
        // A task of its own, so that a failing assertion still lets the browser be closed below.
        let outcome = tokio::task::spawn_local(body(e2e)).await;
        if outcome.is_err() {
            if let Ok(png) = client.screenshot().await {
                let _ = std::fs::write(output_dir().join(format!("{test}-failure.png")), png);
            }
            // What the page said: a panic or a failed load shows up here (chromedriver keeps the console's
            // messages; geckodriver has no such command and prints them into its log).
            if browser == Browser::Chromium
                && let Ok(log) = client
                    .issue_cmd(SessionCommand {
                        path: "se/log",
                        body: Some(json!({ "type": "browser" })),
                    })
                    .await
            {
                for entry in log.as_array().into_iter().flatten() {
                    eprintln!("[browser] {} {}", entry["level"], entry["message"]);
                }
            }
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), client.close()).await;
        drop(driver);
        outcome
    });
    eprintln!("[e2e] {name}: {:.1}s", started.elapsed().as_secs_f64());
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("{name}: {e}"),
        }
    }
}

async fn connect(browser: Browser, webdriver: &str, width: u32, height: u32) -> Client {
    let Value::Object(capabilities) = browser.capabilities(width, height) else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(webdriver)
        .await
        .unwrap_or_else(|e| panic!("cannot open a {browser:?} session: {e}"))
}

/// Firefox's browser window is never narrower than this (its toolbars); a popup without them is.
const FIREFOX_MIN_WIDTH: u32 = 500;

/// Replaces the session's window with a popup of `width`×`height` (no toolbars, so as narrow as a phone), the one
/// the test then drives.
async fn phone_window(client: &Client, width: u32, height: u32) {
    let first = client.window().await.unwrap();
    client
        .execute(
            "window.open('about:blank', '_blank', `popup,width=${arguments[0]},height=${arguments[1]}`);",
            vec![json!(width), json!(height)],
        )
        .await
        .expect("open a phone-sized popup");
    let popup = wait_for("the phone-sized popup", async || {
        let windows = client.windows().await.ok()?;
        windows.into_iter().find(|w| *w != first)
    })
    .await;
    client.close_window().await.unwrap();
    client.switch_to_window(popup).await.unwrap();
}

/// Makes the page's viewport exactly `width`×`height` CSS pixels (the window has a little chrome around it).
pub async fn set_viewport(client: &Client, width: u32, height: u32) {
    client.set_window_size(width, height).await.unwrap();
    let inner = client
        .execute("return [window.innerWidth, window.innerHeight];", vec![])
        .await
        .unwrap();
    let (iw, ih) = (inner[0].as_i64().unwrap(), inner[1].as_i64().unwrap());
    if iw != i64::from(width) || ih != i64::from(height) {
        let w = (2 * i64::from(width) - iw) as u32;
        let h = (2 * i64::from(height) - ih) as u32;
        client.set_window_size(w, h).await.unwrap();
    }
}

/// A driver's own command on the session: `POST /session/{id}/<path>` with a JSON body, or `GET` without one.
/// Chromedriver's: the browser console is `se/log` with `{"type":"browser"}`, a Chrome DevTools command
/// `goog/cdp/execute` with `{cmd, params}`. Geckodriver's: `moz/context` with `{"context": "chrome" | "content"}`,
/// and `GET moz/screenshot/full` (the whole page).
#[derive(Debug)]
struct SessionCommand {
    path: &'static str,
    body: Option<Value>,
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        match &self.body {
            Some(body) => (http::Method::POST, Some(body.to_string())),
            None => (http::Method::GET, None),
        }
    }
}

/// A polling wait: `probe` is tried until it gives `Some`, at most [`WAIT`]; the failure names `what`.
pub async fn wait_for<T>(what: &str, mut probe: impl AsyncFnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            started.elapsed() < WAIT,
            "timed out after {WAIT:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A simple way to tell the shape of an id.
pub fn is_hex(s: &str, len: usize, upper: bool) -> bool {
    s.len() == len
        && s.bytes().all(|b| {
            b.is_ascii_digit()
                || if upper {
                    (b'A'..=b'F').contains(&b)
                } else {
                    (b'a'..=b'f').contains(&b)
                }
        })
}

/// `w-` or `op-` followed by lowercase hex.
pub fn is_prefixed_id(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix)
        .is_some_and(|rest| rest.len() >= 8 && is_hex(rest, rest.len(), false))
}

/// An RFC 4122 UUID in the upper-case form Alibaba's request ids have.
pub fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(len, part)| is_hex(part, *len, true) || is_hex(part, *len, false))
}

impl E2e {
    pub fn emulator(&self) -> &Emulator {
        &self.server.emulator
    }

    /// Opens the console and waits until the form is on the page.
    pub async fn open(&self) {
        self.client.goto(&self.server.url("/")).await.unwrap();
        self.wait_for_form().await;
    }

    pub async fn wait_for_form(&self) {
        wait_for("the form to render", async || {
            self.js("const n = document.getElementById('ws-workspaceName'); return !!n && n.offsetParent !== null;")
                .await
                .as_bool()
                .filter(|ready| *ready)
        })
        .await;
    }

    /// Runs a script (with `arguments`) and gives its value.
    pub async fn js_with(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed ({e}): {script}"))
    }

    pub async fn js(&self, script: &str) -> Value {
        self.js_with(script, vec![]).await
    }

    /// Saves a screenshot of the whole page as `test-output/e2e/<test>-<browser>-<step>.png`.
    pub async fn screenshot(&self, step: &str) -> PathBuf {
        if self.browser == Browser::Firefox {
            return self.screenshot_firefox(step).await;
        }
        // The viewport is made as tall as the page for the capture, so the sticky submit bar sits at the end of
        // the picture, where it is on a real screen, instead of across the middle of it.
        let width = self.js("return window.innerWidth;").await.as_f64().unwrap();
        let mut height = 0.0;
        for _ in 0..3 {
            let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await;
            let content = metrics["cssContentSize"]["height"].as_f64().unwrap().ceil();
            if content <= height {
                break;
            }
            height = content;
            self.cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
            )
            .await;
        }
        let shot = self
            .cdp("Page.captureScreenshot", json!({ "format": "png" }))
            .await;
        self.cdp("Emulation.clearDeviceMetricsOverride", json!({}))
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("screenshot data"))
            .expect("screenshot base64");
        self.save(step, &png)
    }

    /// Geckodriver's whole-page capture. It draws the page as it lies at the current scroll, so the page is
    /// scrolled to its end for it, where the sticky submit bar rests at the end of the form, then back.
    async fn screenshot_firefox(&self, step: &str) -> PathBuf {
        let scroll = self
            .js("const y = window.scrollY; window.scrollTo(0, document.documentElement.scrollHeight); return y;")
            .await;
        let shot = self
            .client
            .issue_cmd(SessionCommand {
                path: "moz/screenshot/full",
                body: None,
            })
            .await
            .expect("geckodriver's whole-page screenshot");
        self.js_with("window.scrollTo(0, arguments[0]);", vec![scroll])
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot.as_str().expect("screenshot data"))
            .expect("screenshot base64");
        self.save(step, &png)
    }

    /// Makes the browser prefer a light or a dark colour scheme (`prefers-color-scheme`), as the system setting
    /// does: Chromium emulates the media feature; Firefox takes the preference that overrides it for content.
    pub async fn prefer_color_scheme(&self, scheme: &str) {
        match self.browser {
            Browser::Chromium => {
                self.cdp(
                    "Emulation.setEmulatedMedia",
                    json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
                )
                .await;
            }
            Browser::Firefox => {
                // 0 dark, 1 light (2 follows the system).
                let value = if scheme == "dark" { 0 } else { 1 };
                self.firefox_context("chrome").await;
                let set = self
                    .client
                    .execute(
                        "Services.prefs.setIntPref('layout.css.prefers-color-scheme.content-override', arguments[0]);",
                        vec![json!(value)],
                    )
                    .await;
                self.firefox_context("content").await;
                set.unwrap_or_else(|e| panic!("prefer {scheme} in Firefox: {e}"));
            }
        }
    }

    /// Where Firefox runs the scripts a test executes: `chrome` (the browser's own, with its preferences) or
    /// `content` (the page).
    async fn firefox_context(&self, context: &str) {
        self.client
            .issue_cmd(SessionCommand {
                path: "moz/context",
                body: Some(json!({ "context": context })),
            })
            .await
            .unwrap_or_else(|e| panic!("Firefox's {context} context: {e}"));
    }

    /// Puts a page of the test's own beside the built console (served at `/<name>`).
    pub fn serve_page(&self, name: &str, html: &str) -> String {
        // Written aside, then renamed into place: tests running at once serve pages of the same name from the
        // one copy of dist/, and a reader must never find one half written.
        static WRITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let aside = served_dist().join(format!(".{name}.{}.{n}", std::process::id()));
        std::fs::write(&aside, html).unwrap();
        std::fs::rename(&aside, served_dist().join(name)).unwrap();
        self.server.url(&format!("/{name}"))
    }

    /// Puts a page of the test's own beside the built console, answered with this `Content-Security-Policy`
    /// instead of the server's (as a host page sends its own).
    pub fn serve_page_under_policy(&self, name: &str, html: &str, policy: &str) -> String {
        self.server.set_page_policy(&format!("/{name}"), policy);
        self.serve_page(name, html)
    }

    /// A Chrome DevTools Protocol command (Chromium only).
    pub async fn cdp(&self, cmd: &'static str, params: Value) -> Value {
        assert_eq!(
            self.browser,
            Browser::Chromium,
            "{cmd}: DevTools is Chromium's"
        );
        self.client
            .issue_cmd(SessionCommand {
                path: "goog/cdp/execute",
                body: Some(json!({ "cmd": cmd, "params": params })),
            })
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Saves what the viewport shows (what the user sees without scrolling).
    pub async fn screenshot_viewport(&self, step: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        self.save(step, &png)
    }

    fn save(&self, step: &str, png: &[u8]) -> PathBuf {
        let path = output_dir().join(format!("{}-{step}.png", self.name));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }

    // ---- finding things the way a person does -----------------------------------------------------------------

    /// The id of the control whose visible `<label>` reads `text` (a required field's trailing `*` aside), or
    /// `None` when no visible label reads so. Panics when two do.
    pub async fn label_target(&self, text: &str) -> Option<String> {
        let found = self
            .js_with(
                r#"
                const want = arguments[0];
                const hits = [...document.querySelectorAll('label')].filter(l => {
                    if (!l.getClientRects().length) return false;
                    const text = l.innerText.replace(/\s*\*\s*$/, '').trim();
                    return text === want;
                });
                return hits.map(l => l.htmlFor);
                "#,
                vec![json!(text)],
            )
            .await;
        let ids: Vec<String> = serde_json::from_value(found).unwrap();
        assert!(
            ids.len() <= 1,
            "more than one visible label reads {text:?}: {ids:?}"
        );
        ids.into_iter().next()
    }

    /// The control labelled `text` (waits for it to be shown).
    pub async fn field(&self, text: &str) -> Element {
        let id = wait_for(&format!("a visible label {text:?}"), async || {
            self.label_target(text).await
        })
        .await;
        assert!(!id.is_empty(), "the label {text:?} has no `for`");
        self.client
            .find(Locator::Id(&id))
            .await
            .unwrap_or_else(|e| panic!("label {text:?} points at #{id}, which does not exist: {e}"))
    }

    /// Whether a control labelled `text` is visible.
    pub async fn has_field(&self, text: &str) -> bool {
        self.label_target(text).await.is_some()
    }

    /// Scrolls an element to the middle of the viewport, as a person scrolls to what they are about to use
    /// (WebDriver's own scrolling stops at the edge, under the sticky submit bar).
    pub async fn reveal(&self, element: &Element) {
        self.js_with(
            "arguments[0].scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});",
            vec![json!(element)],
        )
        .await;
    }

    /// Scrolls to an element and clicks it.
    pub async fn click(&self, element: &Element, what: &str) {
        self.reveal(element).await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {what}: {e}"));
    }

    /// Clicks the control labelled `label` (a checkbox, say).
    pub async fn click_field(&self, label: &str) {
        let control = self.field(label).await;
        self.click(&control, label).await;
    }

    /// Clicks into the field labelled `label` and types `text` after what it holds.
    pub async fn type_into(&self, label: &str, text: &str) {
        let input = self.field(label).await;
        self.click(&input, label).await;
        input
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {label:?}: {e}"));
    }

    /// Replaces what the field labelled `label` holds, the way a person does: select all, then type.
    pub async fn replace_in(&self, label: &str, text: &str) {
        let input = self.field(label).await;
        self.click(&input, label).await;
        let select_all = format!("{}a", char::from(Key::Control));
        input.send_keys(&select_all).await.unwrap();
        // Chromedriver releases modifiers at the end of a send_keys; what is typed now replaces the selection.
        input
            .send_keys(&format!("{}{text}", char::from(Key::Backspace)))
            .await
            .unwrap();
        assert_eq!(
            self.value_of(label).await,
            text,
            "{label:?} after replacing its text"
        );
    }

    /// The current value of the field labelled `label`.
    pub async fn value_of(&self, label: &str) -> String {
        self.field(label)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Picks the option with visible text `option` in the select labelled `label`.
    pub async fn choose(&self, label: &str, option: &str) {
        let select = self.field(label).await;
        self.reveal(&select).await;
        // Clicks the option, as a person picks it from the open list.
        select
            .select_by_label(option)
            .await
            .unwrap_or_else(|e| panic!("choose {option:?} in {label:?}: {e}"));
        // Read back from the same element: choosing a language renames the label.
        let selected = self.option_text(&select).await;
        assert_eq!(selected, option, "{label:?} after choosing {option:?}");
    }

    /// The visible text of the chosen option of the select labelled `label`.
    pub async fn selected_text(&self, label: &str) -> String {
        let select = self.field(label).await;
        self.option_text(&select).await
    }

    async fn option_text(&self, select: &Element) -> String {
        self.js_with(
            "const s = arguments[0]; return s.options[s.selectedIndex].text;",
            vec![json!(select)],
        )
        .await
        .as_str()
        .unwrap()
        .to_owned()
    }

    /// The visible button reading `text`.
    pub async fn button(&self, text: &str) -> Element {
        let xpath = format!("//button[normalize-space(.)='{text}']");
        let buttons = wait_for(&format!("a visible button {text:?}"), async || {
            let mut visible = Vec::new();
            for b in self.client.find_all(Locator::XPath(&xpath)).await.unwrap() {
                if b.is_displayed().await.unwrap_or(false) {
                    visible.push(b);
                }
            }
            (!visible.is_empty()).then_some(visible)
        })
        .await;
        assert_eq!(
            buttons.len(),
            1,
            "more than one visible button reads {text:?}"
        );
        buttons.into_iter().next().unwrap()
    }

    pub async fn click_button(&self, text: &str) {
        let button = self.button(text).await;
        self.click(&button, text).await;
    }

    /// Clicks the Remove button of the list row holding the input labelled `label` (like "Key 1").
    pub async fn remove_row_of(&self, label: &str) {
        let input = self.field(label).await;
        let button = input
            .find(Locator::XPath("ancestor::li[1]//button"))
            .await
            .unwrap_or_else(|e| panic!("no Remove button in the row of {label:?}: {e}"));
        self.click(&button, &format!("Remove in the row of {label:?}"))
            .await;
        let gone = wait_for(&format!("the row of {label:?} to go"), async || {
            (!self.has_field(label).await).then_some(true)
        })
        .await;
        assert!(gone);
    }

    /// Presses Tab from the top of the page (as after a click on the title) until the submit button has focus:
    /// every stop's id, and the ids of those focused but covered, each with a viewport screenshot `hidden-N`.
    pub async fn tab_to_submit(&self) -> (Vec<String>, Vec<String>) {
        self.js("window.scrollTo(0, 0);").await;
        let title = self.client.find(Locator::Css("h1")).await.unwrap();
        title.click().await.unwrap();
        let submit = self.submit_button().await;
        let (mut stops, mut hidden) = (Vec::new(), Vec::new());
        for _ in 0..60 {
            self.press_key(fantoccini::key::Key::Tab).await;
            let (id, visible) = self.focused_is_unobscured().await;
            if !visible {
                hidden.push(id.clone());
                self.screenshot_viewport(&format!("hidden-{}", hidden.len()))
                    .await;
            }
            stops.push(id);
            let on_submit = self
                .js_with(
                    "return document.activeElement === arguments[0];",
                    vec![json!(submit)],
                )
                .await;
            if on_submit == json!(true) {
                return (stops, hidden);
            }
        }
        panic!("Tab never reached the submit button; stops: {stops:?}");
    }

    /// Whether the focused element can be seen: the topmost element at its centre is itself (or inside it).
    pub async fn focused_is_unobscured(&self) -> (String, bool) {
        let v = self
            .js(
                r#"
                const el = document.activeElement;
                const r = el.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                const inView = y >= 0 && y <= window.innerHeight && x >= 0 && x <= window.innerWidth;
                const hit = inView ? document.elementFromPoint(x, y) : null;
                return [el.id || el.tagName + ':' + el.innerText.trim(), !!hit && (hit === el || el.contains(hit))];
                "#,
            )
            .await;
        (
            v[0].as_str().unwrap_or_default().to_owned(),
            v[1].as_bool().unwrap_or(false),
        )
    }

    /// The submit button ("Create workspace" in English).
    pub async fn submit_button(&self) -> Element {
        self.client
            .find(Locator::Css("form.ws-form button[type=submit]"))
            .await
            .unwrap()
    }

    /// The id of the focused element (empty when it has none or nothing is focused).
    pub async fn focused_id(&self) -> String {
        self.js("return document.activeElement ? document.activeElement.id : '';")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits until the element with this id has keyboard focus.
    pub async fn wait_focus(&self, id: &str) {
        let mut last = String::new();
        let found = tokio::time::timeout(WAIT, async {
            loop {
                last = self.focused_id().await;
                if last == id {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await;
        assert!(found.is_ok(), "focus never reached #{id}; it is on #{last}");
    }

    /// Presses keys on whatever has focus, like a keyboard (not aimed at an element). `Key`s as chars.
    pub async fn press(&self, keys: &[char]) {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for &key in keys {
            actions = actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.client
            .perform_actions(actions)
            .await
            .expect("key actions");
    }

    pub async fn press_key(&self, key: Key) {
        self.press(&[char::from(key)]).await;
    }

    /// Types text on whatever has focus.
    pub async fn keyboard_type(&self, text: &str) {
        self.press(&text.chars().collect::<Vec<_>>()).await;
    }

    /// The element by id, through the DOM (for assertions, not for driving).
    pub async fn by_id(&self, id: &str) -> Element {
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("#{id} is not on the page: {e}"))
    }

    pub async fn attr(&self, id: &str, name: &str) -> Option<String> {
        self.by_id(id).await.attr(name).await.unwrap()
    }

    /// The error shown under the control with this id: the text of `.ws-field__error` its aria-describedby names.
    pub async fn error_of(&self, id: &str) -> Option<String> {
        let text = self
            .js_with(
                r#"
                const el = document.getElementById(arguments[0]);
                const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
                for (const id of ids) {
                    const d = document.getElementById(id);
                    if (d && d.classList.contains('ws-field__error')) return d.innerText.trim();
                }
                return null;
                "#,
                vec![json!(id)],
            )
            .await;
        text.as_str().map(str::to_owned)
    }

    /// The text of `.ws-field__error` paragraphs in the field wrapper around the control (whatever aria says).
    pub async fn visible_error_near(&self, id: &str) -> Option<String> {
        let text = self
            .js_with(
                r#"
                const el = document.getElementById(arguments[0]);
                const box = el.closest('.ws-field, .ws-list__cell');
                const p = box && box.querySelector('.ws-field__error');
                return p && p.getClientRects().length ? p.innerText.trim() : null;
                "#,
                vec![json!(id)],
            )
            .await;
        text.as_str().map(str::to_owned)
    }

    /// The summary's visible text ('' when it is hidden).
    pub async fn summary_text(&self) -> String {
        self.js("const s = document.getElementById('ws-summary'); return s && s.getClientRects().length ? s.innerText : '';")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub async fn wait_summary_contains(&self, text: &str) -> String {
        wait_for(&format!("the summary to say {text:?}"), async || {
            let summary = self.summary_text().await;
            summary.contains(text).then_some(summary)
        })
        .await
    }

    /// The three ids of the result panel, once it shows them.
    pub async fn wait_result(&self) -> (String, String, String) {
        wait_for("the result panel with three ids", async || {
            let ids = self
                .js(r#"
                    const get = n => {
                        const c = document.querySelector(`code[data-id="${n}"]`);
                        return c && c.getClientRects().length ? c.innerText.trim() : null;
                    };
                    return [get('workspaceId'), get('operationId'), get('requestId')];
                    "#)
                .await;
            let ids: Vec<Option<String>> = serde_json::from_value(ids).ok()?;
            match ids.as_slice() {
                [Some(w), Some(o), Some(r)] => Some((w.clone(), o.clone(), r.clone())),
                _ => None,
            }
        })
        .await
    }

    /// Fills the three required fields a person must type (everything else has a default).
    pub async fn fill_minimal(&self, name: &str, cu: &str, oss: &str) {
        self.type_into("Workspace name", name).await;
        self.type_into("Resource quota (CU)", cu).await;
        self.type_into("OSS path", oss).await;
    }

    /// Whether the document scrolls sideways.
    pub async fn horizontal_overflow(&self) -> (i64, i64) {
        let v = self
            .js("const d = document.documentElement; return [d.scrollWidth, d.clientWidth];")
            .await;
        (v[0].as_i64().unwrap(), v[1].as_i64().unwrap())
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Accessibility
// ---------------------------------------------------------------------------------------------------------------

/// The path of axe-core, installed by `./dev` beside the other tools.
pub fn axe_source() -> String {
    let tools = tools_dir();
    let path = format!("{tools}/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (./dev installs axe-core)"))
}

/// Runs axe-core on the page and gives its serious and critical violations, each as `id: target…`.
pub async fn serious_violations(e2e: &E2e, axe: &str) -> Vec<String> {
    e2e.js(&format!("{axe}\nreturn true;")).await;
    let result = e2e
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v => \
               ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')) }))), \
               e => done([{ id: 'axe-error', impact: 'critical', nodes: [String(e)] }]));",
            vec![],
        )
        .await
        .unwrap();
    result
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(|v| format!("{}: {}", v["id"], v["nodes"]))
        .collect()
}
