//! The binary stops on SIGTERM (what `docker stop`, systemd and `kill` send) as it does on Ctrl-C: it stops
//! accepting, lets the request in flight finish, and exits 0.

#![cfg(unix)]

mod common;

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use common::{client, minimal, send};

#[tokio::test]
async fn sigterm_drains_the_request_in_flight_then_exits_cleanly() {
    let mut server = Command::new(env!("CARGO_BIN_EXE_workspace-server"))
        .args(["--listen", "127.0.0.1:0", "--fault-latency", "700"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(server.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in the start-up line: {line}"))
        .to_owned();

    let in_flight = tokio::spawn(send(
        client()
            .post(format!("{base}/api/v1/workspaces?regionId=cn-hangzhou"))
            .header("content-type", "application/json")
            .body(minimal().to_string()),
    ));
    // The request is inside its injected latency when the signal arrives.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());

    let reply = in_flight.await.unwrap();
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status}");
    let rest: Vec<String> = stderr.lines().map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("SIGTERM")), "{rest:?}");
}
