//! The binary's flags ([`Args`]) and the [`Config`] they make ([`build_config`]), with every refusal of a
//! configuration that should not start.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{
    ArgGroup, ArgMatches, CommandFactory, FromArgMatches, Parser, ValueEnum, parser::ValueSource,
};

use crate::{
    Config,
    aliyun::acs3::Credentials,
    backend::emulator::fixtures::Account,
    backend::{
        emulator::{
            Emulator,
            faults::{FaultCode, Faults},
        },
        gateway::{self, GatewayConfig},
    },
    guardrails::{self, AuditLog},
    http::limits::Limits,
    protect::{csp, origin},
};

/// The environment variable `--auth-token` falls back to.
const AUTH_TOKEN_VAR: &str = "WORKSPACE_AUTH_TOKEN";
/// The environment variable `--verify-key` falls back to.
const VERIFY_KEY_VAR: &str = "WORKSPACE_VERIFY_KEY";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendKind {
    /// Answer the API from an in-memory emulator
    Emulator,
    /// Sign calls with ACS3-HMAC-SHA256 and forward them to Alibaba Cloud
    Aliyun,
}

/// workspace-server: the CreateWorkspace console's API and static file server
// The field comments are `--help` text for a terminal, not rustdoc: URLs and `<regionId>` stay as typed.
#[allow(
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags
)]
#[derive(Debug, Parser)]
#[command(
    name = "workspace-server",
    version,
    // The flags only one backend understands, to refuse them with the other (see `foreign_flag`).
    group(ArgGroup::new("emulator").multiple(true)),
    group(ArgGroup::new("aliyun").multiple(true)),
    after_help = "With --backend aliyun, credentials come from ALIBABA_CLOUD_ACCESS_KEY_ID, \
                  ALIBABA_CLOUD_ACCESS_KEY_SECRET and, for STS, ALIBABA_CLOUD_SECURITY_TOKEN; the browser never sees \
                  them."
)]
pub struct Args {
    /// Address to bind; keep it on loopback unless you mean otherwise
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:3000", value_parser = listen_address)]
    pub listen: SocketAddr,

    /// Serve a built front end (trunk build output) at /
    #[arg(long, value_name = "DIR", value_parser = dist_dir)]
    pub dist: Option<PathBuf>,

    /// Where API calls go
    #[arg(long, value_enum, default_value_t = BackendKind::Emulator)]
    pub backend: BackendKind,

    /// (emulator) How long a new workspace stays Starting before Running
    #[arg(group = "emulator", long, value_name = "SECS", default_value = "10", value_parser = startup_delay, allow_negative_numbers = true)]
    pub startup_delay: Duration,

    /// (emulator) The account the /api/account listings answer from: a JSON file of buckets, catalogs, roles,
    /// resource groups and the listings to deny (see docs/server.md); without it, a small demo account
    #[arg(group = "emulator", long, value_name = "FILE")]
    pub fixtures: Option<PathBuf>,

    /// (emulator) Require every API request to be ACS3-signed with this AccessKey
    #[arg(
        group = "emulator",
        long,
        value_name = "ID:SECRET",
        env = VERIFY_KEY_VAR,
        hide_env_values = true,
        allow_hyphen_values = true
    )]
    pub verify_key: Option<String>,

    /// (aliyun) Send every call to this base URL (https://host[:port], or http:// to this machine) instead of
    /// https://emr-serverless-spark.<regionId>.aliyuncs.com
    #[arg(group = "aliyun", long, value_name = "URL", value_parser = upstream)]
    pub upstream: Option<String>,

    /// (aliyun) Send OSS ListBuckets here instead of https://oss-<regionId>.aliyuncs.com (same rules as
    /// --upstream)
    #[arg(group = "aliyun", long, value_name = "URL", value_parser = upstream_oss)]
    pub upstream_oss: Option<String>,

    /// (aliyun) Send DLF ListCatalogs here instead of https://dlfnext.<regionId>.aliyuncs.com (same rules as
    /// --upstream)
    #[arg(group = "aliyun", long, value_name = "URL", value_parser = upstream_dlf)]
    pub upstream_dlf: Option<String>,

    /// (aliyun) Send RAM ListRoles and GetRole here instead of https://ram.aliyuncs.com (same rules as
    /// --upstream)
    #[arg(group = "aliyun", long, value_name = "URL", value_parser = upstream_ram)]
    pub upstream_ram: Option<String>,

    /// (aliyun) Send ResourceManager ListResourceGroups here instead of https://resourcemanager.aliyuncs.com
    /// (same rules as --upstream)
    #[arg(group = "aliyun", long, value_name = "URL", value_parser = upstream_resourcemanager)]
    pub upstream_resourcemanager: Option<String>,

    /// (aliyun) Time to connect to the upstream; then 502 or 504
    #[arg(group = "aliyun", long, value_name = "SECS", default_value = "5", value_parser = upstream_seconds, allow_negative_numbers = true)]
    pub connect_timeout: Duration,

    /// (aliyun) Time for a whole upstream call; then 504 UpstreamTimeout
    #[arg(group = "aliyun", long, value_name = "SECS", default_value = "30", value_parser = upstream_seconds, allow_negative_numbers = true)]
    pub timeout: Duration,

    /// Require Authorization: Bearer TOKEN on /api requests (the variable keeps it out of the process list)
    #[arg(
        long,
        value_name = "TOKEN",
        env = AUTH_TOKEN_VAR,
        hide_env_values = true,
        allow_hyphen_values = true
    )]
    pub auth_token: Option<String>,

    /// Allow cross-origin calls (CORS) from ORIGIN, e.g. https://admin.example.com; repeatable
    #[arg(long = "allow-origin", value_name = "ORIGIN", value_parser = origin::parse_origin)]
    pub allow_origins: Vec<String>,

    /// Also answer requests addressed to this host name (besides loopback names and the --listen address), and
    /// accept browser requests from its pages; repeatable
    #[arg(long = "allow-host", value_name = "HOST", value_parser = host_name)]
    pub allow_hosts: Vec<String>,

    /// Origins that may show the console in a frame ('self' allowed); by default none may
    #[arg(long, value_name = "ORIGIN", num_args = 1.., value_parser = csp::parse_frame_ancestor)]
    pub frame_ancestors: Vec<String>,

    /// Requests handled at once; more are answered 503 ServiceUnavailable
    #[arg(long, value_name = "N", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(1..=100_000), allow_negative_numbers = true)]
    pub max_concurrent: u32,

    /// Time for a request head to arrive (also how long an idle connection stays open)
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = limit_seconds, allow_negative_numbers = true)]
    pub header_timeout: Duration,

    /// Time for a request body to arrive; then 408 RequestTimeout
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = limit_seconds, allow_negative_numbers = true)]
    pub body_timeout: Duration,

    /// Time for a whole request; then 503 ServiceTimeout [default: 60, or more than the gateway's
    /// --connect-timeout plus --timeout]
    #[arg(long, value_name = "SECS", value_parser = limit_seconds, allow_negative_numbers = true)]
    pub request_timeout: Option<Duration>,

    /// Hold CreateWorkspace to this policy (JSON: fields and tags; see docs/platform-teams.md); the form reads it
    /// from GET /api/policy
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Append one JSON line per CreateWorkspace answered to FILE (- for standard output); a line that cannot be
    /// written refuses the create
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<String>,

    /// The request header that names the user in the audit log, such as X-Forwarded-User; only behind a proxy
    /// that overwrites it
    #[arg(long, value_name = "NAME", requires = "audit_log", value_parser = guardrails::audit::user_header)]
    pub user_header: Option<axum::http::HeaderName>,

    /// (emulator) Delay every API answer by this many milliseconds
    #[arg(group = "emulator", long, value_name = "MS", default_value_t = 0,
          value_parser = clap::value_parser!(u64).range(0..=600_000), allow_negative_numbers = true)]
    pub fault_latency: u64,

    /// (emulator) Answer this share of API requests (0 to 1) with --fault-code instead of carrying them out
    #[arg(group = "emulator", long, value_name = "P", default_value = "0", value_parser = probability, allow_negative_numbers = true)]
    pub fault_rate: f64,

    /// (emulator) The error of --fault-rate: Throttling.User (400), InternalError (500), ServiceUnavailable (503)
    #[arg(group = "emulator", long, value_name = "CODE", default_value = "ServiceUnavailable", value_parser = fault_code)]
    pub fault_code: FaultCode,

    /// (emulator) Carry out this share of API requests (0 to 1), then close the connection without an answer
    #[arg(group = "emulator", long, value_name = "P", default_value = "0", value_parser = probability, allow_negative_numbers = true)]
    pub fault_drop: f64,

    /// (emulator) Seed of the fault draws: the same seed gives the same faults for the same requests
    #[arg(group = "emulator", long, value_name = "N", default_value_t = 1)]
    pub fault_seed: u64,
}

fn seconds(v: &str, max: f64, zero_ok: bool) -> Result<Duration, String> {
    v.parse()
        .ok()
        .filter(|s: &f64| s.is_finite() && *s >= 0.0 && (zero_ok || *s > 0.0) && *s < max)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("“{v}” is not a number of seconds"))
}

fn startup_delay(v: &str) -> Result<Duration, String> {
    seconds(v, 86_400.0, true)
}

fn upstream_seconds(v: &str) -> Result<Duration, String> {
    seconds(v, 3_600.0, false)
}

fn limit_seconds(v: &str) -> Result<Duration, String> {
    seconds(v, 86_400.0, false)
}

fn probability(v: &str) -> Result<f64, String> {
    v.parse()
        .ok()
        .filter(|p: &f64| (0.0..=1.0).contains(p))
        .ok_or_else(|| format!("“{v}” is not a probability from 0 to 1"))
}

fn fault_code(v: &str) -> Result<FaultCode, String> {
    v.parse()
}

fn listen_address(v: &str) -> Result<SocketAddr, String> {
    v.parse()
        .map_err(|_| format!("“{v}” is not an address like 127.0.0.1:3000"))
}

fn dist_dir(v: &str) -> Result<PathBuf, String> {
    let dir = PathBuf::from(v);
    if !dir.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html (run `./dev build` first)",
            dir.display()
        ));
    }
    Ok(dir)
}

fn upstream(v: &str) -> Result<String, String> {
    gateway::parse_upstream(v)?;
    Ok(v.to_owned())
}

fn upstream_oss(v: &str) -> Result<String, String> {
    gateway::parse_upstream_flag("--upstream-oss", v)?;
    Ok(v.to_owned())
}

fn upstream_dlf(v: &str) -> Result<String, String> {
    gateway::parse_upstream_flag("--upstream-dlf", v)?;
    Ok(v.to_owned())
}

fn upstream_ram(v: &str) -> Result<String, String> {
    gateway::parse_upstream_flag("--upstream-ram", v)?;
    Ok(v.to_owned())
}

fn upstream_resourcemanager(v: &str) -> Result<String, String> {
    gateway::parse_upstream_flag("--upstream-resourcemanager", v)?;
    Ok(v.to_owned())
}

fn host_name(v: &str) -> Result<String, String> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_graphic()) || v.contains(['/', '@']) {
        return Err(format!("“{v}” is not a host name"));
    }
    Ok(v.to_owned())
}

/// The flags of this process; exits with clap's message (and status 2) on bad ones, or after `--help`.
pub fn parse() -> (Args, ArgMatches) {
    let matches = Args::command().get_matches();
    let args = Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    (args, matches)
}

/// The first flag of the other backend's group that was given: `(flag, backend it belongs to)`.
fn foreign_flag(args: &Args, matches: &ArgMatches) -> Option<(String, &'static str)> {
    let foreign = match args.backend {
        BackendKind::Emulator => "aliyun",
        BackendKind::Aliyun => "emulator",
    };
    let mut command = Args::command();
    // Arguments join their groups when the command is built.
    command.build();
    let group = command.get_groups().find(|g| g.get_id() == foreign)?;
    group
        .get_args()
        .find_map(|id| given(matches, id.as_str()))
        .map(|flag| (flag, foreign))
}

/// How a flag was given, if it was: the flag itself, or its environment variable.
fn given(matches: &ArgMatches, id: &str) -> Option<String> {
    let arg = Args::command()
        .get_arguments()
        .find(|a| a.get_id() == id)?
        .clone();
    match matches.value_source(id)? {
        ValueSource::CommandLine => Some(format!("--{}", arg.get_long().unwrap_or(id))),
        ValueSource::EnvVariable => arg
            .get_env()
            .map(|name| name.to_string_lossy().into_owned()),
        _ => None,
    }
}

/// The server's configuration from the parsed flags and the environment (`env` reads a variable). Refuses what
/// should not start: a flag of the other backend, a gateway without credentials, or one open to the network
/// without a token, and limits that cut off the gateway's own timeouts. Messages never repeat a secret.
pub fn build_config(
    args: &Args,
    matches: &ArgMatches,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Config, String> {
    if let Some((flag, backend)) = foreign_flag(args, matches) {
        return Err(format!("{flag} applies to --backend {backend} only"));
    }

    let verify_key = match &args.verify_key {
        None => None,
        Some(v)
            if v.is_empty() && given(matches, "verify_key").as_deref() == Some(VERIFY_KEY_VAR) =>
        {
            None
        }
        // The message must not repeat the value: it holds a secret.
        Some(v) => Some(
            v.split_once(':')
                .filter(|(id, secret)| !id.is_empty() && !secret.is_empty())
                .map(|(id, secret)| Credentials {
                    access_key_id: id.to_owned(),
                    access_key_secret: secret.to_owned(),
                    security_token: None,
                })
                .ok_or_else(|| {
                    format!(
                        "{}: expected ACCESS_KEY_ID:SECRET",
                        given(matches, "verify_key").unwrap_or_default()
                    )
                })?,
        ),
    };
    let token = match &args.auth_token {
        None => None,
        // An exported-but-empty variable is a common way of "unsetting" it.
        Some(t)
            if t.is_empty() && given(matches, "auth_token").as_deref() == Some(AUTH_TOKEN_VAR) =>
        {
            None
        }
        Some(t) if t.is_empty() || !t.bytes().all(|b| b.is_ascii_graphic()) => {
            return Err(format!(
                "{}: the token must be printable ASCII without spaces",
                given(matches, "auth_token").unwrap_or_default()
            ));
        }
        Some(t) => Some(t.clone()),
    };
    if verify_key.is_some() && token.is_some() {
        return Err(format!(
            "{} and {} both use the Authorization header; use one of them",
            given(matches, "verify_key").unwrap_or_default(),
            given(matches, "auth_token").unwrap_or_default()
        ));
    }

    let mut config = match args.backend {
        BackendKind::Emulator => {
            let emulator = Emulator::new(args.startup_delay);
            // A fixtures file that cannot be used stops start-up (the message names the file): an emulator
            // quietly answering from the demo account instead would make a test pass for the wrong reason.
            match &args.fixtures {
                Some(path) => Config::with_emulator(
                    emulator.with_account(Account::load(path).map_err(|e| e.to_string())?),
                ),
                None => Config::with_emulator(emulator),
            }
        }
        BackendKind::Aliyun => {
            if !args.listen.ip().is_loopback() && token.is_none() {
                return Err(format!(
                    "--backend aliyun on --listen {} (not loopback) needs --auth-token or {AUTH_TOKEN_VAR}: \
                     without one, anyone who reaches the port can spend money with these keys",
                    args.listen
                ));
            }
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
            gateway.upstream_oss = args.upstream_oss.clone();
            gateway.upstream_dlf = args.upstream_dlf.clone();
            gateway.upstream_ram = args.upstream_ram.clone();
            gateway.upstream_resourcemanager = args.upstream_resourcemanager.clone();
            Config::aliyun(gateway)?
        }
    };

    let longest = config.backend.longest_call();
    let mut limits = Limits {
        max_concurrent: args.max_concurrent as usize,
        header_timeout: args.header_timeout,
        body_timeout: args.body_timeout,
        ..config.limits
    };
    if let Some(limit) = args.request_timeout {
        if limit <= longest {
            return Err(format!(
                "--request-timeout must be above --connect-timeout plus --timeout ({} s), or a slow upstream \
                 would be cut off before its own timeout answers",
                longest.as_secs_f64()
            ));
        }
        limits.request_timeout = limit;
    }
    config = config.with_limits(limits);

    if args.backend == BackendKind::Emulator {
        if given(matches, "fault_code").is_some() && args.fault_rate == 0.0 {
            return Err("--fault-code needs --fault-rate above 0".into());
        }
        let faults = Faults::new(
            Duration::from_millis(args.fault_latency),
            args.fault_rate,
            args.fault_code,
            args.fault_drop,
            args.fault_seed,
        )?;
        if faults.any() {
            config = config.with_faults(faults);
        }
    }
    if let Some(dist) = &args.dist {
        config = config.with_dist(dist);
    }
    if let Some(path) = &args.policy {
        config = config.with_policy(guardrails::policy::load(path)?);
    }
    if let Some(target) = &args.audit_log {
        let mut log = AuditLog::open(target)?;
        if let Some(header) = &args.user_header {
            log = log.with_user_header(header.clone());
        }
        config = config.with_audit_log(log);
    }
    if let Some(key) = verify_key {
        config = config.with_verify_key(key);
    }
    if let Some(token) = token {
        config = config.with_auth_token(token);
    }
    // A specific address is a name the server is reached by; a wildcard one says nothing about which.
    let ip = args.listen.ip();
    let listen_name = (!ip.is_unspecified() && !ip.is_loopback()).then(|| ip.to_string());
    Ok(config
        .with_allow_origins(args.allow_origins.clone())
        .with_allowed_hosts(args.allow_hosts.iter().cloned().chain(listen_name))
        .with_frame_ancestors(args.frame_ancestors.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Backend,
        backend::gateway::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT},
    };

    fn parse(args: &[&str]) -> Result<(Args, ArgMatches), String> {
        let matches = Args::command()
            .try_get_matches_from(std::iter::once("workspace-server").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
        let args = Args::from_arg_matches(&matches).map_err(|e| e.to_string())?;
        Ok((args, matches))
    }

    fn env_of<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    /// The configuration, or the refusal, for these flags and variables.
    fn configure(args: &[&str], vars: &[(&str, &str)]) -> Result<Config, String> {
        let (args, matches) = parse(args)?;
        build_config(&args, &matches, env_of(vars))
    }

    const CREDENTIALS: [(&str, &str); 2] = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tAbCdEfGh"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s3cret"),
    ];

    #[test]
    fn the_flag_definitions_are_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn defaults_and_flags() {
        let (a, _) = parse(&[]).unwrap();
        assert_eq!(a.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(a.startup_delay, Duration::from_secs(10));
        assert_eq!(a.backend, BackendKind::Emulator);
        assert!(a.allow_origins.is_empty() && a.frame_ancestors.is_empty());
        assert_eq!(
            (a.connect_timeout, a.timeout),
            (DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT)
        );
        let config = configure(&[], &[]).ok().unwrap();
        assert_eq!(config.limits, Limits::default());
        assert!(config.faults.is_none() && config.allowed_hosts.is_empty());

        let (a, _) = parse(&[
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
            "--frame-ancestors",
            "https://admin.example.com",
            "self",
        ])
        .unwrap();
        assert_eq!(a.listen.port(), 0);
        assert_eq!(a.startup_delay, Duration::from_millis(500));
        assert_eq!(
            a.allow_origins,
            ["http://localhost:8080", "https://console.example.com"]
        );
        assert_eq!(a.allow_hosts, ["console.internal"]);
        assert_eq!(a.frame_ancestors, ["https://admin.example.com", "'self'"]);
        let config = configure(&["--verify-key", "testid:test:secret"], &[])
            .ok()
            .unwrap();
        let key = config.verify_key.unwrap();
        assert_eq!(
            (key.access_key_id.as_str(), key.access_key_secret.as_str()),
            ("testid", "test:secret")
        );

        let config = configure(
            &[
                "--backend=aliyun",
                "--upstream",
                "http://127.0.0.1:9000",
                "--connect-timeout",
                "1.5",
                "--timeout=2",
                "--auth-token",
                "tok-123",
                "--max-concurrent",
                "8",
                "--body-timeout",
                "2.5",
            ],
            &CREDENTIALS,
        )
        .ok()
        .unwrap();
        assert_eq!(config.auth_token.as_deref(), Some("tok-123"));
        assert_eq!(config.limits.max_concurrent, 8);
        assert_eq!(config.limits.body_timeout, Duration::from_millis(2500));
        assert_eq!(config.backend.longest_call(), Duration::from_millis(3500));

        let config = configure(
            &[
                "--fault-latency",
                "250",
                "--fault-rate",
                "0.25",
                "--fault-code",
                "Throttling.User",
                "--fault-drop=0.1",
                "--fault-seed",
                "42",
            ],
            &[],
        )
        .ok()
        .unwrap();
        let faults = config.faults.unwrap();
        assert_eq!(faults.latency, Duration::from_millis(250));
        assert_eq!(
            (faults.rate, faults.code, faults.drop, faults.seed),
            (0.25, FaultCode::Throttling, 0.1, 42)
        );
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        for (args, needle) in [
            (&["--listen", "nowhere"][..], "--listen"),
            (&["--startup-delay", "-1"][..], "--startup-delay"),
            (&["--startup-delay", "NaN"][..], "--startup-delay"),
            (&["--backend", "cloud"][..], "--backend"),
            (&["--dist", "/nonexistent"][..], "index.html"),
            (&["--listen"][..], "--listen"),
            (&["--bogus"][..], "--bogus"),
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
                &["--upstream-oss", "http://127.0.0.1:1"][..],
                "--upstream-oss applies to --backend aliyun only",
            ),
            (
                &["--backend", "aliyun", "--fixtures", "f.json"][..],
                "--fixtures applies to --backend emulator only",
            ),
            (
                &["--backend", "aliyun", "--verify-key", "a:b"][..],
                "emulator only",
            ),
            (
                &["--backend", "aliyun", "--startup-delay", "1"][..],
                "emulator only",
            ),
            (
                &["--backend", "aliyun", "--fault-rate", "0.5"][..],
                "--fault-rate applies to --backend emulator only",
            ),
            (&["--verify-key", "nocolon"][..], "ACCESS_KEY_ID:SECRET"),
            (&["--verify-key", ":secret"][..], "ACCESS_KEY_ID:SECRET"),
            (
                &["--verify-key", "a:b", "--auth-token", "t"][..],
                "Authorization",
            ),
            (&["--auth-token", "has space"][..], "--auth-token"),
            (&["--auth-token", ""][..], "--auth-token"),
            (&["--allow-origin", "*"][..], "--allow-origin"),
            (&["--allow-origin", "localhost:8080"][..], "--allow-origin"),
            (&["--allow-host", "a/b"][..], "--allow-host"),
            (&["--frame-ancestors", "*"][..], "--frame-ancestors"),
            (&["--frame-ancestors"][..], "--frame-ancestors"),
            (&["--max-concurrent", "0"][..], "--max-concurrent"),
            (&["--body-timeout", "0"][..], "--body-timeout"),
            (&["--fault-rate", "1.5"][..], "--fault-rate"),
            (
                &["--fault-rate", "0.6", "--fault-drop", "0.6"][..],
                "add up",
            ),
            (&["--fault-code", "Teapot"][..], "--fault-code"),
            (
                &["--fault-code", "InternalError"][..],
                "--fault-rate above 0",
            ),
            (&["--fault-latency", "-5"][..], "--fault-latency"),
        ] {
            let e = configure(args, &CREDENTIALS).err().unwrap_or_default();
            assert!(e.contains(needle), "{args:?}: {e}");
        }
        // Secrets given on the command line are not repeated in messages, not even one that looks like a flag.
        for args in [
            &["--verify-key", "s3cret-without-colon"][..],
            &["--auth-token", "s3cret token"],
            &["--auth-token", "-s3cret"],
            &["--verify-key", "-s3cret"],
            &["--verify-key", "id:s3cret", "--auth-token", "s3cret-too"],
        ] {
            let e = configure(args, &[]).err().unwrap_or_default();
            assert!(!e.contains("s3cret"), "{args:?}: {e}");
        }
    }

    #[test]
    fn the_gateway_needs_credentials() {
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
            let e = configure(&["--backend", "aliyun"], vars)
                .err()
                .unwrap_or_default();
            assert!(
                e.contains("ALIBABA_CLOUD_ACCESS_KEY_ID")
                    && e.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
                "{vars:?}: {e}"
            );
            assert!(!e.contains("s3cret") && !e.contains("sts-tok"), "{e}");
        }
        let mut vars = CREDENTIALS.to_vec();
        vars.push(("ALIBABA_CLOUD_SECURITY_TOKEN", "sts-tok"));
        let config = configure(&["--backend", "aliyun"], &vars).ok().unwrap();
        match &config.backend {
            Backend::Aliyun(g) => assert_eq!(g.key_hint(), "LTAI****EfGh (STS)"),
            _ => panic!("not the gateway"),
        }
        // The request limit stays above the gateway's own timeouts (5 + 30 s by default).
        assert!(config.limits.request_timeout > Duration::from_secs(35));
        // The emulator needs none.
        assert!(configure(&[], &[]).is_ok());
    }

    // The gateway open to the network with real keys and no token: anyone reaching the port spends money.
    #[test]
    fn the_gateway_on_a_non_loopback_address_needs_a_token() {
        for listen in ["0.0.0.0:3000", "192.168.1.5:3000", "[::]:3000"] {
            let e = configure(&["--backend", "aliyun", "--listen", listen], &CREDENTIALS)
                .err()
                .unwrap_or_default();
            assert!(e.contains("--auth-token") && e.contains(listen), "{e}");
            let config = configure(
                &[
                    "--backend",
                    "aliyun",
                    "--listen",
                    listen,
                    "--auth-token",
                    "t",
                ],
                &CREDENTIALS,
            );
            assert!(config.is_ok(), "{listen}");
        }
        assert!(
            configure(
                &["--backend", "aliyun", "--listen", "[::1]:3000"],
                &CREDENTIALS
            )
            .is_ok()
        );
    }

    // --upstream http:// to another machine would send signed calls and STS tokens in the clear.
    #[test]
    fn plain_http_upstreams_are_for_this_machine_only() {
        let e = configure(
            &[
                "--backend",
                "aliyun",
                "--upstream",
                "http://api.internal:8080",
            ],
            &CREDENTIALS,
        )
        .err()
        .unwrap_or_default();
        assert!(e.contains("--upstream") && e.contains("https://"), "{e}");
        // Each product's flag is held to the same rule, and its refusal names it.
        // Each product's flag reaches its own product.
        for (flag, product) in [
            ("--upstream-oss", "OSS"),
            ("--upstream-dlf", "DLF"),
            ("--upstream-ram", "RAM"),
            ("--upstream-resourcemanager", "ResourceManager"),
        ] {
            let config = configure(
                &["--backend", "aliyun", flag, "http://127.0.0.1:9003"],
                &CREDENTIALS,
            )
            .ok()
            .unwrap();
            assert!(
                config.backend.describe().ends_with(&format!(
                    ", {product} to http://127.0.0.1:9003 signing as LTAI****EfGh"
                )),
                "{flag}: {}",
                config.backend.describe()
            );
        }
        for flag in [
            "--upstream-oss",
            "--upstream-dlf",
            "--upstream-ram",
            "--upstream-resourcemanager",
        ] {
            let e = configure(
                &["--backend", "aliyun", flag, "http://10.0.0.5:9000"],
                &CREDENTIALS,
            )
            .err()
            .unwrap_or_default();
            assert!(e.contains(flag) && e.contains("https://"), "{e}");
            assert!(
                configure(
                    &["--backend", "aliyun", flag, "http://127.0.0.1:9000"],
                    &CREDENTIALS
                )
                .is_ok(),
                "{flag}"
            );
        }
        for ok in [
            "https://api.internal:8443",
            "http://127.0.0.1:9000",
            "http://localhost:9000",
        ] {
            assert!(
                configure(&["--backend", "aliyun", "--upstream", ok], &CREDENTIALS).is_ok(),
                "{ok}"
            );
        }
    }

    #[test]
    fn request_limits_stay_above_the_gateways_timeouts() {
        let e = configure(
            &[
                "--backend",
                "aliyun",
                "--timeout",
                "30",
                "--request-timeout",
                "20",
            ],
            &CREDENTIALS,
        )
        .err()
        .unwrap_or_default();
        assert!(e.contains("--request-timeout"), "{e}");
        let config = configure(
            &[
                "--backend",
                "aliyun",
                "--timeout",
                "2",
                "--connect-timeout",
                "1",
                "--request-timeout",
                "4",
            ],
            &CREDENTIALS,
        )
        .ok()
        .unwrap();
        assert_eq!(config.limits.request_timeout, Duration::from_secs(4));
        let config = configure(&["--backend", "aliyun", "--timeout", "100"], &CREDENTIALS)
            .ok()
            .unwrap();
        assert!(config.limits.request_timeout > Duration::from_secs(105));
    }

    #[test]
    fn hosts_always_checked_with_the_listen_address_allowed() {
        let config = configure(&[], &[]).ok().unwrap();
        assert!(config.allowed_hosts.is_empty());
        let config = configure(&["--listen", "0.0.0.0:3000"], &[]).ok().unwrap();
        assert!(config.allowed_hosts.is_empty(), "a wildcard names no host");
        let config = configure(
            &[
                "--listen",
                "192.168.1.5:3000",
                "--allow-host",
                "console.lan",
            ],
            &[],
        )
        .ok()
        .unwrap();
        assert_eq!(config.allowed_hosts, ["console.lan", "192.168.1.5"]);
    }
}
