//! `workspace-server`: parses flags, binds, serves. Everything else is in the library.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, time::Duration};

use workspace_server::{
    Config, GatewayConfig,
    acs3::Credentials,
    app,
    gateway::{self, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT},
    protect,
};

const USAGE: &str = "\
workspace-server: the CreateWorkspace console's API and static file server

USAGE:
    workspace-server [--listen ADDR] [--dist DIR] [--backend emulator] [--startup-delay SECS] [--verify-key ID:SECRET]
    workspace-server [--listen ADDR] [--dist DIR] --backend aliyun [--upstream URL] [--connect-timeout SECS]
                     [--timeout SECS]
    Either backend: [--auth-token TOKEN] [--allow-origin ORIGIN]... [--allow-host HOST]...

OPTIONS:
    --listen ADDR            Address to bind (default 127.0.0.1:3000; loopback unless you mean otherwise)
    --dist DIR               Serve a built front end (trunk build output) at /
    --backend emulator       Answer the API from an in-memory emulator (default)
    --backend aliyun         Sign calls with ACS3-HMAC-SHA256 and forward them to Alibaba Cloud. Credentials come from
                             ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and, for STS,
                             ALIBABA_CLOUD_SECURITY_TOKEN; the browser never sees them
    --upstream URL           (aliyun) Send every call to this base URL (http(s)://host[:port]) instead of
                             https://emr-serverless-spark.<regionId>.aliyuncs.com, e.g. an emulator for testing
    --connect-timeout SECS   (aliyun) Time to connect to the upstream (default 5); then 502 or 504
    --timeout SECS           (aliyun) Time for a whole upstream call (default 30); then 504 UpstreamTimeout
    --startup-delay SECS     (emulator) How long a new workspace stays Starting before Running (default 10)
    --verify-key ID:SECRET   (emulator) Require every API request to be ACS3-signed with this AccessKey
    --auth-token TOKEN       Require Authorization: Bearer TOKEN on /api requests (or set WORKSPACE_AUTH_TOKEN,
                             which keeps the token out of the process list)
    --allow-origin ORIGIN    Allow cross-origin calls from ORIGIN (e.g. http://localhost:8080); repeatable.
                             Without it no CORS headers are sent
    --allow-host HOST        Also answer requests for this Host name (by default, when listening on loopback, only
                             localhost and loopback addresses are answered, against DNS rebinding); repeatable
    -h, --help               Print this help
";

/// The environment variable `--auth-token` falls back to.
const AUTH_TOKEN_VAR: &str = "WORKSPACE_AUTH_TOKEN";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BackendKind {
    Emulator,
    Aliyun,
}

struct Args {
    listen: SocketAddr,
    dist: Option<PathBuf>,
    backend: BackendKind,
    startup_delay: Duration,
    upstream: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    verify_key: Option<Credentials>,
    auth_token: Option<String>,
    allow_origins: Vec<String>,
    allow_hosts: Vec<String>,
}

fn seconds(flag: &str, v: &str, max: f64, zero_ok: bool) -> Result<Duration, String> {
    v.parse()
        .ok()
        .filter(|s: &f64| s.is_finite() && *s >= 0.0 && (zero_ok || *s > 0.0) && *s < max)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("{flag}: “{v}” is not a number of seconds"))
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
        dist: None,
        backend: BackendKind::Emulator,
        startup_delay: Duration::from_secs(10),
        upstream: None,
        connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        timeout: DEFAULT_TIMEOUT,
        verify_key: None,
        auth_token: None,
        allow_origins: Vec::new(),
        allow_hosts: Vec::new(),
    };
    // Flags that only one backend understands, to refuse them with the other.
    let mut emulator_only = None;
    let mut aliyun_only = None;
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
            "--backend" => {
                parsed.backend = match value()?.as_str() {
                    "emulator" => BackendKind::Emulator,
                    "aliyun" => BackendKind::Aliyun,
                    other => {
                        return Err(format!(
                            "--backend: unknown backend “{other}” (emulator or aliyun)"
                        ));
                    }
                }
            }
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
                parsed.startup_delay = seconds(&name, &value()?, 86_400.0, true)?;
                emulator_only.get_or_insert(name);
            }
            "--verify-key" => {
                let v = value()?;
                // The message must not repeat the value: it holds a secret.
                let (id, secret) = v
                    .split_once(':')
                    .filter(|(id, secret)| !id.is_empty() && !secret.is_empty())
                    .ok_or("--verify-key: expected ACCESS_KEY_ID:SECRET")?;
                parsed.verify_key = Some(Credentials {
                    access_key_id: id.to_owned(),
                    access_key_secret: secret.to_owned(),
                    security_token: None,
                });
                emulator_only.get_or_insert(name);
            }
            "--upstream" => {
                let v = value()?;
                gateway::parse_upstream(&v)?;
                parsed.upstream = Some(v);
                aliyun_only.get_or_insert(name);
            }
            "--connect-timeout" => {
                parsed.connect_timeout = seconds(&name, &value()?, 600.0, false)?;
                aliyun_only.get_or_insert(name);
            }
            "--timeout" => {
                parsed.timeout = seconds(&name, &value()?, 3_600.0, false)?;
                aliyun_only.get_or_insert(name);
            }
            "--auth-token" => parsed.auth_token = Some(auth_token(&value()?)?),
            "--allow-origin" => parsed.allow_origins.push(protect::parse_origin(&value()?)?),
            "--allow-host" => {
                let v = value()?;
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_graphic()) || v.contains('/') {
                    return Err(format!("--allow-host: “{v}” is not a host name"));
                }
                parsed.allow_hosts.push(v);
            }
            _ => return Err(format!("unknown argument “{flag}”")),
        }
    }
    match (parsed.backend, emulator_only, aliyun_only) {
        (BackendKind::Aliyun, Some(flag), _) => {
            return Err(format!("{flag} applies to --backend emulator only"));
        }
        (BackendKind::Emulator, _, Some(flag)) => {
            return Err(format!("{flag} applies to --backend aliyun only"));
        }
        _ => {}
    }
    if parsed.verify_key.is_some() && parsed.auth_token.is_some() {
        return Err(
            "--verify-key and --auth-token both use the Authorization header; use one of them"
                .into(),
        );
    }
    Ok(Some(parsed))
}

fn auth_token(v: &str) -> Result<String, String> {
    // Not echoed: it is a secret.
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("--auth-token: the token must be printable ASCII without spaces".into());
    }
    Ok(v.to_owned())
}

/// The server's configuration from the flags and the environment (`env` reads a variable). Refuses to build a
/// gateway without credentials.
fn build_config(args: &Args, env: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
    let mut config = match args.backend {
        BackendKind::Emulator => Config::emulator(args.startup_delay),
        BackendKind::Aliyun => {
            let var = |name: &str| env(name).filter(|v| !v.is_empty());
            let (Some(id), Some(secret)) = (
                var(gateway::ACCESS_KEY_ID_VAR),
                var(gateway::ACCESS_KEY_SECRET_VAR),
            ) else {
                return Err(gateway::missing_credentials_message(var));
            };
            let credentials = Credentials {
                access_key_id: id,
                access_key_secret: secret,
                security_token: var(gateway::SECURITY_TOKEN_VAR),
            };
            let mut gateway =
                GatewayConfig::new(credentials).with_timeouts(args.connect_timeout, args.timeout);
            gateway.upstream = args.upstream.clone();
            Config::aliyun(gateway)?
        }
    };
    if let Some(dist) = &args.dist {
        config = config.with_dist(dist);
    }
    if let Some(key) = &args.verify_key {
        config = config.with_verify_key(key.clone());
    }
    let token = match &args.auth_token {
        Some(t) => Some(t.clone()),
        None => env(AUTH_TOKEN_VAR)
            .filter(|v| !v.is_empty())
            .map(|v| auth_token(&v).map_err(|e| e.replace("--auth-token", AUTH_TOKEN_VAR)))
            .transpose()?,
    };
    if let Some(token) = token {
        if args.verify_key.is_some() {
            return Err(format!(
                "{AUTH_TOKEN_VAR} and --verify-key both use the Authorization header; use one of them"
            ));
        }
        config = config.with_auth_token(token);
    }
    config = config.with_allow_origins(args.allow_origins.clone());
    if args.listen.ip().is_loopback() || !args.allow_hosts.is_empty() {
        config = config.with_allowed_hosts(args.allow_hosts.clone());
    }
    Ok(config)
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
    let config = match build_config(&args, |name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("workspace-server: {message}");
            return ExitCode::from(2);
        }
    };
    let backend = match &config.backend {
        workspace_server::Backend::Emulator(_) => "emulator backend".to_owned(),
        workspace_server::Backend::Aliyun(g) => format!(
            "aliyun gateway to {} signing as {}",
            g.describe(),
            g.key_hint()
        ),
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("workspace-server: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let address = listener.local_addr().unwrap_or(args.listen);
    eprintln!(
        "workspace-server: {backend} on http://{address}{}{}",
        if args.dist.is_some() {
            " (serving the console at /)"
        } else {
            ""
        },
        if config.auth_token.is_some() {
            " (API requires a bearer token)"
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

    fn env_of<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn defaults_and_flags() {
        let a = parse(&[]).unwrap().unwrap();
        assert_eq!(a.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(a.startup_delay, Duration::from_secs(10));
        assert_eq!(a.backend, BackendKind::Emulator);
        assert!(a.auth_token.is_none() && a.allow_origins.is_empty() && a.verify_key.is_none());
        let a = parse(&[
            "--listen",
            "127.0.0.1:0",
            "--startup-delay=0.5",
            "--backend",
            "emulator",
            "--verify-key",
            "testid:test:secret",
            "--allow-origin",
            "http://LOCALHOST:8080/",
            "--allow-origin=https://console.example.com",
            "--allow-host",
            "console.internal",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(a.listen.port(), 0);
        assert_eq!(a.startup_delay, Duration::from_millis(500));
        let key = a.verify_key.unwrap();
        assert_eq!(
            (key.access_key_id.as_str(), key.access_key_secret.as_str()),
            ("testid", "test:secret")
        );
        assert_eq!(
            a.allow_origins,
            ["http://localhost:8080", "https://console.example.com"]
        );
        assert_eq!(a.allow_hosts, ["console.internal"]);
        assert!(parse(&["--help"]).unwrap().is_none());

        let a = parse(&[
            "--backend=aliyun",
            "--upstream",
            "http://127.0.0.1:9000",
            "--connect-timeout",
            "1.5",
            "--timeout=2",
            "--auth-token",
            "tok-123",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(a.backend, BackendKind::Aliyun);
        assert_eq!(a.upstream.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(a.connect_timeout, Duration::from_millis(1500));
        assert_eq!(a.timeout, Duration::from_secs(2));
        assert_eq!(a.auth_token.as_deref(), Some("tok-123"));
        let a = parse(&["--backend", "aliyun"]).unwrap().unwrap();
        assert_eq!(
            (a.connect_timeout, a.timeout),
            (DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT)
        );
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
            (
                &["--backend", "aliyun", "--upstream", "ftp://x"][..],
                "--upstream",
            ),
            (
                &["--backend", "aliyun", "--upstream", "http://h/p"][..],
                "--upstream",
            ),
            (&["--backend", "aliyun", "--timeout", "0"][..], "--timeout"),
            (
                &["--backend", "aliyun", "--connect-timeout", "x"][..],
                "--connect-timeout",
            ),
            (&["--upstream", "http://127.0.0.1:1"][..], "aliyun only"),
            (&["--timeout", "3"][..], "aliyun only"),
            (
                &["--backend", "aliyun", "--verify-key", "a:b"][..],
                "emulator only",
            ),
            (
                &["--backend", "aliyun", "--startup-delay", "1"][..],
                "emulator only",
            ),
            (&["--verify-key", "nocolon"][..], "ACCESS_KEY_ID:SECRET"),
            (&["--verify-key", ":secret"][..], "ACCESS_KEY_ID:SECRET"),
            (
                &["--verify-key", "a:b", "--auth-token", "t"][..],
                "Authorization",
            ),
            (&["--auth-token", "has space"][..], "--auth-token"),
            (&["--allow-origin", "*"][..], "--allow-origin"),
            (&["--allow-origin", "localhost:8080"][..], "--allow-origin"),
            (&["--allow-host", "a/b"][..], "--allow-host"),
        ] {
            let e = parse(args).err().unwrap_or_default();
            assert!(e.contains(needle), "{args:?}: {e}");
        }
        // Secrets given on the command line are not repeated in messages.
        let e = parse(&["--verify-key", "s3cret-without-colon"])
            .err()
            .unwrap_or_default();
        assert!(!e.contains("s3cret"), "{e}");
        let e = parse(&["--auth-token", "s3cret token"])
            .err()
            .unwrap_or_default();
        assert!(!e.contains("s3cret"), "{e}");
    }

    #[test]
    fn the_gateway_needs_credentials() {
        let aliyun = parse(&["--backend", "aliyun"]).unwrap().unwrap();
        for vars in [
            &[][..],
            &[("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI")][..],
            &[("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s3cret")][..],
            &[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", ""),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s3cret"),
            ][..],
            &[("ALIBABA_CLOUD_SECURITY_TOKEN", "sts-tok")][..],
        ] {
            let e = build_config(&aliyun, env_of(vars))
                .err()
                .unwrap_or_default();
            assert!(
                e.contains("ALIBABA_CLOUD_ACCESS_KEY_ID")
                    && e.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
                "{vars:?}: {e}"
            );
            assert!(!e.contains("s3cret") && !e.contains("sts-tok"), "{e}");
        }
        let config = build_config(
            &aliyun,
            env_of(&[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tAbCdEfGh"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s3cret"),
                ("ALIBABA_CLOUD_SECURITY_TOKEN", "sts-tok"),
            ]),
        )
        .ok()
        .unwrap();
        match &config.backend {
            workspace_server::Backend::Aliyun(g) => assert_eq!(g.key_hint(), "LTAI****EfGh (STS)"),
            _ => panic!("not the gateway"),
        }
        // Loopback by default, so the Host check is on.
        assert_eq!(config.allowed_hosts.as_deref(), Some(&[][..]));
        // The emulator needs none.
        assert!(build_config(&parse(&[]).unwrap().unwrap(), env_of(&[])).is_ok());
    }

    #[test]
    fn token_from_the_environment_and_host_check() {
        let emulator = parse(&[]).unwrap().unwrap();
        let config = build_config(&emulator, env_of(&[("WORKSPACE_AUTH_TOKEN", "tok-env")]))
            .ok()
            .unwrap();
        assert_eq!(config.auth_token.as_deref(), Some("tok-env"));
        let e = build_config(&emulator, env_of(&[("WORKSPACE_AUTH_TOKEN", "bad tok")]))
            .err()
            .unwrap_or_default();
        assert!(
            e.contains("WORKSPACE_AUTH_TOKEN") && !e.contains("bad tok"),
            "{e}"
        );
        // The flag wins over the environment.
        let flagged = parse(&["--auth-token", "tok-flag"]).unwrap().unwrap();
        let config = build_config(&flagged, env_of(&[("WORKSPACE_AUTH_TOKEN", "tok-env")]))
            .ok()
            .unwrap();
        assert_eq!(config.auth_token.as_deref(), Some("tok-flag"));
        let verifying = parse(&["--verify-key", "a:b"]).unwrap().unwrap();
        assert!(build_config(&verifying, env_of(&[("WORKSPACE_AUTH_TOKEN", "t")])).is_err());

        let open = parse(&["--listen", "0.0.0.0:3000"]).unwrap().unwrap();
        assert!(
            build_config(&open, env_of(&[]))
                .ok()
                .unwrap()
                .allowed_hosts
                .is_none()
        );
        let named = parse(&["--listen", "0.0.0.0:3000", "--allow-host", "console.lan"])
            .unwrap()
            .unwrap();
        assert_eq!(
            build_config(&named, env_of(&[]))
                .ok()
                .unwrap()
                .allowed_hosts,
            Some(vec!["console.lan".to_owned()])
        );
    }
}
