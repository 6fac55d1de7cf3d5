//! Fault injection for the emulator, for tests and demos of how a client copes with a bad service: added latency,
//! error answers (`Throttling.User` 400, `InternalError` 500, `ServiceUnavailable` 503) and connections dropped
//! without an answer.
//!
//! Each API request draws one number from a generator seeded with the request's sequence number and the
//! `--fault-seed`, so a run of requests meets the same faults every time. An error answer replaces the call (nothing
//! is created); a drop happens after the call was carried out, which is the case a client cannot tell apart from a
//! lost request and must retry safely (with the same clientToken).

use std::{
    fmt,
    pin::Pin,
    str::FromStr,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    body::{Body, Bytes, HttpBody},
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};
use http_body::Frame;

use crate::http::error::ErrorReply;

/// The error answers `--fault-code` can give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultCode {
    /// 400 `Throttling.User`.
    Throttling,
    /// 500 `InternalError`.
    InternalError,
    /// 503 `ServiceUnavailable`.
    ServiceUnavailable,
}

impl FaultCode {
    pub const ALL: [FaultCode; 3] = [
        FaultCode::Throttling,
        FaultCode::InternalError,
        FaultCode::ServiceUnavailable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FaultCode::Throttling => "Throttling.User",
            FaultCode::InternalError => "InternalError",
            FaultCode::ServiceUnavailable => "ServiceUnavailable",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            FaultCode::Throttling => StatusCode::BAD_REQUEST,
            FaultCode::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            FaultCode::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Alibaba's own messages for these codes.
    fn message(self) -> &'static str {
        match self {
            FaultCode::Throttling => "Request was denied due to user flow control.",
            FaultCode::InternalError => {
                "The request processing has failed due to some unknown error, exception or failure."
            }
            FaultCode::ServiceUnavailable => {
                "The request has failed due to a temporary failure of the server."
            }
        }
    }
}

impl fmt::Display for FaultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for FaultCode {
    type Err = String;

    fn from_str(s: &str) -> Result<FaultCode, String> {
        FaultCode::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("“{s}” is not one of Throttling.User, InternalError, ServiceUnavailable")
            })
    }
}

/// What happens to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Pass,
    /// Answered with the fault code instead of being carried out.
    Fail,
    /// Carried out, then the connection is closed without an answer.
    Drop,
}

/// The faults to inject. Cheap to clone; clones share the request counter.
#[derive(Clone, Debug)]
pub struct Faults {
    pub latency: Duration,
    /// Probability (0–1) of answering with [`Faults::code`].
    pub rate: f64,
    pub code: FaultCode,
    /// Probability (0–1) of dropping the connection; `rate + drop` is at most 1.
    pub drop: f64,
    pub seed: u64,
    served: Arc<AtomicU64>,
}

impl Faults {
    /// Checks the probabilities: each in 0–1, and together at most 1 (one draw decides a request's fate).
    pub fn new(
        latency: Duration,
        rate: f64,
        code: FaultCode,
        drop: f64,
        seed: u64,
    ) -> Result<Faults, String> {
        for (name, p) in [("--fault-rate", rate), ("--fault-drop", drop)] {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("{name}: {p} is not a probability from 0 to 1"));
            }
        }
        if rate + drop > 1.0 {
            return Err("--fault-rate and --fault-drop add up to more than 1".into());
        }
        Ok(Faults {
            latency,
            rate,
            code,
            drop,
            seed,
            served: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Whether any fault is configured at all.
    pub fn any(&self) -> bool {
        !self.latency.is_zero() || self.rate > 0.0 || self.drop > 0.0
    }

    /// The fate of the `n`-th request (from 0): the same for the same seed, whatever else runs.
    pub fn fate(&self, n: u64) -> Fate {
        // wyrand's first output is a good hash of its seed; spreading n by the golden ratio keeps neighbouring
        // requests' seeds far apart.
        let draw =
            fastrand::Rng::with_seed(self.seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15)).f64();
        if draw < self.drop {
            Fate::Drop
        } else if draw < self.drop + self.rate {
            Fate::Fail
        } else {
            Fate::Pass
        }
    }

    fn next_fate(&self) -> Fate {
        self.fate(self.served.fetch_add(1, Ordering::Relaxed))
    }
}

pub use crate::http::access_log::Injected;

/// A body that fails at once. Hyper writes a response head only together with the first body bytes, so a body
/// that fails before yielding any makes it close the connection with nothing sent: to the client the connection
/// just drops.
struct Severed;

impl HttpBody for Severed {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "fault injection: connection dropped",
        ))))
    }

    fn is_end_stream(&self) -> bool {
        false
    }
}

/// Middleware: latency for every request, then its fate.
pub async fn inject(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    let fate = faults.next_fate();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    match fate {
        Fate::Pass => next.run(request).await,
        Fate::Fail => {
            let mut response = ErrorReply::new(
                faults.code.status(),
                faults.code.code(),
                faults.code.message(),
            )
            .into_response();
            response
                .extensions_mut()
                .insert(Injected(faults.code.code()));
            response
        }
        Fate::Drop => {
            let carried_out = next.run(request).await;
            tracing::debug!(status = %carried_out.status(), "fault injection: dropping the answer");
            let mut response = Response::new(Body::new(Severed));
            *response.status_mut() = carried_out.status();
            response.extensions_mut().insert(Injected("drop"));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fates_are_seeded_and_deterministic() {
        let faults = Faults::new(Duration::ZERO, 0.2, FaultCode::Throttling, 0.1, 7).unwrap();
        let run = |f: &Faults| (0..2_000).map(|n| f.fate(n)).collect::<Vec<_>>();
        let first = run(&faults);
        assert_eq!(first, run(&faults.clone()));
        let other = Faults::new(Duration::ZERO, 0.2, FaultCode::Throttling, 0.1, 8).unwrap();
        assert_ne!(first, run(&other));
        let count = |fate| first.iter().filter(|f| **f == fate).count();
        // 2 000 draws: 200 drops and 400 failures expected; these bounds are over six standard deviations wide.
        assert!(
            (120..=280).contains(&count(Fate::Drop)),
            "{}",
            count(Fate::Drop)
        );
        assert!(
            (290..=510).contains(&count(Fate::Fail)),
            "{}",
            count(Fate::Fail)
        );
        let none = Faults::new(Duration::ZERO, 0.0, FaultCode::Throttling, 0.0, 7).unwrap();
        assert!(!none.any() && (0..1000).all(|n| none.fate(n) == Fate::Pass));
        let all = Faults::new(Duration::ZERO, 0.0, FaultCode::Throttling, 1.0, 7).unwrap();
        assert!((0..1000).all(|n| all.fate(n) == Fate::Drop));
    }

    #[test]
    fn codes_and_probabilities() {
        assert_eq!(
            "throttling.user".parse::<FaultCode>(),
            Ok(FaultCode::Throttling)
        );
        assert_eq!(FaultCode::Throttling.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            FaultCode::InternalError.status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            FaultCode::ServiceUnavailable.status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert!("Throttling".parse::<FaultCode>().is_err());
        for (rate, drop) in [(-0.1, 0.0), (0.0, 1.5), (0.6, 0.5), (f64::NAN, 0.0)] {
            assert!(
                Faults::new(Duration::ZERO, rate, FaultCode::Throttling, drop, 0).is_err(),
                "{rate} {drop}"
            );
        }
    }
}
