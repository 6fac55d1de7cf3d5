//! `workspace-server`: parses flags, binds, serves. Everything else is in the library.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, time::Duration};

use workspace_server::{Config, app};

const USAGE: &str = "\
workspace-server: the CreateWorkspace console's API and static file server

USAGE:
    workspace-server [--listen ADDR] [--backend emulator] [--dist DIR] [--startup-delay SECS]

OPTIONS:
    --listen ADDR          Address to bind (default 127.0.0.1:3000; loopback unless you mean otherwise)
    --backend emulator     Answer the API from an in-memory emulator (default)
    --dist DIR             Serve a built front end (trunk build output) at /
    --startup-delay SECS   How long a new emulated workspace stays Starting before Running (default 10)
    -h, --help             Print this help
";

struct Args {
    listen: SocketAddr,
    dist: Option<PathBuf>,
    startup_delay: Duration,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
        dist: None,
        startup_delay: Duration::from_secs(10),
    };
    while let Some(flag) = args.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (flag.clone(), None),
        };
        if name == "-h" || name == "--help" {
            return Ok(None);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "--listen" => {
                let v = value()?;
                parsed.listen = v.parse().map_err(|_| {
                    format!("--listen: “{v}” is not an address like 127.0.0.1:3000")
                })?;
            }
            "--backend" => match value()?.as_str() {
                "emulator" => {}
                other => return Err(format!("--backend: unknown backend “{other}” (emulator)")),
            },
            "--dist" => {
                let dir = PathBuf::from(value()?);
                if !dir.join("index.html").is_file() {
                    return Err(format!(
                        "--dist: {} has no index.html (run `trunk build --release` first)",
                        dir.display()
                    ));
                }
                parsed.dist = Some(dir);
            }
            "--startup-delay" => {
                let v = value()?;
                let secs: f64 = v
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s >= 0.0 && *s < 86_400.0)
                    .ok_or_else(|| format!("--startup-delay: “{v}” is not a number of seconds"))?;
                parsed.startup_delay = Duration::from_secs_f64(secs);
            }
            _ => return Err(format!("unknown argument “{flag}”")),
        }
    }
    Ok(Some(parsed))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("workspace-server: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut config = Config::emulator(args.startup_delay);
    if let Some(dist) = &args.dist {
        config = config.with_dist(dist);
    }
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("workspace-server: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let address = listener.local_addr().unwrap_or(args.listen);
    eprintln!(
        "workspace-server: emulator backend on http://{address}{}",
        if args.dist.is_some() {
            " (serving the console at /)"
        } else {
            ""
        }
    );
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, app(config))
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("workspace-server: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Args>, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_and_flags() {
        let a = parse(&[]).unwrap().unwrap();
        assert_eq!(a.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(a.startup_delay, Duration::from_secs(10));
        let a = parse(&[
            "--listen",
            "127.0.0.1:0",
            "--startup-delay=0.5",
            "--backend",
            "emulator",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(a.listen.port(), 0);
        assert_eq!(a.startup_delay, Duration::from_millis(500));
        assert!(parse(&["--help"]).unwrap().is_none());
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        for (args, needle) in [
            (&["--listen", "nowhere"][..], "--listen"),
            (&["--startup-delay", "-1"][..], "--startup-delay"),
            (&["--startup-delay", "NaN"][..], "--startup-delay"),
            (&["--backend", "cloud"][..], "unknown backend"),
            (&["--dist", "/nonexistent"][..], "index.html"),
            (&["--listen"][..], "needs a value"),
            (&["--bogus"][..], "unknown argument"),
        ] {
            let e = parse(args).err().unwrap_or_default();
            assert!(e.contains(needle), "{args:?}: {e}");
        }
    }
}
