//! The workspace console's server: serves the built front end and the CreateWorkspace API.
//!
//! The API has two backends: an in-memory [`emulator`] (the default, for development and tests) and a signing
//! gateway to Alibaba Cloud. [`app`] builds the whole router, so tests drive it with `oneshot` and `main` only
//! parses flags and binds.

pub mod acs3;
pub mod api_error;
pub mod emulator;
pub mod gateway;
pub mod ids;
pub mod input;
pub mod protect;
pub mod verify;

use std::{
    fmt,
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{any, get, post},
};
use tower_http::{compression::CompressionLayer, services::ServeDir};

pub use api_error::ErrorReply;
pub use emulator::Emulator;
pub use gateway::{Gateway, GatewayConfig};

use crate::{acs3::Credentials, input::QueryParams};

/// Where API calls go.
#[derive(Clone)]
pub enum Backend {
    /// Answer from memory.
    Emulator(Emulator),
    /// Sign and forward to Alibaba Cloud (or the `--upstream` base URL).
    Aliyun(Gateway),
}

/// Receives the one log line of each API request. Defaults to stderr; tests collect the lines.
pub type Logger = Arc<dyn Fn(&str) + Send + Sync>;

/// Everything [`app`] needs.
#[derive(Clone)]
pub struct Config {
    pub backend: Backend,
    /// A built front end (`trunk build` output) to serve at `/`.
    pub dist: Option<PathBuf>,
    /// When set, every `/api` request must be ACS3-signed with this key (for the emulator: proves that a client,
    /// or the gateway in front of it, signs correctly).
    pub verify_key: Option<Credentials>,
    /// Origins that may call from another site (CORS); none by default, so no CORS headers at all.
    pub allow_origins: Vec<String>,
    /// When set, `/api` requests need `Authorization: Bearer <token>`.
    pub auth_token: Option<String>,
    /// When set, only requests whose `Host` is a loopback name or address, or one of these names, are answered
    /// (against DNS rebinding). `main` sets it when listening on loopback.
    pub allowed_hosts: Option<Vec<String>>,
    pub logger: Logger,
}

impl Config {
    /// The emulator backend with the given startup delay, serving no front end.
    pub fn emulator(startup_delay: Duration) -> Config {
        Config::with_backend(Backend::Emulator(Emulator::new(startup_delay)))
    }

    /// The signing gateway; fails on credentials that cannot be sent or an `upstream` that is not a base URL.
    pub fn aliyun(gateway: GatewayConfig) -> Result<Config, String> {
        Ok(Config::with_backend(Backend::Aliyun(Gateway::new(
            gateway,
        )?)))
    }

    fn with_backend(backend: Backend) -> Config {
        Config {
            backend,
            dist: None,
            verify_key: None,
            allow_origins: Vec::new(),
            auth_token: None,
            allowed_hosts: None,
            logger: Arc::new(|line: &str| eprintln!("{line}")),
        }
    }

    pub fn with_dist(mut self, dist: impl Into<PathBuf>) -> Config {
        self.dist = Some(dist.into());
        self
    }

    pub fn with_verify_key(mut self, key: Credentials) -> Config {
        self.verify_key = Some(key);
        self
    }

    /// Origins in the form `scheme://host[:port]` (see [`protect::parse_origin`]).
    pub fn with_allow_origins(
        mut self,
        origins: impl IntoIterator<Item = impl Into<String>>,
    ) -> Config {
        self.allow_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    pub fn with_auth_token(mut self, token: impl Into<String>) -> Config {
        self.auth_token = Some(token.into());
        self
    }

    pub fn with_allowed_hosts(
        mut self,
        hosts: impl IntoIterator<Item = impl Into<String>>,
    ) -> Config {
        self.allowed_hosts = Some(hosts.into_iter().map(Into::into).collect());
        self
    }

    pub fn with_logger(mut self, logger: impl Fn(&str) + Send + Sync + 'static) -> Config {
        self.logger = Arc::new(logger);
        self
    }
}

/// Whether a path is the API's (and so gets Alibaba-style errors, the token check and a log line).
pub fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// The API operation a method and path call, if any.
pub fn operation(method: &Method, path: &str) -> Option<&'static str> {
    let rest = path.strip_prefix("/api/v1/workspaces")?;
    match (method.as_str(), rest) {
        ("POST", "") => Some("CreateWorkspace"),
        ("GET" | "HEAD", "") => Some("ListWorkspaces"),
        ("GET" | "HEAD", id) if id.len() > 1 && id.starts_with('/') && !id[1..].contains('/') => {
            Some("GetWorkspace")
        }
        _ => None,
    }
}

/// The whole server: API routes, Alibaba-style errors for everything else under `/api`, and the front end.
///
/// Layers, outermost first: the log line, the `Host` check, CORS, compression, the token check, signature
/// verification, then the routes.
pub fn app(config: Config) -> Router {
    let api = match config.backend {
        Backend::Emulator(emulator) => Router::new()
            .route(
                "/api/v1/workspaces",
                post(emulator::create_handler).get(emulator::list_handler),
            )
            .route(
                "/api/v1/workspaces/{workspace_id}",
                get(emulator::get_handler),
            )
            .with_state(emulator),
        Backend::Aliyun(gateway) => Router::new()
            .route(
                "/api/v1/workspaces",
                post(gateway::create_handler).get(gateway::list_handler),
            )
            .route(
                "/api/v1/workspaces/{workspace_id}",
                get(gateway::get_handler),
            )
            .with_state(gateway),
    };
    let api = api
        .route("/api", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .method_not_allowed_fallback(method_not_allowed);
    let mut router = match config.dist {
        Some(dist) => api.fallback_service(
            Router::new()
                .fallback_service(ServeDir::new(dist))
                .layer(middleware::from_fn(cache_policy)),
        ),
        None => api.fallback(not_found),
    };
    if let Some(key) = config.verify_key {
        router = router.layer(middleware::from_fn_with_state(
            verify::Verifier::new(key),
            verify::verify_signature,
        ));
    }
    if let Some(token) = &config.auth_token {
        router = router.layer(middleware::from_fn_with_state(
            protect::TokenDigest::new(token),
            protect::require_token,
        ));
    }
    router = router.layer(CompressionLayer::new());
    if !config.allow_origins.is_empty() {
        router = router.layer(middleware::from_fn_with_state(
            protect::AllowedOrigins(config.allow_origins.into()),
            protect::cors,
        ));
    }
    if let Some(hosts) = config.allowed_hosts {
        router = router.layer(middleware::from_fn_with_state(
            protect::AllowedHosts(hosts.into()),
            protect::check_host,
        ));
    }
    router.layer(middleware::from_fn_with_state(config.logger, log_line))
}

/// Trunk names assets after their content hash (`main-877dfad4fb299982.css`), so those can be cached for good;
/// everything else, `index.html` above all, is revalidated so a new build is picked up at once.
async fn cache_policy(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let policy = if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// Whether a file name carries a 16-hex-digit content hash, as trunk writes them.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    stem.split(['-', '_'])
        .any(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn not_found() -> ErrorReply {
    ErrorReply::not_found_api()
}

async fn method_not_allowed() -> ErrorReply {
    ErrorReply::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "UnsupportedHTTPMethod",
        "This path does not accept that HTTP method.",
    )
}

/// The one log line of an API request. Built only from the method, path, region, status, latency and request
/// ids, so no header (and so no signature, token or key) can end up in a log.
#[derive(Clone, Debug)]
pub struct LogLine<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub operation: Option<&'a str>,
    pub region: Option<&'a str>,
    pub status: u16,
    pub latency: Duration,
    /// `x-acs-request-id` of the answer.
    pub request_id: Option<&'a str>,
    /// For the gateway: `Some` when the upstream answered, holding its request id if it gave one.
    pub upstream_request_id: Option<Option<&'a str>>,
}

/// Printable ASCII only, at most 120 characters: a value from the request cannot forge log lines.
fn clean(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(120)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect();
    if s.chars().count() > 120 {
        out.push('…');
    }
    out
}

impl fmt::Display for LogLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} op={} region={} status={} latency={}ms request_id={}",
            clean(self.method),
            clean(self.path),
            self.operation.unwrap_or("-"),
            self.region.map(clean).unwrap_or_else(|| "-".into()),
            self.status,
            self.latency.as_millis(),
            self.request_id.map(clean).unwrap_or_else(|| "-".into()),
        )?;
        if let Some(upstream) = self.upstream_request_id {
            write!(
                f,
                " upstream_request_id={}",
                upstream.map(clean).unwrap_or_else(|| "-".into())
            )?;
        }
        Ok(())
    }
}

/// One line per API request through the [`Logger`]: method, path (no query), operation, region, status,
/// latency and request ids.
async fn log_line(State(logger): State<Logger>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let uri = request.uri().clone();
    let response = next.run(request).await;
    if is_api(uri.path()) {
        let query = QueryParams::parse(uri.query());
        let request_id = response
            .headers()
            .get("x-acs-request-id")
            .and_then(|v| v.to_str().ok());
        let upstream = response.extensions().get::<gateway::UpstreamAnswer>();
        let line = LogLine {
            method: method.as_str(),
            path: uri.path(),
            operation: operation(&method, uri.path()),
            region: query.get("regionId"),
            status: response.status().as_u16(),
            latency: started.elapsed(),
            request_id,
            upstream_request_id: upstream.map(|u| u.request_id.as_deref()),
        };
        logger(&line.to_string());
    }
    response.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations() {
        let op = |m: Method, p: &str| operation(&m, p);
        assert_eq!(
            op(Method::POST, "/api/v1/workspaces"),
            Some("CreateWorkspace")
        );
        assert_eq!(
            op(Method::GET, "/api/v1/workspaces"),
            Some("ListWorkspaces")
        );
        assert_eq!(
            op(Method::GET, "/api/v1/workspaces/w-1"),
            Some("GetWorkspace")
        );
        assert_eq!(op(Method::GET, "/api/v1/workspaces/"), None);
        assert_eq!(op(Method::GET, "/api/v1/workspaces/w-1/x"), None);
        assert_eq!(op(Method::DELETE, "/api/v1/workspaces/w-1"), None);
        assert_eq!(op(Method::GET, "/api/v1/workspacesX"), None);
        assert!(is_api("/api") && is_api("/api/v1") && !is_api("/apix") && !is_api("/"));
    }

    #[test]
    fn log_lines_cannot_be_forged() {
        let line = LogLine {
            method: "GET",
            path: "/api/v1/workspaces",
            operation: Some("ListWorkspaces"),
            region: Some("cn-hangzhou\nfake line"),
            status: 200,
            latency: Duration::from_millis(12),
            request_id: Some("ABC"),
            upstream_request_id: Some(None),
        }
        .to_string();
        assert_eq!(
            line,
            "GET /api/v1/workspaces op=ListWorkspaces region=cn-hangzhou?fake?line status=200 latency=12ms \
             request_id=ABC upstream_request_id=-"
        );
        let long = "x".repeat(500);
        let line = LogLine {
            region: Some(&long),
            upstream_request_id: None,
            ..LogLine {
                method: "POST",
                path: "/api/v1/workspaces",
                operation: None,
                region: None,
                status: 400,
                latency: Duration::ZERO,
                request_id: None,
                upstream_request_id: None,
            }
        }
        .to_string();
        assert!(
            line.len() < 300 && !line.contains("upstream") && line.contains("op=-"),
            "{line}"
        );
    }
}
