//! The workspace console's server: serves the built front end and the CreateWorkspace API.
//!
//! - [`http`]: serving, reading requests, limits, the access log and error replies;
//! - [`protect`]: the host, origin, token and CORS checks, `--verify-key` signatures and the page's policy;
//! - [`backend`]: where API calls go, the in-memory [`emulator`] (with its account's fixtures) or the signing
//!   [`gateway`], with the one route table both share, each route carrying its operation's name;
//! - [`guardrails`]: a platform team's `--policy` and `--audit-log`;
//! - [`aliyun`]: Alibaba Cloud's protocols: the ACS3 signer and verifier, OSS Signature V4 and its XML, DLF, RAM
//!   and ResourceManager;
//! - [`cli`]: the binary's flags, turned into a [`Config`]; [`clock`], [`expiring`] and [`ids`]: small helpers.
//!
//! The dependencies run one way: `http` (serving, reading requests, the log) names neither `backend` nor
//! `protect`; those two use it, and `aliyun` (the gateway signs with it, `--verify-key` verifies with it). The
//! listing routes' paths and reply shapes are the model's ([`workspace_model::listing`]), shared with the page.
//!
//! [`app`] builds the whole router, so tests drive it with `oneshot`; [`serve()`] adds the request-head timeout
//! on a real listener; `main` only parses flags and binds.

pub mod aliyun;
pub mod backend;
pub mod cli;
pub mod clock;
mod config;
pub mod expiring;
pub mod guardrails;
pub mod http;
pub mod ids;
pub mod protect;

use axum::{
    Extension, Router,
    error_handling::HandleErrorLayer,
    http::{HeaderValue, header},
    middleware,
};
use tower::ServiceBuilder;
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer};

pub use aliyun::acs3::{self, Credentials};
pub use backend::{
    Backend,
    emulator::{
        self, Emulator, faults, faults::FaultCode, faults::Faults, fixtures, fixtures::Account,
    },
    gateway::{self, Gateway, GatewayConfig},
};
pub use config::Config;
pub use guardrails::{AuditLog, Guardrails};
pub use http::{
    access_log::{LogLine, Logger, Operation},
    error::ErrorReply,
    limits::{self, Limits},
    serve::serve,
};

use crate::protect::{
    csp::{self, PagePolicy},
    host::{self, AllowedHosts},
    origin::{self, AllowedOrigins, OriginPolicy},
    signature::{self, Verifier},
    token::{self, TokenDigest},
};

/// The whole server: the API under `/api` behind its checks, and the front end (or Alibaba-style 404s) everywhere
/// else, both behind the limits every request meets. Each stack reads from the outside in.
pub fn app(config: Config) -> Router {
    let hosts = AllowedHosts::new(&config.allowed_hosts);
    let origins: std::sync::Arc<[String]> = config.allow_origins.into();

    let api = config
        .backend
        .routes()
        .route(
            guardrails::policy::POLICY_PATH,
            axum::routing::get(guardrails::policy::get).route_layer(
                middleware::map_response_with_state("GetPolicy", http::access_log::tag_operation),
            ),
        )
        .layer(Extension(config.guardrails))
        .layer(
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(csp::API_CSP),
                ))
                .layer(middleware::from_fn_with_state(
                    config.logger,
                    http::access_log::log_line,
                ))
                .layer(middleware::from_fn_with_state(
                    hosts.clone(),
                    host::check_host,
                ))
                // Before the token check: browsers send preflights without credentials.
                .option_layer((!origins.is_empty()).then(|| {
                    middleware::from_fn_with_state(AllowedOrigins(origins.clone()), origin::cors)
                }))
                .layer(middleware::from_fn_with_state(
                    OriginPolicy {
                        origins,
                        hosts: hosts.clone(),
                    },
                    origin::check_origin,
                ))
                .option_layer(config.auth_token.as_deref().map(|token| {
                    middleware::from_fn_with_state(TokenDigest::new(token), token::require_token)
                }))
                .option_layer(config.verify_key.map(|key| {
                    middleware::from_fn_with_state(Verifier::new(key), signature::verify_signature)
                }))
                .option_layer(
                    config
                        .faults
                        .filter(Faults::any)
                        .map(|faults| middleware::from_fn_with_state(faults, faults::inject)),
                ),
        );

    let page = match config.dist {
        Some(dist) => http::page::router(dist).layer(middleware::from_fn_with_state(
            PagePolicy::new(&config.frame_ancestors),
            csp::content_security_policy,
        )),
        None => Router::new().fallback(backend::not_found),
    }
    .layer(middleware::from_fn_with_state(hosts, host::check_host));

    let limits = config.limits;
    // The page is the fallback, added after the API's layers so that they stay the API's.
    api.fallback_service(page).layer(
        ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(HandleErrorLayer::new(move |error| async move {
                http::limits::refusal(error, limits)
            }))
            .load_shed()
            .layer(limits.concurrency_layer())
            .timeout(limits.request_timeout)
            // Hand-written: tower-http's body timeout restarts with every frame, so a byte every few seconds
            // would hold a request for ever.
            .layer(middleware::from_fn_with_state(
                limits.body_timeout,
                http::limits::body_deadline,
            ))
            .layer(CompressionLayer::new()),
    )
}
