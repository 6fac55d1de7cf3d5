//! Fault injection in the emulator (`--fault-latency`, `--fault-rate`/`--fault-code`, `--fault-drop`,
//! `--fault-seed`): what a client sees under each fault, what the emulator did behind it, and that a seed repeats.

use std::time::{Duration, Instant};

use crate::common::*;
use axum::{
    Router,
    body::Body,
    http::{Request, header},
};
use http_body_util::BodyExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;
use workspace_server::{Backend, Config, Emulator, FaultCode, Faults, app};

const CREATE: &str = "/api/v1/workspaces?regionId=cn-hangzhou";
const LIST: &str = "/api/v1/workspaces?regionId=cn-hangzhou";

fn faults(latency_ms: u64, rate: f64, code: FaultCode, drop: f64, seed: u64) -> Faults {
    Faults::new(Duration::from_millis(latency_ms), rate, code, drop, seed).unwrap()
}

/// A faulty API and a clean one over the same emulator, to see what the faults hid.
fn faulty(faults: Faults, log: &Log) -> (Router, Router) {
    let emulator = Emulator::new(Duration::ZERO);
    let config = |faults: Option<Faults>| {
        let config = Config {
            backend: Backend::Emulator(emulator.clone()),
            ..Config::emulator(Duration::ZERO)
        };
        match faults {
            Some(f) => log.attach(config.with_faults(f)),
            None => config,
        }
    };
    (app(config(Some(faults))), app(config(None)))
}

fn create(body: String) -> Request<Body> {
    Request::post(CREATE)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap()
}

async fn call(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    Reply {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes(),
    }
}

async fn count(clean: &Router) -> u64 {
    let list = Request::get(LIST)
        .header(header::HOST, "127.0.0.1:3000")
        .body(Body::empty())
        .unwrap();
    call(clean, list).await.json()["totalCount"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn each_fault_code_is_an_alibaba_error_and_nothing_is_created() {
    for (code, status) in [
        (FaultCode::Throttling, 400),
        (FaultCode::InternalError, 500),
        (FaultCode::ServiceUnavailable, 503),
    ] {
        let log = Log::default();
        let (faulty, clean) = faulty(faults(0, 1.0, code, 0.0, 1), &log);
        let reply = call(&faulty, create(minimal().to_string())).await;
        reply.assert_error(status, code.code());
        assert_eq!(count(&clean).await, 0, "{code}");
        assert!(
            log.lines()[0].ends_with(&format!(" fault={}", code.code())),
            "{:?}",
            log.lines()
        );
    }
}

#[tokio::test]
async fn latency_delays_every_api_answer_but_not_the_page() {
    let log = Log::default();
    let (faulty, _) = faulty(faults(300, 0.0, FaultCode::Throttling, 0.0, 1), &log);
    let started = Instant::now();
    let reply = call(&faulty, create(minimal().to_string())).await;
    assert_eq!(reply.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    let page = Request::get("/")
        .header(header::HOST, "localhost")
        .body(Body::empty())
        .unwrap();
    call(&faulty, page).await;
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn a_drop_closes_the_connection_without_an_answer_after_the_create() {
    let log = Log::default();
    let (faulty, clean) = faulty(faults(0, 0.0, FaultCode::Throttling, 1.0, 1), &log);
    let addr = spawn(faulty).await;
    let mut body = minimal();
    body["clientToken"] = "retry-me".into();
    let body = body.to_string();

    // A client sees the connection close and not one byte of an answer.
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            format!(
                "POST {CREATE} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("the connection was neither answered nor closed")
        .ok();
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    let error = client()
        .post(format!("http://{addr}{CREATE}"))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap_err();
    assert!(error.is_request() || error.is_body(), "{error:?}");

    // Behind the drop the create happened; a retry with the same clientToken gets the same workspace.
    assert_eq!(count(&clean).await, 1);
    let retried = call(&clean, create(body)).await;
    assert_eq!(retried.status, 200);
    assert_eq!(count(&clean).await, 1);
    assert!(
        log.lines().iter().all(|l| l.ends_with(" fault=drop")),
        "{:?}",
        log.lines()
    );
}

// The end-to-end harness serves `app` with plain `axum::serve`, not `workspace_server::serve`: a drop must close
// the connection there too (it does because hyper sends no head before the first body bytes).
#[tokio::test]
async fn a_drop_also_closes_the_connection_under_axum_serve() {
    let (faulty, _) = faulty(
        faults(0, 0.0, FaultCode::Throttling, 1.0, 1),
        &Log::default(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, faulty).await });
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("GET {LIST} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("the connection was neither answered nor closed")
        .ok();
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
}

#[tokio::test]
async fn a_seed_gives_the_same_faults_every_time() {
    let statuses = |seed: u64| async move {
        let (faulty, _) = faulty(
            faults(0, 0.4, FaultCode::Throttling, 0.0, seed),
            &Log::default(),
        );
        let mut statuses = Vec::new();
        for _ in 0..60 {
            statuses.push(call(&faulty, create(minimal().to_string())).await.status);
        }
        statuses
    };
    let first = statuses(7).await;
    assert_eq!(first, statuses(7).await);
    assert_ne!(first, statuses(8).await);
    let failed = first.iter().filter(|s| **s == 400).count();
    assert!((10..=40).contains(&failed), "{failed} of 60 at p=0.4");
}

#[test]
fn the_binary_takes_the_fault_flags_for_the_emulator_only() {
    let binary = BINARY;
    let output = std::process::Command::new(binary)
        .env_clear()
        .args(["--backend", "aliyun", "--fault-drop", "0.5"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--fault-drop applies to --backend emulator only"),
        "{stderr}"
    );
    let output = std::process::Command::new(binary)
        .env_clear()
        .args(["--fault-rate", "0.7", "--fault-drop", "0.7"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("add up to more than 1"));
}
