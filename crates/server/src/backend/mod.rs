//! Where API calls go: the in-memory [`emulator`] or the signing [`gateway`], behind one route table.
//!
//! Adding an operation under `/api`:
//! 1. its path (a constant of `workspace_model`, as [`CREATE_WORKSPACE_PATH`] is) and method in
//!    [`Backend::routes`];
//! 2. a handler in `emulator/handlers.rs` and one in `gateway/handlers.rs`, each taking extractors that answer a
//!    bad request themselves ([`params::RegionId`], [`crate::http::extract::ApiQuery`],
//!    [`crate::http::extract::JsonBody`]) and returning `Result<_, ErrorReply>`;
//! 3. the gateway's handler forwards one [`gateway::Call`]; a call to another Alibaba Cloud product names its own
//!    [`gateway::Product`] (host and API version) beside [`gateway::EMR_SERVERLESS_SPARK`];
//! 4. its operation name for the log line in [`crate::http::access_log::operation`].

pub mod emulator;
pub mod gateway;
pub mod params;

use std::time::Duration;

use axum::{
    Router,
    http::StatusCode,
    middleware,
    routing::{MethodRouter, any, get, post},
};
use workspace_model::{Listing, listing::ROLE_ROUTE, request::CREATE_WORKSPACE_PATH};

use crate::{guardrails::audit, http::error::ErrorReply};

pub use emulator::Emulator;
pub use gateway::Gateway;

/// Everything under this path is the API's: its routes, or its JSON 404.
pub const API_ROOT: &str = "/api";

/// Where API calls go.
#[derive(Clone)]
pub enum Backend {
    /// Answer from memory.
    Emulator(Emulator),
    /// Sign and forward to Alibaba Cloud (or the `--upstream` base URL).
    Aliyun(Gateway),
}

/// The API's routes, at their full paths, with one backend's handlers.
struct Operations<S> {
    create: MethodRouter<S>,
    list: MethodRouter<S>,
    get: MethodRouter<S>,
    buckets: MethodRouter<S>,
    catalogs: MethodRouter<S>,
    roles: MethodRouter<S>,
    role: MethodRouter<S>,
}

impl<S: Clone + Send + Sync + 'static> Operations<S> {
    /// The one route table both backends share; anything else under `/api` is an Alibaba-style 404 or 405, so
    /// that no API path ever falls through to the page's files.
    fn router(self, state: S) -> Router {
        Router::new()
            .route(CREATE_WORKSPACE_PATH, self.create.merge(self.list))
            .route(
                &format!("{CREATE_WORKSPACE_PATH}/{{workspace_id}}"),
                self.get,
            )
            .route(Listing::Buckets.path(), self.buckets)
            .route(Listing::Catalogs.path(), self.catalogs)
            .route(Listing::Roles.path(), self.roles)
            .route(ROLE_ROUTE, self.role)
            .route(API_ROOT, any(not_found))
            .route(&format!("{API_ROOT}/"), any(not_found))
            .route(&format!("{API_ROOT}/{{*rest}}"), any(not_found))
            .method_not_allowed_fallback(method_not_allowed)
            .with_state(state)
    }
}

impl Backend {
    /// The API's routes at their full paths, and a 404 for every other path under [`API_ROOT`], answered by
    /// this backend's handlers.
    pub fn routes(self) -> Router {
        match self {
            Backend::Emulator(emulator) => Operations {
                create: post(emulator::handlers::create)
                    .layer(middleware::from_fn(audit::record_create)),
                list: get(emulator::handlers::list),
                get: get(emulator::handlers::get),
                buckets: get(emulator::account::buckets),
                catalogs: get(emulator::account::catalogs),
                roles: get(emulator::account::roles),
                role: get(emulator::account::role),
            }
            .router(emulator),
            Backend::Aliyun(gateway) => Operations {
                create: post(gateway::handlers::create)
                    .layer(middleware::from_fn(audit::record_create)),
                list: get(gateway::handlers::list),
                get: get(gateway::handlers::get),
                buckets: get(gateway::account::buckets),
                catalogs: get(gateway::account::catalogs),
                roles: get(gateway::account::roles),
                role: get(gateway::account::role),
            }
            .router(gateway),
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

pub async fn not_found() -> ErrorReply {
    ErrorReply::not_found_api()
}

async fn method_not_allowed() -> ErrorReply {
    ErrorReply::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "UnsupportedHTTPMethod",
        "This path does not accept that HTTP method.",
    )
}
