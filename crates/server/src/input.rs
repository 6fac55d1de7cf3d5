//! Reading requests: the query string, the region, and a size- and time-limited JSON body. Shared by the
//! emulator and the gateway.

use axum::{
    body::{Body, Bytes},
    http::{HeaderMap, StatusCode, header},
};
use http_body_util::LengthLimitError;
use serde_json::Value;
use workspace_model::{FormState, Valid, catalogue::Region, first_error, validate::body, wire};

use crate::{api_error::ErrorReply, limits};

/// Reads a CreateWorkspace request the way the browser checks it: the JSON through the catalogue (leniently,
/// as Alibaba reads it), then every api and console rule of the model; hints never refuse. The first error in
/// form order is the answer, as Alibaba reports one error at a time, and checking stops there. The valid
/// request's body is rebuilt from what was validated, in the official SDK's form.
pub fn validate_create(
    region_id: Option<&str>,
    json: &Value,
) -> Result<(FormState, Valid), ErrorReply> {
    let form = wire::from_wire(region_id, json).map_err(|e| ErrorReply::unreadable(&e))?;
    if let Some(error) = first_error(&form) {
        return Err(ErrorReply::field(&error));
    }
    let valid = Valid {
        region_id: form.get(workspace_model::FieldKey::RegionId).to_owned(),
        body: body(&form),
    };
    Ok((form, valid))
}

/// The region of a request: required and known. Shared with the gateway, which must never be steered to a host
/// outside the catalogue.
pub(crate) fn region(query: &QueryParams) -> Result<&str, ErrorReply> {
    match query.get("regionId") {
        None => Err(ErrorReply::new(
            StatusCode::BAD_REQUEST,
            "MissingParameter.regionId",
            "regionId: the query parameter regionId is required.",
        )),
        Some(r) if Region::find(r).is_none() => Err(ErrorReply::new(
            StatusCode::BAD_REQUEST,
            "InvalidParameter.regionId",
            format!("regionId: “{r}” is not a region where workspaces can be created."),
        )),
        Some(r) => Ok(r),
    }
}

/// Bodies above this are refused before they are parsed (413).
pub const BODY_LIMIT: usize = 64 * 1024;

/// Query parameters in order, decoded as `application/x-www-form-urlencoded` (`%XX` and `+`).
#[derive(Debug, Default, Clone)]
pub struct QueryParams(pub Vec<(String, String)>);

impl QueryParams {
    pub fn parse(raw: Option<&str>) -> QueryParams {
        let pairs = raw
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        QueryParams(pairs)
    }

    /// The first value of a parameter; an empty value counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// A component decoded as `application/x-www-form-urlencoded`; one with a broken escape is kept as it came, so
/// the value reaches validation (and its error message) unchanged.
fn decode(s: &str) -> String {
    crate::acs3::form_decode(s).unwrap_or_else(|| s.to_owned())
}

/// Whether the request declares a JSON body (`application/json`, parameters such as charset allowed).
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// Why a body could not be read, as the answer to give.
#[derive(Debug)]
pub enum BodyError {
    /// Larger than [`BODY_LIMIT`]: 413.
    TooLarge(ErrorReply),
    /// Not all there before the body deadline ([`limits::Limits::body_timeout`]): 408, and the connection closes.
    TimedOut,
    /// The client went away or broke the framing: 400 (rarely anyone left to read it).
    Broken(ErrorReply),
}

impl From<BodyError> for ErrorReply {
    fn from(e: BodyError) -> ErrorReply {
        match e {
            BodyError::TooLarge(reply) | BodyError::Broken(reply) => reply,
            BodyError::TimedOut => ErrorReply::new(
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeout",
                "The request body did not arrive in time.",
            ),
        }
    }
}

/// Whether an error, or any error it wraps, is of type `E`.
fn caused_by<E: std::error::Error + 'static>(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<E>() {
            return true;
        }
        current = e.source();
    }
    false
}

/// Reads a whole body of at most [`BODY_LIMIT`] bytes; a larger one is refused with 413, a late one with 408.
pub async fn read_limited(body: Body) -> Result<Bytes, BodyError> {
    axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|e| {
        if caused_by::<limits::BodyTimedOut>(&e) {
            BodyError::TimedOut
        } else if caused_by::<LengthLimitError>(&e) {
            BodyError::TooLarge(ErrorReply::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestEntityTooLarge",
                format!("The request body is larger than {BODY_LIMIT} bytes."),
            ))
        } else {
            BodyError::Broken(ErrorReply::new(
                StatusCode::BAD_REQUEST,
                "InvalidParameter.body",
                "body: the request body could not be read.",
            ))
        }
    })
}

/// Checks the content type, reads at most [`BODY_LIMIT`] bytes and parses JSON. Returns the exact bytes too, so
/// a gateway can forward what it validated without serializing it again.
pub async fn read_json(headers: &HeaderMap, body: Body) -> Result<(Bytes, Value), ErrorReply> {
    if !is_json(headers) {
        return Err(ErrorReply::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            "The request body must be JSON, sent with Content-Type: application/json.",
        ));
    }
    let bytes = read_limited(body).await?;
    let value = serde_json::from_slice(&bytes).map_err(|e| {
        ErrorReply::new(
            StatusCode::BAD_REQUEST,
            "InvalidParameter.body",
            format!("body: the request body is not valid JSON ({e})."),
        )
    })?;
    Ok((bytes, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_decoding() {
        let q = QueryParams::parse(Some("regionId=cn-hangzhou&name=a%20b+c&x=%ZZ&empty=&flag"));
        assert_eq!(q.get("regionId"), Some("cn-hangzhou"));
        assert_eq!(q.get("name"), Some("a b c"));
        assert_eq!(q.get("x"), Some("%ZZ"));
        assert_eq!(q.get("empty"), None);
        assert_eq!(q.get("flag"), None);
        assert_eq!(q.get("missing"), None);
        assert_eq!(QueryParams::parse(Some("a=%E4%B8%AD")).get("a"), Some("中"));
        // A broken escape keeps the whole value as it came.
        assert_eq!(
            QueryParams::parse(Some("a=%E4%B8%AD%")).get("a"),
            Some("%E4%B8%AD%")
        );
        assert!(QueryParams::parse(None).0.is_empty());
    }

    #[test]
    fn json_content_types() {
        let mut h = HeaderMap::new();
        assert!(!is_json(&h));
        for (v, ok) in [
            ("application/json", true),
            ("application/json; charset=utf-8", true),
            ("Application/JSON", true),
            ("text/plain", false),
            ("application/x-www-form-urlencoded", false),
            ("application/jsonp", false),
        ] {
            h.insert(header::CONTENT_TYPE, v.parse().unwrap());
            assert_eq!(is_json(&h), ok, "{v}");
        }
    }
}
