//! The emulator against Alibaba's official Python SDK (`alibabacloud-emr-serverless-spark20230808` 2.3.0): starts
//! the server in-process on a free port and runs `tests/sdk/test_sdk.py`, which drives it as a real client would
//! (ACS3-signed requests, the SDK's own response and error parsing). Three runs: the plain emulator; an emulator
//! that verifies the SDK's signatures (`--verify-key`), where a wrong secret must be refused; and the signing
//! gateway in front of a verifying emulator, so the SDK sees the gateway answer exactly as the service would.
//!
//! Needs a Python with the SDK installed: `$PYTHON`, else the project's venv `target/py` (which `./dev test`
//! creates and fills), else `python3`.

use std::{
    io::Read,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use workspace_server::{Config, GatewayConfig, acs3::Credentials, app};

use crate::common::spawn;

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

/// The key the verifying emulator and the SDK share.
const KEY_ID: &str = "LTAI5tSdkTestKey";
const KEY_SECRET: &str = "sdk-test-secret-3b8f";

fn key() -> Credentials {
    Credentials {
        access_key_id: KEY_ID.into(),
        access_key_secret: KEY_SECRET.into(),
        security_token: None,
    }
}

/// The server in-process, as the binary serves it.
async fn serve(config: Config) -> std::net::SocketAddr {
    spawn(app(config)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_official_python_sdk_drives_the_emulator() {
    let addr = serve(Config::emulator(STARTUP_DELAY)).await;
    run_script(addr, &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_official_python_sdks_signatures_verify_and_a_wrong_secret_is_refused() {
    let addr = serve(Config::emulator(STARTUP_DELAY).with_verify_key(key())).await;
    let stderr = run_script(
        addr,
        &[
            ("WORKSPACE_ACCESS_KEY_ID", KEY_ID),
            ("WORKSPACE_ACCESS_KEY_SECRET", KEY_SECRET),
            ("WORKSPACE_VERIFIES_SIGNATURES", "1"),
        ],
    )
    .await;
    for test in [
        "test_a_wrong_secret_is_refused",
        "test_an_unknown_access_key_is_refused",
        "test_sts_credentials_sign_the_security_token",
    ] {
        assert!(stderr.contains(test), "{test} did not run\n{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_official_python_sdk_through_the_gateway_to_a_verifying_emulator() {
    let emulator = serve(Config::emulator(STARTUP_DELAY).with_verify_key(key())).await;
    let gateway =
        Config::aliyun(GatewayConfig::new(key()).with_upstream(format!("http://{emulator}")))
            .expect("gateway config");
    let addr = serve(gateway).await;
    // The SDK signs with a key the gateway ignores: the gateway signs again with its own.
    run_script(
        addr,
        &[
            ("WORKSPACE_ACCESS_KEY_ID", "LTAI-browser-side"),
            ("WORKSPACE_ACCESS_KEY_SECRET", "not-the-real-secret"),
        ],
    )
    .await;
}

/// Runs the script against `addr` and returns its stderr (unittest's report); fails the test unless every test
/// ran and passed.
async fn run_script(addr: std::net::SocketAddr, env: &[(&str, &str)]) -> String {
    let python = crate::common::python();
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
        .envs(env.iter().copied())
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

    let output = format!("--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
    // unittest reports on stderr; show it under --nocapture or on failure.
    eprintln!("{output}");
    match status {
        None => panic!("{script} did not finish in {SCRIPT_TIMEOUT:?}\n{output}"),
        Some(status) if status.code() == Some(2) && stderr.contains("pip install") => panic!(
            "the official SDK is missing for {python}: \
             ./dev test installs it into target/py\n{output}"
        ),
        Some(status) => assert!(status.success(), "{script} failed: {status}\n{output}"),
    }
    // Every test ran: the Starting → Running one is skipped only without WORKSPACE_STARTUP_DELAY.
    assert!(
        stderr.contains("\nOK") && !stderr.contains("skipped"),
        "unittest did not report OK for every test\n{output}"
    );
    stderr
}
