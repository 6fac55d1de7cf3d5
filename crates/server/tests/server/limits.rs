//! What one client, or many, can hold: request heads and bodies that do not arrive in time, requests that run too
//! long, more requests than the server handles at once, and the emulator's memory. Over real sockets where the
//! timing of bytes matters.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use crate::common::*;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};
use workspace_server::{
    Backend, Config, FaultCode, Faults, GatewayConfig, Limits, app,
    clock::Clock,
    emulator::{Capacity, Emulator},
};

const CREATE: &str = "/api/v1/workspaces?regionId=cn-hangzhou";
const LIST: &str = "/api/v1/workspaces?regionId=cn-hangzhou";

fn short_limits() -> Limits {
    Limits {
        max_concurrent: 64,
        header_timeout: Duration::from_millis(400),
        body_timeout: Duration::from_millis(400),
        request_timeout: Duration::from_secs(5),
    }
}

/// The emulator and the gateway (in front of a stub), with these limits, on real sockets.
async fn both(limits: Limits) -> (Vec<SocketAddr>, Stub) {
    let stub = Stub::start(Behaviour::Ok).await;
    let gateway =
        Config::aliyun(GatewayConfig::new(credentials(SECRET, None)).with_upstream(stub.url()))
            .unwrap();
    let mut addrs = Vec::new();
    for config in [Config::emulator(Duration::ZERO), gateway] {
        addrs.push(spawn_with(app(config.with_limits(limits)), limits.header_timeout).await);
    }
    (addrs, stub)
}

/// Reads until the server closes the connection (or `limit` passes: then `None`).
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut answer = Vec::new();
    match tokio::time::timeout(limit, stream.read_to_end(&mut answer)).await {
        Ok(_) => Some(String::from_utf8_lossy(&answer).into_owned()),
        Err(_) => None,
    }
}

// A client that declared Content-Length 60000 and sent one byte held its connection for ever.
#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_a_408_and_the_connection_closes() {
    let (addrs, stub) = both(short_limits()).await;
    for &addr in &addrs {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let started = Instant::now();
        stream
            .write_all(
                format!(
                    "POST {CREATE} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
                     Content-Length: 60000\r\n\r\n{{"
                )
                .as_bytes(),
            )
            .await
            .unwrap();
        let answer = read_until_closed(&mut stream, Duration::from_secs(5))
            .await
            .expect("the server still waits for the body");
        let took = started.elapsed();
        assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
        assert!(answer.contains("\"Code\":\"RequestTimeout\""), "{answer}");
        assert!(
            answer.to_ascii_lowercase().contains("connection: close"),
            "{answer}"
        );
        assert!(
            took >= Duration::from_millis(400) && took < Duration::from_secs(3),
            "{took:?}"
        );
    }
    // A body that drips in, a byte at a time and each in time, still has one deadline for the whole.
    let mut stream = TcpStream::connect(addrs[0]).await.unwrap();
    stream
        .write_all(
            format!(
                "POST {CREATE} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
                 Content-Length: 100\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let started = Instant::now();
    let mut answer = None;
    for _ in 0..100 {
        if stream.write_all(b" ").await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut buf = [0u8; 512];
        if let Ok(Ok(n)) =
            tokio::time::timeout(Duration::from_millis(1), stream.read(&mut buf)).await
            && n > 0
        {
            answer = Some(String::from_utf8_lossy(&buf[..n]).into_owned());
            break;
        }
    }
    let answer = answer.expect("a dripping body was never cut off");
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(stub.count(), 0, "nothing was forwarded");
}

// Nothing bounded how long a request head, or an idle connection, could take.
#[tokio::test]
async fn a_head_that_does_not_arrive_in_time_closes_the_connection() {
    let (addrs, _stub) = both(short_limits()).await;
    for addr in addrs {
        // Half a head, then silence.
        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(format!("POST {CREATE} HTTP/1.1\r\nHost: ").as_bytes())
            .await
            .unwrap();
        // Connected, and nothing at all.
        let mut silent = TcpStream::connect(addr).await.unwrap();
        let started = Instant::now();
        for stream in [&mut slow, &mut silent] {
            let answer = read_until_closed(stream, Duration::from_secs(5))
                .await
                .expect("the connection is still open");
            assert!(
                answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
                "{answer}"
            );
        }
        assert!(started.elapsed() < Duration::from_secs(3));
        // An idle keep-alive connection after an answer is closed the same way.
        let mut kept = TcpStream::connect(addr).await.unwrap();
        kept.write_all(format!("GET {LIST} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let answer = read_until_closed(&mut kept, Duration::from_secs(5))
            .await
            .expect("an idle connection stays open");
        assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    }
}

// Slow clients must not slow down anyone else: the body deadline and the head timeout hold them, not a worker.
#[tokio::test]
async fn slow_clients_do_not_delay_a_normal_request() {
    let limits = Limits {
        body_timeout: Duration::from_secs(5),
        header_timeout: Duration::from_secs(5),
        ..short_limits()
    };
    let (addrs, _stub) = both(limits).await;
    let addr = addrs[0];
    let mut held = Vec::new();
    for i in 0..40 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let head = if i % 2 == 0 {
            format!(
                "POST {CREATE} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
                 Content-Length: 60000\r\n\r\n{{"
            )
        } else {
            format!("POST {CREATE} HTTP/1.1\r\nHost: ")
        };
        stream.write_all(head.as_bytes()).await.unwrap();
        held.push(stream);
    }
    let base = format!("http://{addr}");
    let started = Instant::now();
    let reply = send(
        client()
            .post(format!("{base}{CREATE}"))
            .header("content-type", "application/json")
            .body(minimal().to_string()),
    )
    .await;
    assert_eq!(reply.status, 200, "{:?}", reply.json());
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    drop(held);
}

// There was no concurrency cap: a flood of requests queued without bound.
#[tokio::test]
async fn beyond_the_concurrency_limit_requests_get_503_at_once() {
    let limits = Limits {
        max_concurrent: 2,
        ..short_limits()
    };
    // Latency keeps the first two in flight while the others arrive.
    let faults = Faults::new(
        Duration::from_millis(600),
        0.0,
        FaultCode::ServiceUnavailable,
        0.0,
        1,
    )
    .unwrap();
    let config = Config::emulator(Duration::ZERO)
        .with_limits(limits)
        .with_faults(faults);
    let base = format!("http://{}", spawn(app(config)).await);
    let started = Instant::now();
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let base = base.clone();
            tokio::spawn(async move {
                let reply = send(client().get(format!("{base}{LIST}"))).await;
                (reply, started.elapsed())
            })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        let (reply, took) = task.await.unwrap();
        if reply.status == 200 {
            ok += 1;
        } else {
            reply.assert_error(503, "ServiceUnavailable");
            assert_eq!(reply.header("retry-after"), Some("1"));
            assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
            assert!(
                took < Duration::from_millis(500),
                "refused at once: {took:?}"
            );
        }
    }
    assert_eq!(ok, 2);
    // Once they are done, the server takes requests again.
    assert_eq!(
        send(client().get(format!("{base}{LIST}"))).await.status,
        200
    );
}

// A request had no time limit.
#[tokio::test]
async fn a_request_past_its_time_limit_is_a_503() {
    let limits = Limits {
        request_timeout: Duration::from_millis(300),
        ..short_limits()
    };
    let faults = Faults::new(
        Duration::from_secs(3),
        0.0,
        FaultCode::ServiceUnavailable,
        0.0,
        1,
    )
    .unwrap();
    let log = Log::default();
    let config = log.attach(
        Config::emulator(Duration::ZERO)
            .with_limits(limits)
            .with_faults(faults),
    );
    let base = format!("http://{}", spawn(app(config)).await);
    let started = Instant::now();
    let reply = send(
        client()
            .post(format!("{base}{CREATE}"))
            .header("content-type", "application/json")
            .body(minimal().to_string()),
    )
    .await;
    reply.assert_error(503, "ServiceTimeout");
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// An emulator that remembers little, behind the API.
fn small(capacity: Capacity) -> (Emulator, axum::Router) {
    let emulator = Emulator::with_capacity(Duration::ZERO, capacity);
    let config = Config {
        backend: Backend::Emulator(emulator.clone()),
        ..Config::emulator(Duration::ZERO)
    };
    (emulator, app(config))
}

fn with_token(token: &str) -> String {
    let mut body = minimal();
    body["clientToken"] = token.into();
    body.to_string()
}

// The emulator's workspace and token maps grew without bound.
#[tokio::test]
async fn the_emulator_keeps_at_most_its_capacity() {
    let (emulator, router) = small(Capacity {
        workspaces: 5,
        tokens: 3,
        token_ttl: Duration::from_secs(3600),
    });
    let base = format!("http://{}", spawn(router).await);
    let mut ids = Vec::new();
    for i in 0..20 {
        let reply = send(
            client()
                .post(format!("{base}{CREATE}"))
                .header("content-type", "application/json")
                .body(with_token(&format!("token-{i}"))),
        )
        .await;
        assert_eq!(reply.status, 200);
        ids.push(reply.json()["workspaceId"].as_str().unwrap().to_owned());
    }
    assert_eq!(emulator.stored(), (5, 3));
    let listed = send(client().get(format!("{base}{LIST}"))).await;
    assert_eq!(listed.json()["totalCount"], 5);
    assert_eq!(
        listed.json()["workspaces"][0]["workspaceId"],
        ids[19].as_str()
    );
    // The oldest are gone; the newest are there.
    let get = |id: &str| {
        client().get(format!(
            "{base}/api/v1/workspaces/{id}?regionId=cn-hangzhou"
        ))
    };
    send(get(&ids[0]))
        .await
        .assert_error(404, "WorkspaceNotFound");
    assert_eq!(send(get(&ids[15])).await.status, 200);
    // The newest tokens are still honoured.
    let again = send(
        client()
            .post(format!("{base}{CREATE}"))
            .header("content-type", "application/json")
            .body(with_token("token-19")),
    )
    .await;
    assert_eq!(again.json()["workspaceId"], ids[19].as_str());
}

// Token entries never expired.
#[tokio::test]
async fn client_tokens_expire() {
    let clock = Clock::manual();
    let emulator = Emulator::with_clock(
        Duration::ZERO,
        Capacity {
            token_ttl: Duration::from_secs(3600),
            ..Capacity::default()
        },
        clock.clone(),
    );
    let router = app(Config {
        backend: Backend::Emulator(emulator.clone()),
        ..Config::emulator(Duration::ZERO)
    });
    let base = format!("http://{}", spawn(router).await);
    let create = || {
        client()
            .post(format!("{base}{CREATE}"))
            .header("content-type", "application/json")
            .body(with_token("short-lived"))
    };
    let first = send(create()).await.json()["workspaceId"].clone();
    clock.advance(Duration::from_secs(3599));
    assert_eq!(send(create()).await.json()["workspaceId"], first);
    clock.advance(Duration::from_secs(1));
    let later = send(create()).await.json()["workspaceId"].clone();
    assert_ne!(later, first, "an expired token is a new request");
    assert_eq!(send(create()).await.json()["workspaceId"], later);
    // Inserting after expiry prunes the expired entries: one token, one entry.
    assert_eq!(emulator.stored(), (2, 1));
}

// ListWorkspaces copied every workspace under the lock, even for maxResults=1. Now the page is cut from the
// stored workspaces that pass the filters, and only it is copied; this pins the paging that replaced the copy.
#[tokio::test]
async fn the_list_page_is_cut_from_the_filtered_workspaces() {
    let emulator = Emulator::new(Duration::ZERO);
    let config = Config {
        backend: Backend::Emulator(emulator.clone()),
        ..Config::emulator(Duration::ZERO)
    };
    let base = format!("http://{}", spawn(app(config)).await);
    for i in 0..30 {
        let mut body = minimal();
        body["workspaceName"] = format!("ws{i}").into();
        if i % 3 == 0 {
            body["tag"] = serde_json::json!([{"key": "env", "value": "prod"}]);
        }
        let reply = send(
            client()
                .post(format!("{base}{CREATE}"))
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await;
        assert_eq!(reply.status, 200);
    }
    let filter = workspace_server::emulator::ListFilter {
        tags: vec![("env".into(), "prod".into())],
        ..Default::default()
    };
    let (page, total) = emulator.page("cn-hangzhou", &filter, 2, 3);
    assert_eq!(total, 10);
    let names: Vec<&str> = page.iter().map(|w| w.workspace_name.as_str()).collect();
    assert_eq!(
        names,
        ["ws21", "ws18", "ws15"],
        "newest first, after skipping two"
    );
    let (page, total) = emulator.page("cn-hangzhou", &Default::default(), 29, 5);
    assert_eq!((page.len(), total), (1, 30));
    let (page, total) = emulator.page("cn-beijing", &Default::default(), 0, 5);
    assert_eq!((page.len(), total), (0, 0));
}
