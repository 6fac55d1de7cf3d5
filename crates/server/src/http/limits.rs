//! Bounds on what one client, or many, can hold: how long a request head and body may take to arrive, how long a
//! request may run, and how many may run at once. Beyond the concurrency limit the server answers 503 at once
//! instead of queueing without bound; a body that does not arrive in time is a 408.
//!
//! The header-read timeout lives in [`crate::serve`] (hyper reads the head before any layer sees the request);
//! the rest are layers of [`crate::app`], so `oneshot` tests see them too: tower's `LoadShed`,
//! `ConcurrencyLimit` and `Timeout`, answered by [`refusal`], and [`body_deadline`].

use std::{
    fmt,
    future::Future,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    body::{Body, Bytes, HttpBody},
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http_body::{Frame, SizeHint};
use tokio::time::{Instant, Sleep};
use tower::{
    BoxError, limit::GlobalConcurrencyLimitLayer, load_shed::error::Overloaded,
    timeout::error::Elapsed,
};

use crate::http::error::ErrorReply;

/// The server's limits; [`Limits::default`] is what the binary uses unless told otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Requests handled at once; the next one is answered 503 `ServiceUnavailable`.
    pub max_concurrent: usize,
    /// Time for a request head to arrive (and for an idle keep-alive connection to send its next one).
    pub header_timeout: Duration,
    /// Time for a whole request body to arrive, from when its head did; then 408 `RequestTimeout`.
    pub body_timeout: Duration,
    /// Time for a whole request, body included; then 503 `ServiceTimeout`.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_concurrent: 256,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
        }
    }
}

/// The error a request body yields once its time is up; [`crate::http::extract::read_limited`] answers it with 408.
#[derive(Debug)]
pub struct BodyTimedOut;

impl fmt::Display for BodyTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the request body did not arrive in time")
    }
}

impl std::error::Error for BodyTimedOut {}

/// A request body that fails with [`BodyTimedOut`] when its deadline passes before its end: a whole-body deadline,
/// not an idle timeout between chunks, so a client sending a byte every few seconds cannot hold it either.
struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<Sleep>>,
}

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(axum::Error::new(BodyTimedOut))));
        }
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Limits {
    /// The concurrency limit as a layer. Global: [`axum::Router::layer`] wraps each route on its own, and a
    /// per-route semaphore would let every route have `max_concurrent` of its own.
    pub fn concurrency_layer(&self) -> GlobalConcurrencyLimitLayer {
        GlobalConcurrencyLimitLayer::new(self.max_concurrent.max(1))
    }
}

/// Middleware: the request body fails with [`BodyTimedOut`] once `body_timeout` has passed since the head arrived.
pub async fn body_deadline(
    State(body_timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = Body::new(DeadlineBody {
        inner: body,
        deadline: Box::pin(tokio::time::sleep_until(Instant::now() + body_timeout)),
    });
    next.run(Request::from_parts(parts, body)).await
}

/// The answer for a request the stack's tower layers refused: one over the concurrency limit is answered 503 at
/// once, so a flood costs a refusal each rather than a queue that grows without bound; one past the request
/// timeout is a 503 too, since it may still have been carried out.
pub fn refusal(error: BoxError, limits: Limits) -> Response {
    if error.is::<Overloaded>() {
        tracing::debug!("refused a request above the concurrency limit");
        let mut response = ErrorReply::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            "The server is handling as many requests as it allows; retry shortly.",
        )
        .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    }
    if error.is::<Elapsed>() {
        tracing::warn!(
            limit_ms = limits.request_timeout.as_millis() as u64,
            "a request ran out of time"
        );
        return ErrorReply::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceTimeout",
            "The server did not finish this request in time; it may still have been carried out.",
        )
        .into_response();
    }
    // The layers below the error handler are infallible apart from those two.
    tracing::error!("a request failed in the server's own layers: {error}");
    ErrorReply::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "InternalError",
        "The request processing has failed due to some unknown error, exception or failure.",
    )
    .into_response()
}
