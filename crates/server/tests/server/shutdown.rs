//! The binary stops on SIGTERM (what `docker stop`, systemd and `kill` send) as it does on Ctrl-C: it stops
//! accepting, lets the request in flight finish, and exits 0.

#![cfg(unix)]

use std::{process::Command, time::Duration};

use crate::{
    common::{BINARY, client, minimal, send},
    process::Process,
};

#[tokio::test]
async fn sigterm_drains_the_request_in_flight_then_exits_cleanly() {
    let server = Process::start(
        BINARY.as_ref(),
        "127.0.0.1",
        &["--fault-latency", "700"],
        &[],
    )
    .await;
    let base = server.base();

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
    let output = server.exit_within(Duration::from_secs(10)).await;
    let status = output
        .status
        .unwrap_or_else(|| panic!("still running after SIGTERM: {}", output.stderr));
    assert!(status.success(), "{status}");
    let mut lines = output.stderr.lines();
    // The start-up line names where it listens.
    let first = lines.next().unwrap_or_default();
    assert!(first.contains(&base), "{first}");
    assert!(lines.any(|l| l.contains("SIGTERM")), "{}", output.stderr);
}
