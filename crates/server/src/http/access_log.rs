//! One log line per API request. Built only from the method, path, region, status, latency and request ids, so
//! no header (and so no signature, token or key) can end up in a log.

use std::{fmt, sync::Arc, time::Duration};

use axum::{
    extract::{OriginalUri, Request, State},
    middleware::Next,
    response::Response,
};
use tokio::time::Instant;

use crate::http::extract::{RegionQuery, parse_query};

/// Receives the one log line of each API request. By default a `tracing` event (target
/// `workspace_server::access`); tests collect the lines instead.
pub type Logger = Arc<dyn Fn(&str) + Send + Sync>;

/// The default [`Logger`].
pub fn tracing_logger() -> Logger {
    Arc::new(|line: &str| tracing::info!(target: "workspace_server::access", "{line}"))
}

/// The API operation a route serves. The route table tags each route's answers with it ([`tag_operation`]),
/// so the log names exactly what the router matched; a request refused before it reached a route (a host,
/// origin, token or signature check, an injected fault) has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation(pub &'static str);

/// Marks a response that came from the upstream, for the log line: the upstream's request id, if it gave one.
#[derive(Clone, Debug)]
pub struct UpstreamAnswer {
    pub request_id: Option<String>,
}

/// Marks an answer that an injected fault shaped (`drop`, or the error code), for the log line.
#[derive(Clone, Copy, Debug)]
pub struct Injected(pub &'static str);

/// For `axum::middleware::map_response_with_state(name, tag_operation)` on one route: puts [`Operation`] on its
/// answers.
pub async fn tag_operation(State(name): State<&'static str>, mut response: Response) -> Response {
    response.extensions_mut().insert(Operation(name));
    response
}

/// The one log line of an API request.
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
    /// The injected fault that shaped the answer (`drop`, or the error code), if any.
    pub fault: Option<&'a str>,
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
        if let Some(fault) = self.fault {
            write!(f, " fault={}", clean(fault))?;
        }
        Ok(())
    }
}

/// Middleware for the API router: one line per request through the [`Logger`]. Reads the full path from
/// [`OriginalUri`], since the API router is nested under `/api`.
pub async fn log_line(State(logger): State<Logger>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let uri = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().clone(), |o| o.0.clone());
    let response = next.run(request).await;
    let region = parse_query::<RegionQuery>(&uri)
        .ok()
        .and_then(|q| q.region_id);
    let request_id = response
        .headers()
        .get("x-acs-request-id")
        .and_then(|v| v.to_str().ok());
    let upstream = response.extensions().get::<UpstreamAnswer>();
    let line = LogLine {
        method: method.as_str(),
        path: uri.path(),
        operation: response.extensions().get::<Operation>().map(|o| o.0),
        region: region.as_deref(),
        status: response.status().as_u16(),
        latency: started.elapsed(),
        request_id,
        upstream_request_id: upstream.map(|u| u.request_id.as_deref()),
        fault: response.extensions().get::<Injected>().map(|i| i.0),
    };
    logger(&line.to_string());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

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
            fault: None,
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
            fault: Some("drop"),
            ..LogLine {
                method: "POST",
                path: "/api/v1/workspaces",
                operation: None,
                region: None,
                status: 400,
                latency: Duration::ZERO,
                request_id: None,
                upstream_request_id: None,
                fault: None,
            }
        }
        .to_string();
        assert!(
            line.len() < 300
                && !line.contains("upstream")
                && line.contains("op=-")
                && line.ends_with(" fault=drop"),
            "{line}"
        );
    }
}
