//! Reading requests: extractors whose rejection is the Alibaba-style error reply, so a handler gets its query
//! and its JSON body or the request has already been answered. Nothing here knows the API's parameters; the
//! region's checks and the create body are the backend's.

use std::collections::HashSet;

use axum::{
    body::{Body, Bytes},
    extract::{FromRequest, FromRequestParts, Query, Request},
    http::{HeaderMap, StatusCode, Uri, header, request::Parts},
};
use http_body_util::LengthLimitError;
use serde::{
    Deserialize, Deserializer,
    de::{DeserializeOwned, value::MapDeserializer},
};
use serde_json::Value;

use crate::http::{error::ErrorReply, limits};

/// Bodies above this are refused before they are parsed (413).
pub const BODY_LIMIT: usize = 64 * 1024;

/// The query string decoded as `application/x-www-form-urlencoded` into `T`, the first value of a repeated
/// parameter winning (as Alibaba reads them); a query that does not fit is a 400 `InvalidParameter`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ErrorReply;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ErrorReply> {
        parse_query(&parts.uri).map(ApiQuery)
    }
}

/// What [`ApiQuery`] reads, for code outside a handler (the access log).
pub fn parse_query<T: DeserializeOwned>(uri: &Uri) -> Result<T, ErrorReply> {
    let refusal = |why: String| {
        ErrorReply::new(
            StatusCode::BAD_REQUEST,
            "InvalidParameter",
            format!("The query string could not be read: {why}."),
        )
    };
    let Query(mut pairs) =
        Query::<Vec<(String, String)>>::try_from_uri(uri).map_err(|e| refusal(e.body_text()))?;
    let mut seen = HashSet::new();
    pairs.retain(|(name, _)| seen.insert(name.clone()));
    T::deserialize(MapDeserializer::<_, serde::de::value::Error>::new(
        pairs.into_iter(),
    ))
    .map_err(|e| refusal(e.to_string()))
}

/// A query with only `regionId` read: what every API request may carry, and the access log shows.
#[derive(Debug, Default, Deserialize)]
pub struct RegionQuery {
    #[serde(default, rename = "regionId", deserialize_with = "non_empty")]
    pub region_id: Option<String>,
}

/// For `#[serde(default, deserialize_with = "non_empty")]` query fields: an empty value counts as absent, as
/// Alibaba reads `?regionId=`.
pub fn non_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Some(String::deserialize(d)?).filter(|v| !v.is_empty()))
}

/// A JSON request body: declared `application/json`, at most [`BODY_LIMIT`] bytes, in time, and parseable. Each
/// refusal is its own answer: 415, 413, 408, or 400.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ErrorReply;

    async fn from_request(request: Request, _: &S) -> Result<Self, ErrorReply> {
        if !is_json(request.headers()) {
            return Err(ErrorReply::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                "The request body must be JSON, sent with Content-Type: application/json.",
            ));
        }
        let bytes = read_limited(request.into_body()).await?;
        let value = serde_json::from_slice(&bytes).map_err(|e| {
            ErrorReply::new(
                StatusCode::BAD_REQUEST,
                "InvalidParameter.body",
                format!("body: the request body is not valid JSON ({e})."),
            )
        })?;
        Ok(JsonBody(value))
    }
}

/// Whether the request declares a JSON body (`application/json`, parameters such as charset allowed).
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
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

/// Reads a whole body of at most [`BODY_LIMIT`] bytes: a larger one is refused with 413, a late one with 408
/// (and the connection closes: the rest may still be on its way), a broken one with 400.
pub async fn read_limited(body: Body) -> Result<Bytes, ErrorReply> {
    axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|e| {
        if caused_by::<limits::BodyTimedOut>(&e) {
            ErrorReply::new(
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeout",
                "The request body did not arrive in time.",
            )
        } else if caused_by::<LengthLimitError>(&e) {
            ErrorReply::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestEntityTooLarge",
                format!("The request body is larger than {BODY_LIMIT} bytes."),
            )
        } else {
            ErrorReply::new(
                StatusCode::BAD_REQUEST,
                "InvalidParameter.body",
                "body: the request body could not be read.",
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Q {
        #[serde(default, rename = "regionId", deserialize_with = "non_empty")]
        region_id: Option<String>,
        #[serde(default, deserialize_with = "non_empty")]
        name: Option<String>,
    }

    async fn query(uri: &str) -> Result<Q, ErrorReply> {
        let (mut parts, ()) = axum::http::Request::builder()
            .uri(uri)
            .body(())
            .unwrap()
            .into_parts();
        ApiQuery::<Q>::from_request_parts(&mut parts, &())
            .await
            .map(|ApiQuery(q)| q)
    }

    #[tokio::test]
    async fn queries_are_form_decoded_and_empty_values_are_absent() {
        let q = query("/x?regionId=cn-hangzhou&name=a%20b+c&other=1")
            .await
            .ok()
            .unwrap();
        assert_eq!(q.region_id.as_deref(), Some("cn-hangzhou"));
        assert_eq!(q.name.as_deref(), Some("a b c"));
        let q = query("/x?regionId=&name=%E4%B8%AD").await.ok().unwrap();
        assert_eq!((q.region_id, q.name.as_deref()), (None, Some("中")));
        let q = query("/x").await.ok().unwrap();
        assert!(q.region_id.is_none() && q.name.is_none());
        let q = query("/x?name=a&name=b&regionId=&regionId=cn-beijing")
            .await
            .ok()
            .unwrap();
        assert_eq!(q.name.as_deref(), Some("a"), "the first value wins");
        assert_eq!(q.region_id, None, "even an empty one");
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
