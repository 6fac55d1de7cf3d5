//! Verifying: rebuilds the canonical request from what arrived and checks the signature, the date and the nonce.

use std::fmt;

use hmac::Mac;

use super::{
    ALGORITHM, MAX_CLOCK_SKEW_SECONDS, REQUIRED_SIGNED_HEADERS, SIGNED_IF_PRESENT,
    canonical_request, decode_query, parse_acs_date, sha256_hex, sign::mac, string_to_sign,
};

/// The caller of a verified request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedKey(pub String);

/// An incoming request as received, before any decoding.
#[derive(Clone, Copy, Debug)]
pub struct IncomingRequest<'a> {
    pub method: &'a str,
    /// The raw path, still percent-encoded.
    pub path: &'a str,
    /// The raw query string without `?`, still encoded; empty if there is none.
    pub raw_query: &'a str,
    pub body: &'a [u8],
}

/// Why a request was refused. [`VerifyError::code`] gives the Alibaba error code a client expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyError {
    MissingAuthorization,
    /// The `Authorization` header is not `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`.
    MalformedAuthorization(&'static str),
    /// A header that must be signed is not in `SignedHeaders`.
    HeaderNotSigned(String),
    /// A header named in `SignedHeaders` is not in the request.
    SignedHeaderMissing(String),
    /// The query string has a broken `%` escape or is not UTF-8.
    MalformedQuery,
    /// `x-acs-content-sha256` is not the SHA-256 of the body that arrived.
    ContentHashMismatch,
    /// The signature differs; carries the server's string to sign (no secret in it) so clients can compare, as
    /// Alibaba's own error does.
    SignatureMismatch {
        string_to_sign: String,
    },
    UnknownAccessKey(String),
    DateFormat,
    DateExpired,
    NonceUsed,
}

impl VerifyError {
    /// The Alibaba error code for this refusal.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::MissingAuthorization => "MissingParameter.Authorization",
            VerifyError::MalformedAuthorization(_)
            | VerifyError::HeaderNotSigned(_)
            | VerifyError::SignedHeaderMissing(_)
            | VerifyError::MalformedQuery
            | VerifyError::ContentHashMismatch
            | VerifyError::SignatureMismatch { .. } => "SignatureDoesNotMatch",
            VerifyError::UnknownAccessKey(_) => "InvalidAccessKeyId.NotFound",
            VerifyError::DateFormat => "InvalidTimeStamp.Format",
            VerifyError::DateExpired => "InvalidTimeStamp.Expired",
            VerifyError::NonceUsed => "SignatureNonceUsed",
        }
    }

    /// An English explanation for the client. Never contains a secret: the verifier never hands one to an error.
    pub fn message(&self) -> String {
        const MISMATCH: &str = "Specified signature is not matched with our calculation.";
        match self {
            VerifyError::MissingAuthorization => {
                "The input parameter Authorization that is mandatory for processing this request is not supplied."
                    .into()
            }
            VerifyError::MalformedAuthorization(why) => {
                format!("{MISMATCH} The Authorization header is malformed: {why}.")
            }
            VerifyError::HeaderNotSigned(name) => {
                format!("{MISMATCH} The header {name} must be included in SignedHeaders.")
            }
            VerifyError::SignedHeaderMissing(name) => {
                format!("{MISMATCH} The signed header {name} is not present in the request.")
            }
            VerifyError::MalformedQuery => {
                format!("{MISMATCH} The query string is not validly percent-encoded UTF-8.")
            }
            VerifyError::ContentHashMismatch => format!(
                "{MISMATCH} The x-acs-content-sha256 header does not match the SHA-256 of the request body."
            ),
            VerifyError::SignatureMismatch { string_to_sign } => {
                format!("{MISMATCH} Server string to sign is: {string_to_sign}")
            }
            VerifyError::UnknownAccessKey(id) => format!("Specified access key {id} is not found."),
            VerifyError::DateFormat => {
                "Specified time stamp or date value is not well formatted; x-acs-date must be UTC yyyy-MM-ddTHH:mm:ssZ."
                    .into()
            }
            VerifyError::DateExpired => format!(
                "Specified time stamp or date value is expired; x-acs-date must be within {} minutes of the server time.",
                MAX_CLOCK_SKEW_SECONDS / 60
            ),
            VerifyError::NonceUsed => "Specified signature nonce was used already.".into(),
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for VerifyError {}

struct Authorization<'a> {
    access_key_id: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, VerifyError> {
    let malformed = VerifyError::MalformedAuthorization;
    let (algorithm, rest) = value
        .trim()
        .split_once(' ')
        .ok_or(malformed("expected an algorithm and credentials"))?;
    if algorithm != ALGORITHM {
        return Err(malformed("the algorithm must be ACS3-HMAC-SHA256"));
    }
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, value) = part
            .trim()
            .split_once('=')
            .ok_or(malformed("expected key=value parts"))?;
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => return Err(malformed("unknown part")),
        };
        if slot.replace(value).is_some() {
            return Err(malformed("repeated part"));
        }
    }
    match (credential, signed_headers, signature) {
        (Some(access_key_id), Some(signed_headers), Some(signature))
            if !access_key_id.is_empty() && !signed_headers.is_empty() && !signature.is_empty() =>
        {
            Ok(Authorization {
                access_key_id,
                signed_headers,
                signature,
            })
        }
        _ => Err(malformed(
            "Credential, SignedHeaders and Signature are all required",
        )),
    }
}

/// Verifies an ACS3-HMAC-SHA256 request.
///
/// - `header(name)` returns the received value of a header, looked up by lower-case name (join repeated headers
///   with `,`).
/// - `lookup_secret(access_key_id)` returns the secret, or `None` for an unknown key.
/// - `nonce_seen(nonce)` records the nonce and returns `true` if it had been used before. It is called last,
///   only for a request that is otherwise valid, so forged or stale requests cannot burn nonces.
///
/// The canonical request is rebuilt from exactly the headers the client listed in `SignedHeaders`, with their
/// received values, so clients that sign more than the minimum (the SDKs add `accept`, `user-agent`, …) verify.
/// `SignedHeaders` must be lower-case, sorted and without repeats, as every conforming signer produces it.
pub fn verify(
    request: &IncomingRequest<'_>,
    header: impl Fn(&str) -> Option<String>,
    lookup_secret: impl Fn(&str) -> Option<String>,
    now_unix: u64,
    mut nonce_seen: impl FnMut(&str) -> bool,
) -> Result<VerifiedKey, VerifyError> {
    let authorization = header("authorization").ok_or(VerifyError::MissingAuthorization)?;
    let auth = parse_authorization(&authorization)?;

    let names: Vec<&str> = auth.signed_headers.split(';').collect();
    // The client signed its SignedHeaders string verbatim; requiring the canonical form means rebuilding it with
    // canonical_request reproduces the same bytes.
    let canonical_names = names.iter().all(|n| {
        !n.is_empty()
            && !n.contains(':')
            && !n.contains(char::is_whitespace)
            && *n == n.to_ascii_lowercase()
    }) && names.windows(2).all(|w| w[0] < w[1]);
    if !canonical_names {
        return Err(VerifyError::MalformedAuthorization(
            "SignedHeaders must be sorted, unique lower-case header names",
        ));
    }
    for required in REQUIRED_SIGNED_HEADERS {
        if !names.contains(&required) {
            return Err(VerifyError::HeaderNotSigned(required.into()));
        }
    }
    for name in SIGNED_IF_PRESENT {
        if !names.contains(&name) && header(name).is_some() {
            return Err(VerifyError::HeaderNotSigned(name.into()));
        }
    }

    let secret = lookup_secret(auth.access_key_id)
        .ok_or_else(|| VerifyError::UnknownAccessKey(auth.access_key_id.into()))?;

    let mut signed = Vec::with_capacity(names.len());
    for name in &names {
        let value = header(name).ok_or_else(|| VerifyError::SignedHeaderMissing((*name).into()))?;
        signed.push(((*name).to_string(), value));
    }
    let signed_value = |name: &str| {
        signed
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .unwrap_or_default()
    };

    let payload_hash = sha256_hex(request.body);
    if signed_value("x-acs-content-sha256") != payload_hash {
        return Err(VerifyError::ContentHashMismatch);
    }
    let query = decode_query(request.raw_query).ok_or(VerifyError::MalformedQuery)?;

    let canonical = canonical_request(request.method, request.path, &query, &signed, &payload_hash);
    let to_sign = string_to_sign(&canonical);
    // `verify_slice` compares in constant time, so response timing does not reveal how many leading bytes of a
    // forged signature were right. Hex that does not decode cannot match.
    let matches = hex::decode(auth.signature)
        .is_ok_and(|given| mac(&secret, &to_sign).verify_slice(&given).is_ok());
    if !matches {
        return Err(VerifyError::SignatureMismatch {
            string_to_sign: to_sign,
        });
    }

    let date = parse_acs_date(signed_value("x-acs-date")).ok_or(VerifyError::DateFormat)?;
    if date.abs_diff(now_unix) > MAX_CLOCK_SKEW_SECONDS {
        return Err(VerifyError::DateExpired);
    }
    if nonce_seen(signed_value("x-acs-signature-nonce")) {
        return Err(VerifyError::NonceUsed);
    }
    Ok(VerifiedKey(auth.access_key_id.into()))
}
#[cfg(test)]
mod tests {
    use std::{cell::RefCell, collections::HashSet};

    use super::*;
    use crate::aliyun::acs3::{test_support::*, *};

    // --- 2. Requests captured from the official Python SDK ---------------------------------------------------
    //
    // alibabacloud_emr_serverless_spark20230808 (tea-openapi 0.4.6, darabonba-core 1.0.9) pointed at a local
    // http.server with AK `testid` / secret `testsecret`, recorded verbatim.

    struct Captured {
        method: &'static str,
        /// Path and query exactly as on the request line.
        target: &'static str,
        headers: &'static [(&'static str, &'static str)],
        body: &'static [u8],
    }

    const SDK_USER_AGENT: &str = "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2";

    /// `create_workspace(CreateWorkspaceRequest(region_id='cn-hangzhou', workspace_name='demo',
    /// resource_spec=CreateWorkspaceRequestResourceSpec(cu='8'), oss_bucket='oss://demo-bucket/'))`.
    const SDK_CREATE: Captured = Captured {
        method: "POST",
        target: "/api/v1/workspaces?regionId=cn-hangzhou",
        headers: &[
            ("Accept-Encoding", "identity"),
            ("host", "127.0.0.1:34287"),
            ("x-acs-version", "2023-08-08"),
            ("x-acs-action", "CreateWorkspace"),
            ("user-agent", SDK_USER_AGENT),
            ("x-acs-date", "2026-11-28T19:27:45Z"),
            ("x-acs-signature-nonce", "e8641e476e08b273c4169e0a09f24b31"),
            ("accept", "application/json"),
            ("content-type", "application/json; charset=utf-8"),
            (
                "x-acs-content-sha256",
                "c3de516e8576eaab16ad1a5a2e7edbfa07acfca8a60d2e5f0fa0ea7e3af879a4",
            ),
            ("x-acs-credentials-provider", "static_ak"),
            (
                "Authorization",
                "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;content-type;host;user-agent;\
                 x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;\
                 x-acs-version,Signature=58994285627871e2bdd33ff7d3bfc2f5362b97bbd993b4f937fa52d1fa63eeba",
            ),
            ("Content-Length", "83"),
        ],
        body: br#"{"ossBucket":"oss://demo-bucket/","resourceSpec":{"cu":"8"},"workspaceName":"demo"}"#,
    };

    /// `get_workspace('w-0123456789abcdef', GetWorkspaceRequest(region_id='cn-hangzhou'))`.
    const SDK_GET: Captured = Captured {
        method: "GET",
        target: "/api/v1/workspaces/w-0123456789abcdef?regionId=cn-hangzhou",
        headers: &[
            ("Accept-Encoding", "identity"),
            ("host", "127.0.0.1:34287"),
            ("x-acs-version", "2023-08-08"),
            ("x-acs-action", "GetWorkspace"),
            ("user-agent", SDK_USER_AGENT),
            ("x-acs-date", "2026-11-28T19:27:45Z"),
            ("x-acs-signature-nonce", "1c3bf1689696ffa913585903c11b453e"),
            ("accept", "application/json"),
            (
                "x-acs-content-sha256",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            ("x-acs-credentials-provider", "static_ak"),
            (
                "Authorization",
                "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;host;user-agent;x-acs-action;\
                 x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,\
                 Signature=e703da325349df19ea9081a1abd11787d146acbe9f4a38ccaeb29929570c828c",
            ),
        ],
        body: b"",
    };

    /// `get_workspace('w x*~é', GetWorkspaceRequest(region_id='cn hangzhou*~+é/'))`: the SDK percent-encodes the
    /// path segment and signs it encoded, signs the query RFC 3986-encoded, but sends the query with `+` for
    /// space.
    const SDK_GET_ODD: Captured = Captured {
        method: "GET",
        target: "/api/v1/workspaces/w%20x%2A~%C3%A9?regionId=cn+hangzhou%2A~%2B%C3%A9%2F",
        headers: &[
            ("Accept-Encoding", "identity"),
            ("host", "127.0.0.1:46073"),
            ("x-acs-version", "2023-08-08"),
            ("x-acs-action", "GetWorkspace"),
            ("user-agent", SDK_USER_AGENT),
            ("x-acs-date", "2026-11-28T19:28:06Z"),
            ("x-acs-signature-nonce", "915f6b076f8cabf9436b82ccc26fb5b0"),
            ("accept", "application/json"),
            (
                "x-acs-content-sha256",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            ("x-acs-credentials-provider", "static_ak"),
            (
                "Authorization",
                "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;host;user-agent;x-acs-action;\
                 x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,\
                 Signature=2479007742797ddfda1743db140a154050090da8ed6711363d0cdc93a86b67ed",
            ),
        ],
        body: b"",
    };

    impl Captured {
        fn headers(&self) -> Vec<(String, String)> {
            pairs(self.headers)
        }

        fn date(&self) -> u64 {
            let headers = self.headers();
            parse_acs_date(&lookup(&headers)("x-acs-date").unwrap()).unwrap()
        }

        fn verify_with(
            &self,
            headers: &[(String, String)],
            body: &[u8],
            secret: &str,
            now: u64,
            store: &RefCell<HashSet<String>>,
        ) -> Result<VerifiedKey, VerifyError> {
            let (path, raw_query) = self.target.split_once('?').unwrap_or((self.target, ""));
            let request = IncomingRequest {
                method: self.method,
                path,
                raw_query,
                body,
            };
            verify(
                &request,
                lookup(headers),
                secret_of("testid", secret),
                now,
                seen(store),
            )
        }

        fn verify(&self, secret: &str, now: u64) -> Result<VerifiedKey, VerifyError> {
            self.verify_with(&self.headers(), self.body, secret, now, &nonce_store())
        }
    }

    #[test]
    fn sdk_requests_verify() {
        for captured in [&SDK_CREATE, &SDK_GET, &SDK_GET_ODD] {
            assert_eq!(
                captured.verify("testsecret", captured.date()),
                Ok(VerifiedKey("testid".into())),
                "{}",
                captured.target
            );
        }
    }

    #[test]
    fn sdk_body_hash_is_ours() {
        let headers = SDK_CREATE.headers();
        assert_eq!(
            lookup(&headers)("x-acs-content-sha256").unwrap(),
            sha256_hex(SDK_CREATE.body)
        );
    }

    #[test]
    fn sdk_request_with_wrong_secret_is_refused() {
        for captured in [&SDK_CREATE, &SDK_GET] {
            let err = captured.verify("wrongsecret", captured.date()).unwrap_err();
            assert_eq!(err.code(), "SignatureDoesNotMatch");
            assert!(matches!(err, VerifyError::SignatureMismatch { .. }));
            assert!(
                !err.message().contains("testsecret") && !err.message().contains("wrongsecret")
            );
        }
    }

    #[test]
    fn sdk_request_with_tampered_body_is_refused() {
        let store = nonce_store();
        let body = br#"{"ossBucket":"oss://demo-bucket/","resourceSpec":{"cu":"9"},"workspaceName":"demo"}"#;
        let err = SDK_CREATE
            .verify_with(
                &SDK_CREATE.headers(),
                body,
                "testsecret",
                SDK_CREATE.date(),
                &store,
            )
            .unwrap_err();
        assert_eq!(err, VerifyError::ContentHashMismatch);
        assert_eq!(err.code(), "SignatureDoesNotMatch");

        // Fixing up the hash header too does not help: it is signed.
        let mut headers = SDK_CREATE.headers();
        for (name, value) in &mut headers {
            if name == "x-acs-content-sha256" {
                *value = sha256_hex(body);
            }
        }
        let err = SDK_CREATE
            .verify_with(&headers, body, "testsecret", SDK_CREATE.date(), &store)
            .unwrap_err();
        assert!(matches!(err, VerifyError::SignatureMismatch { .. }));
        assert!(
            store.borrow().is_empty(),
            "refused requests must not burn nonces"
        );
    }

    #[test]
    fn sdk_request_with_tampered_signed_header_or_query_is_refused() {
        let mut headers = SDK_GET.headers();
        for (name, value) in &mut headers {
            if name == "x-acs-action" {
                *value = "DeleteWorkspace".into();
            }
        }
        let err = SDK_GET
            .verify_with(&headers, b"", "testsecret", SDK_GET.date(), &nonce_store())
            .unwrap_err();
        assert_eq!(err.code(), "SignatureDoesNotMatch");

        let tampered = Captured {
            target: "/api/v1/workspaces/w-0123456789abcdef?regionId=cn-shanghai",
            ..SDK_GET
        };
        let err = tampered.verify("testsecret", SDK_GET.date()).unwrap_err();
        assert_eq!(err.code(), "SignatureDoesNotMatch");

        // Unsigned headers (here Accept-Encoding) may change freely.
        let mut headers = SDK_GET.headers();
        headers.retain(|(n, _)| n != "Accept-Encoding");
        headers.push(("Accept-Encoding".into(), "gzip".into()));
        assert!(
            SDK_GET
                .verify_with(&headers, b"", "testsecret", SDK_GET.date(), &nonce_store())
                .is_ok()
        );
    }

    #[test]
    fn sdk_request_outside_the_clock_window_is_refused() {
        let date = SDK_CREATE.date();
        for now in [date + 16 * 60, date - 16 * 60] {
            let err = SDK_CREATE.verify("testsecret", now).unwrap_err();
            assert_eq!(err, VerifyError::DateExpired);
            assert_eq!(err.code(), "InvalidTimeStamp.Expired");
        }
        for now in [date + 15 * 60, date - 15 * 60] {
            assert!(SDK_CREATE.verify("testsecret", now).is_ok());
        }
    }

    #[test]
    fn sdk_request_replayed_is_refused() {
        let store = nonce_store();
        let headers = SDK_CREATE.headers();
        let now = SDK_CREATE.date();
        assert!(
            SDK_CREATE
                .verify_with(&headers, SDK_CREATE.body, "testsecret", now, &store)
                .is_ok()
        );
        let err = SDK_CREATE
            .verify_with(&headers, SDK_CREATE.body, "testsecret", now + 1, &store)
            .unwrap_err();
        assert_eq!(err, VerifyError::NonceUsed);
        assert_eq!(err.code(), "SignatureNonceUsed");
    }

    #[test]
    fn sdk_request_with_unknown_key_is_refused() {
        let headers = SDK_GET.headers();
        let request = IncomingRequest {
            method: "GET",
            path: "/api/v1/workspaces/w-0123456789abcdef",
            raw_query: "regionId=cn-hangzhou",
            body: b"",
        };
        let err = verify(
            &request,
            lookup(&headers),
            |_| None,
            SDK_GET.date(),
            |_| false,
        )
        .unwrap_err();
        assert_eq!(err, VerifyError::UnknownAccessKey("testid".into()));
        assert_eq!(err.code(), "InvalidAccessKeyId.NotFound");
    }

    // --- Malformed requests ----------------------------------------------------------------------------------

    fn verify_get_with_authorization(
        authorization: Option<&str>,
    ) -> Result<VerifiedKey, VerifyError> {
        let mut headers = SDK_GET.headers();
        headers.retain(|(n, _)| n != "Authorization");
        if let Some(value) = authorization {
            headers.push(("Authorization".into(), value.into()));
        }
        SDK_GET.verify_with(&headers, b"", "testsecret", SDK_GET.date(), &nonce_store())
    }

    #[test]
    fn missing_or_malformed_authorization_is_refused() {
        let err = verify_get_with_authorization(None).unwrap_err();
        assert_eq!(err, VerifyError::MissingAuthorization);
        assert_eq!(err.code(), "MissingParameter.Authorization");

        let all = "accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;\
                   x-acs-date;x-acs-signature-nonce;x-acs-version";
        let sig = "e703da325349df19ea9081a1abd11787d146acbe9f4a38ccaeb29929570c828c";
        for bad in [
            String::new(),
            "ACS3-HMAC-SHA256".into(),
            format!("ACS3-HMAC-SM3 Credential=testid,SignedHeaders={all},Signature={sig}"),
            format!("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders={all}"),
            format!("ACS3-HMAC-SHA256 Credential=,SignedHeaders={all},Signature={sig}"),
            format!(
                "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders={all},Signature={sig},Signature={sig}"
            ),
            format!(
                "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders={all},Signature={sig},Extra=1"
            ),
            format!("ACS3-HMAC-SHA256 Credential=testid;SignedHeaders={all};Signature={sig}"),
            // Not sorted, upper case, repeated.
            format!(
                "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;accept;user-agent;x-acs-action;\
                 x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,\
                 Signature={sig}"
            ),
            format!(
                "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=Accept;{},Signature={sig}",
                &all[7..]
            ),
            format!(
                "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;{all},Signature={sig}"
            ),
        ] {
            let err = verify_get_with_authorization(Some(&bad)).unwrap_err();
            assert!(
                matches!(err, VerifyError::MalformedAuthorization(_)),
                "{bad}: {err:?}"
            );
            assert_eq!(err.code(), "SignatureDoesNotMatch");
        }

        // The signature itself is case-insensitive hex; extra spaces around parts are tolerated.
        let spaced = format!(
            "ACS3-HMAC-SHA256 Credential=testid, SignedHeaders={all}, Signature={}",
            sig.to_uppercase()
        );
        assert!(verify_get_with_authorization(Some(&spaced)).is_ok());
    }

    #[test]
    fn required_headers_must_be_signed() {
        let creds = Credentials {
            access_key_id: "testid".into(),
            access_key_secret: "testsecret".into(),
            security_token: None,
        };
        let date = "2026-11-28T19:27:45Z";
        let now = parse_acs_date(date).unwrap();
        for left_out in REQUIRED_SIGNED_HEADERS.into_iter().chain(SIGNED_IF_PRESENT) {
            // Sign by hand without one header, but still send it.
            let mut all = pairs(&[
                ("host", "example.com"),
                ("x-acs-action", "GetWorkspace"),
                ("x-acs-version", API_VERSION),
                ("x-acs-date", date),
                ("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef"),
                ("x-acs-content-sha256", &sha256_hex(b"")),
                ("x-acs-security-token", "sts-token"),
            ]);
            let signed: Vec<(String, String)> =
                all.iter().filter(|(n, _)| n != left_out).cloned().collect();
            let canonical = canonical_request("GET", "/", &[], &signed, &sha256_hex(b""));
            all.push((
                "authorization".into(),
                format!(
                    "{ALGORITHM} Credential={},SignedHeaders={},Signature={}",
                    creds.access_key_id,
                    signed_headers(&signed),
                    signature(&creds.access_key_secret, &string_to_sign(&canonical))
                ),
            ));
            let request = IncomingRequest {
                method: "GET",
                path: "/",
                raw_query: "",
                body: b"",
            };
            let err = verify(
                &request,
                lookup(&all),
                secret_of("testid", "testsecret"),
                now,
                |_| false,
            )
            .unwrap_err();
            assert_eq!(err, VerifyError::HeaderNotSigned(left_out.into()));
            assert_eq!(err.code(), "SignatureDoesNotMatch");
        }
    }

    #[test]
    fn signed_header_absent_from_request_is_refused() {
        let mut headers = SDK_GET.headers();
        headers.retain(|(n, _)| n != "user-agent");
        let err = SDK_GET
            .verify_with(&headers, b"", "testsecret", SDK_GET.date(), &nonce_store())
            .unwrap_err();
        assert_eq!(err, VerifyError::SignedHeaderMissing("user-agent".into()));
    }

    #[test]
    fn unparseable_date_is_refused() {
        let store = nonce_store();
        let headers = signed_round_trip_headers("2026-11-28 19:27:45", "nonce-a", None);
        let err = verify(
            &IncomingRequest {
                method: "GET",
                path: "/api/v1/workspaces",
                raw_query: "",
                body: b"",
            },
            lookup(&headers),
            secret_of("testid", "testsecret"),
            0,
            seen(&store),
        )
        .unwrap_err();
        assert_eq!(err, VerifyError::DateFormat);
        assert_eq!(err.code(), "InvalidTimeStamp.Format");
    }

    fn signed_round_trip_headers(
        date: &str,
        nonce: &str,
        token: Option<&str>,
    ) -> Vec<(String, String)> {
        sign(
            &SignRequest {
                method: "GET",
                host: "example.com",
                path: "/api/v1/workspaces",
                query: &[],
                body: b"",
                content_type: None,
                action: "ListWorkspaces",
                version: API_VERSION,
            },
            &Credentials {
                access_key_id: "testid".into(),
                access_key_secret: "testsecret".into(),
                security_token: token.map(String::from),
            },
            date,
            nonce,
        )
    }

    #[test]
    fn malformed_query_is_refused() {
        let headers = signed_round_trip_headers("2026-11-28T19:27:45Z", "nonce-b", None);
        for raw_query in ["a=%zz", "a=%4", "a=%FF"] {
            let err = verify(
                &IncomingRequest {
                    method: "GET",
                    path: "/api/v1/workspaces",
                    raw_query,
                    body: b"",
                },
                lookup(&headers),
                secret_of("testid", "testsecret"),
                parse_acs_date("2026-11-28T19:27:45Z").unwrap(),
                |_| false,
            )
            .unwrap_err();
            assert_eq!(err, VerifyError::MalformedQuery, "{raw_query}");
        }
    }

    // --- 3. Round trips through sign and verify --------------------------------------------------------------

    #[test]
    fn round_trips() {
        let odd_query = pairs(&[
            ("regionId", "cn-hangzhou"),
            ("name", "my workspace*~"),
            ("tag", "数据 湖/+=&?"),
            ("empty", ""),
            ("a b*", "key needs encoding too"),
        ]);
        let body = br#"{"workspaceName":"demo","resourceSpec":{"cu":"8"},"ossBucket":"oss://demo-bucket/"}"#;
        let now = 1_795_000_000;
        let date = format_acs_date(now);
        let store = nonce_store();
        for (method, path, query, body, content_type) in [
            ("GET", "/api/v1/workspaces", &odd_query, &b""[..], None),
            (
                "GET",
                "/api/v1/workspaces/w%20x%2A~%C3%A9",
                &pairs(&[]),
                &b""[..],
                None,
            ),
            (
                "POST",
                "/api/v1/workspaces",
                &odd_query,
                &body[..],
                Some("application/json; charset=utf-8"),
            ),
        ] {
            for token in [None, Some("CAIS-sts-token")] {
                let credentials = Credentials {
                    access_key_id: "testid".into(),
                    access_key_secret: "testsecret".into(),
                    security_token: token.map(String::from),
                };
                let request = SignRequest {
                    method,
                    host: "emr-serverless-spark.cn-hangzhou.aliyuncs.com",
                    path,
                    query,
                    body,
                    content_type,
                    action: if method == "GET" {
                        "GetWorkspace"
                    } else {
                        "CreateWorkspace"
                    },
                    version: API_VERSION,
                };
                let nonce = new_nonce();
                let headers = sign(&request, &credentials, &date, &nonce);
                let get = lookup(&headers);
                assert_eq!(get("x-acs-security-token").as_deref(), token);
                assert_eq!(get("content-type").as_deref(), content_type);
                assert_eq!(get("x-acs-content-sha256").unwrap(), sha256_hex(body));
                assert_eq!(get("x-acs-date").unwrap(), date);
                let authorization = get("authorization").unwrap();
                let names: Vec<&str> = headers
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .filter(|n| *n != "authorization")
                    .collect();
                let mut sorted = names.clone();
                sorted.sort_unstable();
                assert!(
                    authorization.contains(&format!(",SignedHeaders={},", sorted.join(";"))),
                    "every sent header is signed: {authorization}"
                );

                // Sent both as the canonical (RFC 3986) query and as the form encoding the Python SDK uses.
                let wire = canonical_query(query);
                let form = wire.replace("%20", "+");
                for raw_query in [wire.as_str(), form.as_str()] {
                    let incoming = IncomingRequest {
                        method,
                        path,
                        raw_query,
                        body,
                    };
                    // A fresh store per encoding: the same signed request is sent twice on purpose.
                    let once = nonce_store();
                    assert_eq!(
                        verify(
                            &incoming,
                            &get,
                            secret_of("testid", "testsecret"),
                            now,
                            seen(&once)
                        ),
                        Ok(VerifiedKey("testid".into())),
                        "{method} {path}?{raw_query} token={token:?}"
                    );
                }
                let incoming = IncomingRequest {
                    method,
                    path,
                    raw_query: &wire,
                    body,
                };
                assert!(
                    verify(
                        &incoming,
                        &get,
                        secret_of("testid", "testsecret"),
                        now,
                        seen(&store)
                    )
                    .is_ok()
                );
                assert_eq!(
                    verify(
                        &incoming,
                        &get,
                        secret_of("testid", "testsecret"),
                        now,
                        seen(&store)
                    ),
                    Err(VerifyError::NonceUsed)
                );
                let other_method = if method == "GET" { "DELETE" } else { "PUT" };
                assert_eq!(
                    verify(
                        &IncomingRequest {
                            method: other_method,
                            ..incoming
                        },
                        &get,
                        secret_of("testid", "testsecret"),
                        now,
                        |_| false
                    )
                    .unwrap_err()
                    .code(),
                    "SignatureDoesNotMatch"
                );
            }
        }
    }

    #[test]
    fn security_token_must_be_signed_when_present() {
        let mut headers = signed_round_trip_headers("2026-11-28T19:27:45Z", "nonce-c", None);
        headers.push(("x-acs-security-token".into(), "injected".into()));
        let err = verify(
            &IncomingRequest {
                method: "GET",
                path: "/api/v1/workspaces",
                raw_query: "",
                body: b"",
            },
            lookup(&headers),
            secret_of("testid", "testsecret"),
            parse_acs_date("2026-11-28T19:27:45Z").unwrap(),
            |_| false,
        )
        .unwrap_err();
        assert_eq!(
            err,
            VerifyError::HeaderNotSigned("x-acs-security-token".into())
        );
    }

    #[test]
    fn error_messages_are_english_and_coded() {
        let all = [
            VerifyError::MissingAuthorization,
            VerifyError::MalformedAuthorization("why"),
            VerifyError::HeaderNotSigned("host".into()),
            VerifyError::SignedHeaderMissing("accept".into()),
            VerifyError::MalformedQuery,
            VerifyError::ContentHashMismatch,
            VerifyError::SignatureMismatch {
                string_to_sign: "ACS3-HMAC-SHA256\nabc".into(),
            },
            VerifyError::UnknownAccessKey("LTAI-x".into()),
            VerifyError::DateFormat,
            VerifyError::DateExpired,
            VerifyError::NonceUsed,
        ];
        for err in &all {
            assert!(!err.message().is_empty());
            assert!(err.to_string().starts_with(err.code()));
        }
        assert!(all[6].message().contains("ACS3-HMAC-SHA256\nabc"));
    }
}
