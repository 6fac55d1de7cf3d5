//! The server's integration tests, in one binary (one link of axum, reqwest and tokio instead of one per file).
//! Each module is one area; `common` holds what they share: servers on real sockets ([`common::spawn`]), the
//! built binary as a child process ([`process::Process`]), a recording stub upstream, captured log lines, the
//! one `minimal()` request body (`data/minimal.json`, which the stress example reads too), and the check that no
//! secret ever shows.
//!
//! Run one area with a filter: `cargo test -p workspace-server --test server account::`.

#[path = "server/common.rs"]
mod common;
#[path = "server/process.rs"]
mod process;

#[path = "server/account.rs"]
mod account;
#[path = "server/account_gateway.rs"]
mod account_gateway;
#[path = "server/account_signatures.rs"]
mod account_signatures;
#[path = "server/emulator.rs"]
mod emulator;
#[path = "server/faults.rs"]
mod faults;
#[path = "server/gateway.rs"]
mod gateway;
#[path = "server/guardrails.rs"]
mod guardrails;
#[path = "server/headers.rs"]
mod headers;
#[path = "server/limits.rs"]
mod limits;
#[path = "server/protection.rs"]
mod protection;
#[path = "server/sdk.rs"]
mod sdk;
#[path = "server/shutdown.rs"]
mod shutdown;
#[path = "server/signatures.rs"]
mod signatures;
