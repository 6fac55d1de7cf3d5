//! Alibaba-style error answers (`{"RequestId","HostId","Code","Message","Recommend"}`), whoever produces them.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use workspace_model::{ApiError, Finding, wire::ReadError};

use crate::ids;

/// An error answer: the HTTP status and the body (boxed: it travels in `Result`s on every request path).
#[derive(Debug, Clone)]
pub struct ErrorReply {
    pub status: StatusCode,
    pub body: Box<ApiError>,
}

impl ErrorReply {
    /// A new error with a fresh request id; `Recommend` points at Alibaba's troubleshooting page for the code.
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> Self {
        let code = code.into();
        let body = Box::new(ApiError {
            request_id: ids::request_id(),
            host_id: String::new(),
            recommend: format!("https://api.aliyun.com/troubleshoot?q={code}"),
            code,
            message: message.into(),
        });
        ErrorReply { status, body }
    }

    /// The answer for a rule a request broke: `MissingParameter.<path>` or `InvalidParameter.<path>` (400), or
    /// a policy's `PolicyViolation.<path>` (403), with a message that names the field.
    pub fn field(error: &Finding) -> Self {
        let status = if error.is_policy() {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::BAD_REQUEST
        };
        ErrorReply::new(status, error.api_code(), error.api_message())
    }

    /// The answer for a body that could not be read (not an object, or a JSON type a parameter cannot have).
    pub fn unreadable(error: &ReadError) -> Self {
        ErrorReply::new(
            StatusCode::BAD_REQUEST,
            error.api_code(),
            error.api_message(),
        )
    }

    pub fn not_found_api() -> Self {
        ErrorReply::new(
            StatusCode::NOT_FOUND,
            "InvalidApi.NotFound",
            "The specified API does not exist: check the method and the path.",
        )
    }
}

impl IntoResponse for ErrorReply {
    fn into_response(self) -> Response {
        let request_id = self.body.request_id.clone();
        let status = self.status;
        let mut response = with_request_id(&request_id, (status, Json(self.body)).into_response());
        // After a 408 the rest of the body may still be on its way; the connection cannot carry another request.
        if status == StatusCode::REQUEST_TIMEOUT {
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

/// A successful JSON answer; like Alibaba's, it carries its request id in `x-acs-request-id` too.
pub struct Answer<T> {
    pub request_id: String,
    pub body: T,
}

impl<T: serde::Serialize> IntoResponse for Answer<T> {
    fn into_response(self) -> Response {
        with_request_id(&self.request_id, Json(self.body).into_response())
    }
}

/// Marks an answer with its request id and `no-store`, as every answer of the API is marked.
pub fn with_request_id(request_id: &str, mut response: Response) -> Response {
    if let Ok(id) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-acs-request-id", id);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
