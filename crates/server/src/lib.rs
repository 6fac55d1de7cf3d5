//! The workspace console's server: serves the built front end and the CreateWorkspace API.
//!
//! The API has two backends: an in-memory [`emulator`] (the default, for development and tests) and a signing
//! gateway to Alibaba Cloud. [`app`] builds the whole router, so tests drive it with `oneshot` and `main` only
//! parses flags and binds.

pub mod acs3;
pub mod api_error;
pub mod emulator;
pub mod ids;
pub mod input;

use std::{path::PathBuf, time::Instant};

use axum::{
    Router,
    extract::Request,
    http::StatusCode,
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{any, get, post},
};
use tower_http::{compression::CompressionLayer, services::ServeDir};

pub use api_error::ErrorReply;
pub use emulator::Emulator;

/// Where API calls go.
#[derive(Clone)]
pub enum Backend {
    /// Answer from memory.
    Emulator(Emulator),
}

/// Everything [`app`] needs.
#[derive(Clone)]
pub struct Config {
    pub backend: Backend,
    /// A built front end (`trunk build` output) to serve at `/`.
    pub dist: Option<PathBuf>,
}

impl Config {
    /// The emulator backend with the given startup delay, serving no front end.
    pub fn emulator(startup_delay: std::time::Duration) -> Config {
        Config {
            backend: Backend::Emulator(Emulator::new(startup_delay)),
            dist: None,
        }
    }

    pub fn with_dist(mut self, dist: impl Into<PathBuf>) -> Config {
        self.dist = Some(dist.into());
        self
    }
}

/// The whole server: API routes, Alibaba-style errors for everything else under `/api`, and the front end.
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
    };
    let api = api
        .route("/api", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .method_not_allowed_fallback(method_not_allowed);
    let router = match config.dist {
        Some(dist) => api.fallback_service(ServeDir::new(dist)),
        None => api.fallback(not_found),
    };
    router
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(log_line))
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

/// One line per request on stderr: method, path, status, latency. Query strings are left out of static paths
/// and kept for the API, where they only carry the region and list filters.
async fn log_line(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let uri = request.uri().clone();
    let response = next.run(request).await;
    if uri.path().starts_with("/api") {
        let request_id = response
            .headers()
            .get("x-acs-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        eprintln!(
            "{method} {uri} {} {}ms request_id={request_id}",
            response.status().as_u16(),
            started.elapsed().as_millis()
        );
    }
    response.into_response()
}
