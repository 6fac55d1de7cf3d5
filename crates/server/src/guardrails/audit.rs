//! `--audit-log FILE`: one JSON line per CreateWorkspace the server answered, written and flushed before the
//! answer goes out.
//!
//! A line holds `time` (RFC 3339, UTC), `user` (the `--user-header`, or null), the request's `regionId`,
//! `workspaceName` and `clientToken` (null when absent), the answer's `status`, `code` (when refused or failed),
//! `workspaceId` (when created) and `requestId`. Nothing else from the request: no header but the user's, so no
//! Authorization, bearer token, signature or key.
//!
//! The order that keeps a create from going unrecorded:
//! 1. Before anything is spent, a line that could not be written earlier is written now; if it still cannot
//!    be, the create is refused (503) before it reaches a backend. A sink that failed once is assumed to fail
//!    until that line goes through, so at most one create can meet a log that just broke.
//! 2. The backend answers; the line is written and flushed (one `write` of the whole line under a mutex, so
//!    concurrent creates never interleave).
//! 3. If that write fails, the answer becomes 503. The emulator undoes its create (it hands this layer an
//!    [`Undo`]), so nothing exists unrecorded. The gateway cannot undo Alibaba's create: its line stays pending
//!    (written first once the sink works again, step 1) and goes to standard error at once, and the 503 names
//!    the workspace. A refusal's line is dropped: that answer never went out.

use std::{
    fs::OpenOptions,
    io::{self, Write},
    sync::{Arc, Mutex},
};

use axum::{
    Extension,
    body::Body,
    extract::Request,
    http::{HeaderMap, HeaderName, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use serde_json::Value;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use workspace_model::ApiError;

use super::Guardrails;
use crate::http::{
    error::ErrorReply,
    extract::{RegionQuery, is_json, parse_query, read_limited},
};

/// Header names whose values are secrets: `--user-header` may not name one, or the log would hold it.
const SECRET_WORDS: [&str; 7] = [
    "authorization",
    "cookie",
    "token",
    "key",
    "secret",
    "signature",
    "password",
];

/// The most of a header value a line keeps.
const MAX_USER: usize = 256;

/// Where the lines go, and who the user is.
pub struct AuditLog {
    sink: Mutex<Sink>,
    user_header: Option<HeaderName>,
}

struct Sink {
    out: Box<dyn Write + Send>,
    /// Bytes of lines not yet written (a line the sink refused, kept for when it works again).
    pending: Vec<u8>,
}

impl Sink {
    /// Writes out what is pending, then flushes. What was written leaves `pending`, whatever happens after.
    fn drain(&mut self) -> io::Result<()> {
        while !self.pending.is_empty() {
            match self.out.write(&self.pending) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    self.pending.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.out.flush()
    }
}

/// Given by a backend with an answer that created something it can take back (the emulator's workspace): run
/// when the answer's line cannot be written, so that nothing exists unrecorded.
#[derive(Clone)]
pub struct Undo(pub Arc<dyn Fn() + Send + Sync>);

impl AuditLog {
    /// Opens `FILE` for appending (created if missing), or standard output for `-`. The error names the file.
    pub fn open(target: &str) -> Result<AuditLog, String> {
        let out: Box<dyn Write + Send> = if target == "-" {
            // Unbuffered, straight to the descriptor: a line is out when `write` returns, and a failure is seen.
            #[cfg(unix)]
            {
                use std::os::fd::AsFd;
                let fd = io::stdout()
                    .as_fd()
                    .try_clone_to_owned()
                    .map_err(|e| format!("--audit-log -: standard output: {e}"))?;
                Box::new(std::fs::File::from(fd))
            }
            #[cfg(not(unix))]
            {
                Box::new(io::stdout())
            }
        } else {
            Box::new(
                OpenOptions::new()
                    .append(true)
                    .create(true)
                    .open(target)
                    .map_err(|e| {
                        format!("--audit-log {target}: cannot open it for appending: {e}")
                    })?,
            )
        };
        Ok(AuditLog::to_writer(out))
    }

    /// Lines to any writer (tests use a shared buffer).
    pub fn to_writer(out: impl Write + Send + 'static) -> AuditLog {
        AuditLog {
            sink: Mutex::new(Sink {
                out: Box::new(out),
                pending: Vec::new(),
            }),
            user_header: None,
        }
    }

    /// Takes `user` from this request header. Only behind a proxy that overwrites it: anyone else can send it.
    pub fn with_user_header(mut self, name: HeaderName) -> AuditLog {
        self.user_header = Some(name);
        self
    }

    fn sink(&self) -> std::sync::MutexGuard<'_, Sink> {
        // A panic mid-write leaves at worst a partial line in `pending`, which the next write completes.
        self.sink.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Step 1: whether a create may go ahead (what an earlier failure left pending is written now).
    fn ready(&self) -> Result<(), ErrorReply> {
        let mut sink = self.sink();
        if sink.pending.is_empty() {
            return Ok(());
        }
        sink.drain().map_err(|e| {
            tracing::error!("audit log: still cannot write: {e}");
            unavailable("Nothing was created.")
        })
    }

    /// Step 2: writes one line. On failure, `keep` says whether the line must stay pending (a create that
    /// cannot be undone); a line that was partly written always stays, so the file keeps whole lines.
    fn write(&self, line: &str, keep: bool) -> io::Result<()> {
        let mut sink = self.sink();
        let before = sink.pending.len();
        sink.pending.extend_from_slice(line.as_bytes());
        sink.pending.push(b'\n');
        let result = sink.drain();
        if result.is_err() && !keep && sink.pending.len() == before + line.len() + 1 {
            sink.pending.truncate(before);
        }
        result
    }

    fn user(&self, headers: &HeaderMap) -> Option<String> {
        let value = headers.get(self.user_header.as_ref()?)?;
        let text = String::from_utf8_lossy(value.as_bytes());
        Some(text.chars().take(MAX_USER).collect())
    }
}

/// `--user-header NAME`: a header name that is not a credential's.
pub fn user_header(name: &str) -> Result<HeaderName, String> {
    let header: HeaderName = name
        .parse()
        .map_err(|_| format!("“{name}” is not a header name"))?;
    if let Some(word) = SECRET_WORDS.iter().find(|w| header.as_str().contains(*w)) {
        return Err(format!(
            "“{name}” would write a secret into the audit log (its name has “{word}”): name the header your \
             proxy puts the user in, such as X-Forwarded-User"
        ));
    }
    Ok(header)
}

/// One line.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Line {
    time: String,
    user: Option<String>,
    region_id: Option<String>,
    workspace_name: Option<String>,
    client_token: Option<String>,
    status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    workspace_id: Option<String>,
    request_id: Option<String>,
}

/// A body member as the line shows it: a string as is, anything else as its JSON (a request may send `"cu": 8`
/// style values for any member); absent or null, none.
fn member(json: &Value, name: &str) -> Option<String> {
    match json.get(name)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The most of an answer's body read back for its line: CreateWorkspace answers are a few hundred bytes.
const ANSWER_LIMIT: usize = 1024 * 1024;

/// The layer on the CreateWorkspace route (both backends). Without `--audit-log` it only passes through.
pub async fn record_create(
    Extension(guardrails): Extension<Guardrails>,
    request: Request,
    next: Next,
) -> Response {
    let Some(log) = guardrails.audit else {
        return next.run(request).await;
    };
    if let Err(refusal) = log.ready() {
        return refusal.into_response();
    }
    let (parts, body) = request.into_parts();
    let mut line = Line {
        time: OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .unwrap_or_default(),
        user: log.user(&parts.headers),
        region_id: parse_query::<RegionQuery>(&parts.uri)
            .ok()
            .and_then(|q| q.region_id),
        workspace_name: None,
        client_token: None,
        status: 0,
        code: None,
        workspace_id: None,
        request_id: None,
    };
    // The body is read here (with the extractor's own limits and refusals) to name the workspace; a body that
    // is not declared JSON goes on unread, for the handler to refuse.
    let answer = if is_json(&parts.headers) {
        match read_limited(body).await {
            Ok(bytes) => {
                if let Ok(json) = serde_json::from_slice::<Value>(&bytes) {
                    line.workspace_name = member(&json, "workspaceName");
                    line.client_token = member(&json, "clientToken");
                }
                next.run(Request::from_parts(parts, Body::from(bytes)))
                    .await
            }
            Err(refusal) => refusal.into_response(),
        }
    } else {
        next.run(Request::from_parts(parts, body)).await
    };

    let (mut parts, body) = answer.into_parts();
    let undo = parts.extensions.remove::<Undo>();
    let (parts, bytes) = match axum::body::to_bytes(body, ANSWER_LIMIT).await {
        Ok(bytes) => (parts, bytes),
        Err(_) => {
            let reply = ErrorReply::new(
                StatusCode::BAD_GATEWAY,
                "BadGateway",
                "The answer could not be read to the end.",
            )
            .into_response();
            let (parts, body) = reply.into_parts();
            let bytes = axum::body::to_bytes(body, ANSWER_LIMIT)
                .await
                .unwrap_or_default();
            (parts, bytes)
        }
    };
    line.status = parts.status.as_u16();
    let json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let created = parts.status.is_success();
    if created {
        line.workspace_id = member(&json, "workspaceId");
    } else {
        line.code = ApiError::parse(&String::from_utf8_lossy(&bytes)).map(|e| e.code);
    }
    line.request_id = member(&json, "requestId")
        .or_else(|| member(&json, "RequestId"))
        .or_else(|| {
            parts
                .headers
                .get("x-acs-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });

    let text = serde_json::to_string(&line).unwrap_or_default();
    // Only a gateway's create cannot be taken back: its line must not be lost.
    let keep = created && undo.is_none();
    match log.write(&text, keep) {
        Ok(()) => Response::from_parts(parts, Body::from(bytes)),
        Err(e) => {
            tracing::error!("audit log: cannot write ({e}); the line was: {text}");
            if let Some(Undo(undo)) = &undo {
                undo();
            }
            let said = match (&line.workspace_id, keep) {
                (Some(id), true) => format!(
                    "Alibaba Cloud created workspace {id}: its line is on the server's standard error and is \
                     written to the log first once the log works again."
                ),
                _ => "Nothing was created.".to_owned(),
            };
            unavailable(&said).into_response()
        }
    }
}

fn unavailable(said: &str) -> ErrorReply {
    ErrorReply::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "ServiceUnavailable.AuditLog",
        format!("The audit log cannot be written, so workspaces cannot be created now. {said}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_headers_that_carry_secrets_are_refused() {
        for name in [
            "Authorization",
            "proxy-authorization",
            "Cookie",
            "X-Auth-Token",
            "X-Api-Key",
            "x-acs-signature-nonce",
            "X-Client-Secret",
        ] {
            assert!(user_header(name).is_err(), "{name}");
        }
        assert!(user_header("bad header").is_err());
        assert_eq!(
            user_header("X-Forwarded-User").unwrap().as_str(),
            "x-forwarded-user"
        );
        assert!(user_header("X-Auth-Request-Email").is_ok());
    }

    /// A writer that takes `room` bytes, then fails, until given more.
    struct Full {
        room: Arc<Mutex<usize>>,
        got: Arc<Mutex<Vec<u8>>>,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let mut room = self.room.lock().unwrap();
            if *room == 0 {
                return Err(io::Error::other("no space"));
            }
            let n = buf.len().min(*room);
            *room -= n;
            self.got.lock().unwrap().extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_line_is_kept_only_when_it_must_be_and_whole_lines_survive() {
        let room = Arc::new(Mutex::new(0));
        let got = Arc::new(Mutex::new(Vec::new()));
        let log = AuditLog::to_writer(Full {
            room: room.clone(),
            got: got.clone(),
        });
        // A refusal's line that could not be written is dropped: nothing waits.
        assert!(log.write("{\"a\":1}", false).is_err());
        assert!(log.ready().is_ok());
        // A create that cannot be undone stays pending, and blocks creates until written.
        assert!(log.write("{\"b\":2}", true).is_err());
        assert!(log.ready().is_err());
        // Half a line fits: the rest stays pending even for a droppable line.
        *room.lock().unwrap() = 10;
        assert!(log.write("{\"c\":3}", false).is_err());
        *room.lock().unwrap() = 1000;
        assert!(log.ready().is_ok());
        assert_eq!(
            String::from_utf8(got.lock().unwrap().clone()).unwrap(),
            "{\"b\":2}\n{\"c\":3}\n"
        );
    }
}
