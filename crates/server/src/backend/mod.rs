//! Where API calls go: the in-memory [`emulator`] or the signing [`gateway`], behind one route table
//! ([`Backend::routes`]) whose every route carries its operation's name for the access log.
//!
//! The handlers: `emulator/handlers.rs` and `gateway/handlers.rs` for the workspace operations,
//! `emulator/account.rs` and `gateway/account.rs` for the account listings; the parameters both read, in
//! [`params`].
//!
//! Adding an operation under `/api`:
//! 1. its path (a constant of `workspace_model`, as [`CREATE_WORKSPACE_PATH`] and [`Listing::path`] are), method
//!    and operation name in [`Backend::routes`];
//! 2. a handler in each backend, each taking extractors that answer a bad request themselves
//!    ([`params::RegionId`], [`params::WorkspaceId`], [`crate::http::extract::ApiQuery`],
//!    [`crate::http::extract::JsonBody`]) and returning `Result<_, ErrorReply>`;
//! 3. the gateway's handler forwards one [`gateway::Call`]; a call to another Alibaba Cloud product names its own
//!    [`gateway::Product`] (host and API version) beside [`gateway::EMR_SERVERLESS_SPARK`].

pub mod emulator;
pub mod gateway;
pub mod params;

use std::time::Duration;

use axum::{
    Router,
    http::StatusCode,
    middleware::{self, map_response_with_state},
    routing::{MethodRouter, any, get, post},
};
use workspace_model::{
    Listing,
    listing::{GET_ROLE, ROLE_ROUTE},
    request::CREATE_WORKSPACE_PATH,
};

use crate::{
    guardrails::audit,
    http::{access_log::tag_operation, error::ErrorReply},
};

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
    resource_groups: MethodRouter<S>,
    role: MethodRouter<S>,
}

impl<S: Clone + Send + Sync + 'static> Operations<S> {
    /// The one route table both backends share; anything else under `/api` is an Alibaba-style 404 or 405, so
    /// that no API path ever falls through to the page's files.
    fn router(self, state: S) -> Router {
        // Only the methods a route serves are tagged: its 405s name no operation.
        let named = |name: &'static str, route: MethodRouter<S>| {
            route.route_layer(map_response_with_state(name, tag_operation))
        };
        let listing = |l: Listing, route| (l.path(), named(l.operation(), route));
        let (buckets, catalogs, roles, resource_groups) = (
            listing(Listing::Buckets, self.buckets),
            listing(Listing::Catalogs, self.catalogs),
            listing(Listing::Roles, self.roles),
            listing(Listing::ResourceGroups, self.resource_groups),
        );
        Router::new()
            .route(
                CREATE_WORKSPACE_PATH,
                // The audit log (when there is one) wraps CreateWorkspace, and only it, in both backends.
                named(
                    "CreateWorkspace",
                    self.create.layer(middleware::from_fn(audit::record_create)),
                )
                .merge(named("ListWorkspaces", self.list)),
            )
            .route(
                &format!("{CREATE_WORKSPACE_PATH}/{{workspace_id}}"),
                named("GetWorkspace", self.get),
            )
            .route(buckets.0, buckets.1)
            .route(catalogs.0, catalogs.1)
            .route(roles.0, roles.1)
            .route(resource_groups.0, resource_groups.1)
            .route(ROLE_ROUTE, named(GET_ROLE, self.role))
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
                create: post(emulator::handlers::create),
                list: get(emulator::handlers::list),
                get: get(emulator::handlers::get),
                buckets: get(emulator::account::buckets),
                catalogs: get(emulator::account::catalogs),
                roles: get(emulator::account::roles),
                resource_groups: get(emulator::account::resource_groups),
                role: get(emulator::account::role),
            }
            .router(emulator),
            Backend::Aliyun(gateway) => Operations {
                create: post(gateway::handlers::create),
                list: get(gateway::handlers::list),
                get: get(gateway::handlers::get),
                buckets: get(gateway::account::buckets),
                catalogs: get(gateway::account::catalogs),
                roles: get(gateway::account::roles),
                resource_groups: get(gateway::account::resource_groups),
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

#[cfg(test)]
mod tests {
    use axum::{body::Body, http::Request};
    use tower::ServiceExt;

    use super::*;
    use crate::http::access_log::Operation;

    /// What the route table tags each answer with: the route's own operation, whatever the answer's status.
    #[tokio::test]
    async fn every_route_names_its_operation() {
        let routes = Backend::Emulator(Emulator::new(Duration::ZERO)).routes();
        let body = workspace_model::request::CREATE_WORKSPACE_PATH;
        for (method, path, operation) in [
            ("POST", body, Some("CreateWorkspace")),
            (
                "GET",
                "/api/v1/workspaces?regionId=cn-hangzhou",
                Some("ListWorkspaces"),
            ),
            (
                "HEAD",
                "/api/v1/workspaces?regionId=cn-hangzhou",
                Some("ListWorkspaces"),
            ),
            (
                "GET",
                "/api/v1/workspaces/w-1?regionId=cn-hangzhou",
                Some("GetWorkspace"),
            ),
            // Refused by its extractors: still that operation.
            (
                "GET",
                "/api/v1/workspaces/%zz?regionId=cn-hangzhou",
                Some("GetWorkspace"),
            ),
            (
                "GET",
                "/api/account/buckets?regionId=cn-hangzhou",
                Some("ListBuckets"),
            ),
            (
                "GET",
                "/api/account/catalogs?regionId=mars-1",
                Some("ListCatalogs"),
            ),
            ("GET", "/api/account/roles", Some("ListRoles")),
            ("GET", "/api/account/roles/R", Some("GetRole")),
            ("GET", "/api/account/roles/a%2Fb", Some("GetRole")),
            ("GET", "/api/v1/workspaces/", None),
            ("GET", "/api/v1/workspaces/w-1/x", None),
            ("DELETE", "/api/v1/workspaces/w-1", None),
            ("GET", "/api/v1/workspacesX", None),
            ("GET", "/api/account/roles/", None),
            ("GET", "/api/account/roles/R/x", None),
            ("POST", "/api/account/buckets", None),
            ("GET", "/api/account", None),
        ] {
            let request = Request::builder()
                .method(method)
                .uri(path)
                .body(Body::empty())
                .unwrap();
            let response = routes.clone().oneshot(request).await.unwrap();
            assert_eq!(
                response.extensions().get::<Operation>().map(|o| o.0),
                operation,
                "{method} {path}: {}",
                response.status()
            );
        }
        for listing in Listing::ALL {
            let request = Request::get(format!("{}?regionId=cn-hangzhou", listing.path()))
                .body(Body::empty())
                .unwrap();
            let response = routes.clone().oneshot(request).await.unwrap();
            assert_eq!(
                response.extensions().get::<Operation>(),
                Some(&Operation(listing.operation())),
                "{listing:?}"
            );
        }
    }
}
