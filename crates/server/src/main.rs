//! `workspace-server`: parses flags, binds, serves until Ctrl-C or SIGTERM. Everything else is in the library.

use std::{io::IsTerminal, process::ExitCode};

use workspace_server::{app, cli, http::serve::shutdown_signal, serve};

#[tokio::main]
async fn main() -> ExitCode {
    let (args, matches) = cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .with_max_level(tracing::Level::INFO)
        .init();
    let config = match cli::build_config(&args, &matches, |name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("workspace-server: {message}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("workspace-server: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let address = listener.local_addr().unwrap_or(args.listen);
    tracing::info!("{} on http://{address}", config.describe());
    let header_timeout = config.limits.header_timeout;
    serve(listener, app(config), header_timeout, shutdown_signal()).await;
    ExitCode::SUCCESS
}
