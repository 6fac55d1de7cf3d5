//! The emulator against Alibaba's official Python SDK (`alibabacloud-emr-serverless-spark20230808` 2.3.0): starts
//! the server in-process on a free port and runs `tests/sdk/test_sdk.py`, which drives it as a real client would
//! (ACS3-signed requests, the SDK's own response and error parsing).
//!
//! Needs `python3` (or `$PYTHON`) with the SDK installed:
//! `pip install alibabacloud-emr-serverless-spark20230808==2.3.0`.

use std::{
    io::Read,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use workspace_server::{Config, app};

/// How long new workspaces stay `Starting`; the script checks the transition against it.
const STARTUP_DELAY: Duration = Duration::from_millis(1500);
/// The whole script normally takes about two seconds.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(180);

/// Reads a child's pipe to the end on its own thread, so a chatty child never blocks on a full pipe.
fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes).ok();
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_official_python_sdk_drives_the_emulator() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, app(Config::emulator(STARTUP_DELAY)))
            .await
            .unwrap();
    });

    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sdk/test_sdk.py");
    let mut child = Command::new(&python)
        .arg(script)
        .arg("-v")
        .env("WORKSPACE_ENDPOINT", addr.to_string())
        .env(
            "WORKSPACE_STARTUP_DELAY",
            STARTUP_DELAY.as_secs_f64().to_string(),
        )
        .env("PYTHONUNBUFFERED", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run {python} (set PYTHON to a Python 3 with the SDK installed): {e}")
        });
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());

    // Wait without blocking the runtime, which serves the script's requests meanwhile.
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > SCRIPT_TIMEOUT {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let stdout = stdout.join().unwrap();
    let stderr = stderr.join().unwrap();
    server.abort();

    let output = format!("--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
    // unittest reports on stderr; show it under --nocapture or on failure.
    eprintln!("{output}");
    match status {
        None => panic!("{script} did not finish in {SCRIPT_TIMEOUT:?}\n{output}"),
        Some(status) if status.code() == Some(2) && stderr.contains("pip install") => panic!(
            "the official SDK is missing for {python}: \
             pip install alibabacloud-emr-serverless-spark20230808==2.3.0\n{output}"
        ),
        Some(status) => assert!(status.success(), "{script} failed: {status}\n{output}"),
    }
    // Every test ran: the Starting → Running one is skipped only without WORKSPACE_STARTUP_DELAY.
    assert!(
        stderr.contains("\nOK") && !stderr.contains("skipped"),
        "unittest did not report OK for every test\n{output}"
    );
}
