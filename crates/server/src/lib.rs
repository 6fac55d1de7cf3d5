//! The workspace console's server: serves the built front end and the CreateWorkspace API.
//!
//! The API has two backends: an in-memory [`emulator`] (the default, for development and tests) and a signing
//! gateway to Alibaba Cloud. [`app`] builds the whole router, so tests drive it with `oneshot`; [`serve()`] adds
//! the request-head timeout on a real listener; `main` only parses flags and binds.

pub mod access_log;
pub mod account;
pub mod acs3;
pub mod api_error;
pub mod emulator;
pub mod faults;
pub mod gateway;
pub mod ids;
pub mod input;
pub mod limits;
pub mod page;
pub mod protect;
pub mod serve;
pub mod verify;

use std::{path::PathBuf, sync::Arc, time::Duration};

use axum::{
    Router,
    handler::Handler,
    http::{HeaderValue, StatusCode, header},
    middleware,
    routing::{get, post},
};
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer};

pub use access_log::{LogLine, Logger, operation};
pub use api_error::ErrorReply;
pub use emulator::Emulator;
pub use faults::{FaultCode, Faults};
pub use gateway::{Gateway, GatewayConfig};
pub use limits::Limits;
pub use serve::serve;

use crate::{
    acs3::Credentials,
    protect::{AllowedHosts, AllowedOrigins, OriginPolicy, TokenDigest},
};

/// Where API calls go.
#[derive(Clone)]
pub enum Backend {
    /// Answer from memory.
    Emulator(Emulator),
    /// Sign and forward to Alibaba Cloud (or the `--upstream` base URL).
    Aliyun(Gateway),
}

impl Backend {
    /// The three operations at their paths under `/api`, answered by this backend's handlers.
    fn routes(self) -> Router {
        match self {
            Backend::Emulator(emulator) => operations(
                emulator::create_handler,
                emulator::list_handler,
                emulator::get_handler,
            )
            .with_state(emulator),
            Backend::Aliyun(gateway) => operations(
                gateway::create_handler,
                gateway::list_handler,
                gateway::get_handler,
            )
            .with_state(gateway),
        }
    }

    /// What the start-up line says about it: never a secret.
    pub fn describe(&self) -> String {
        match self {
            Backend::Emulator(_) => "emulator backend".to_owned(),
            Backend::Aliyun(g) => format!(
                "aliyun gateway to {} signing as {}",
                g.describe(),
                g.key_hint()
            ),
        }
    }

    /// The longest one API call may legitimately take (the gateway waits for its upstream); the per-request limit
    /// must be above it, or a slow upstream would be cut off with the wrong error.
    pub fn longest_call(&self) -> Duration {
        match self {
            Backend::Emulator(_) => Duration::ZERO,
            Backend::Aliyun(g) => g.longest_call(),
        }
    }
}

/// The one route table both backends share.
fn operations<S, C, CT, L, LT, G, GT>(create: C, list: L, get_one: G) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    C: Handler<CT, S>,
    L: Handler<LT, S>,
    G: Handler<GT, S>,
    CT: 'static,
    LT: 'static,
    GT: 'static,
{
    Router::new()
        .route("/v1/workspaces", post(create).get(list))
        .route("/v1/workspaces/{workspace_id}", get(get_one))
}

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
    /// Host names answered besides loopback ones (against DNS rebinding): `main` puts the `--listen` address and
    /// every `--allow-host` here. The check itself is always on.
    pub allowed_hosts: Vec<String>,
    /// Origins that may show the page in a frame (`'self'` allowed); none by default.
    pub frame_ancestors: Vec<String>,
    pub limits: Limits,
    /// Faults to inject into API answers (`--fault-…`, emulator only in the binary).
    pub faults: Option<Faults>,
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
        let mut limits = Limits::default();
        limits.request_timeout = limits
            .request_timeout
            .max(backend.longest_call() + Duration::from_secs(5));
        Config {
            backend,
            dist: None,
            verify_key: None,
            allow_origins: Vec::new(),
            auth_token: None,
            allowed_hosts: Vec::new(),
            frame_ancestors: Vec::new(),
            limits,
            faults: None,
            logger: access_log::tracing_logger(),
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
        self.allowed_hosts = hosts.into_iter().map(Into::into).collect();
        self
    }

    /// Origins (see [`page::parse_frame_ancestor`]) that may frame the page.
    pub fn with_frame_ancestors(
        mut self,
        ancestors: impl IntoIterator<Item = impl Into<String>>,
    ) -> Config {
        self.frame_ancestors = ancestors.into_iter().map(Into::into).collect();
        self
    }

    pub fn with_limits(mut self, limits: Limits) -> Config {
        self.limits = limits;
        self
    }

    pub fn with_faults(mut self, faults: Faults) -> Config {
        self.faults = Some(faults);
        self
    }

    pub fn with_logger(mut self, logger: impl Fn(&str) + Send + Sync + 'static) -> Config {
        self.logger = Arc::new(logger);
        self
    }
}

/// `Content-Security-Policy` of API answers: JSON that nothing should ever render or frame.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// The whole server: the API under `/api` with its own layers, and the front end (or Alibaba-style 404s)
/// everywhere else.
///
/// Layers, outermost first. For every request: `X-Content-Type-Options`, the concurrency limit, the time limits,
/// compression. For `/api`: its `Content-Security-Policy`, the log line, the `Host` check, CORS, the `Origin`
/// check, the token check, signature verification, injected faults, then the routes. For the page: the `Host`
/// check, its `Content-Security-Policy`, the cache policy, the files.
pub fn app(config: Config) -> Router {
    let hosts = AllowedHosts::new(&config.allowed_hosts);

    let mut api = config
        .backend
        .routes()
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    if let Some(faults) = config.faults.filter(Faults::any) {
        api = api.layer(middleware::from_fn_with_state(faults, faults::inject));
    }
    if let Some(key) = config.verify_key {
        api = api.layer(middleware::from_fn_with_state(
            verify::Verifier::new(key),
            verify::verify_signature,
        ));
    }
    if let Some(token) = &config.auth_token {
        api = api.layer(middleware::from_fn_with_state(
            TokenDigest::new(token),
            protect::require_token,
        ));
    }
    let origins: Arc<[String]> = config.allow_origins.into();
    api = api.layer(middleware::from_fn_with_state(
        OriginPolicy {
            origins: origins.clone(),
            hosts: hosts.clone(),
        },
        protect::check_origin,
    ));
    if !origins.is_empty() {
        api = api.layer(middleware::from_fn_with_state(
            AllowedOrigins(origins),
            protect::cors,
        ));
    }
    let api = api
        .layer(middleware::from_fn_with_state(
            hosts.clone(),
            protect::check_host,
        ))
        .layer(middleware::from_fn_with_state(
            config.logger,
            access_log::log_line,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_CSP),
        ));

    let page = match config.dist {
        Some(dist) => page::router(dist, page::PagePolicy::new(&config.frame_ancestors)),
        None => Router::new().fallback(not_found),
    }
    .layer(middleware::from_fn_with_state(hosts, protect::check_host));

    let limits = config.limits;
    Router::new()
        // `nest` covers `/api` and `/api/…` but not `/api/` itself, which is still the API's (a JSON 404 behind
        // the same layers), not a file.
        .route_service("/api/", api.clone().into_service::<axum::body::Body>())
        .nest("/api", api)
        .fallback_service(page)
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(limits, limits::deadlines))
        .layer(middleware::from_fn_with_state(
            limits::InFlight::new(limits.max_concurrent),
            limits::limit_concurrency,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
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
