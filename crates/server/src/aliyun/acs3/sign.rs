//! Signing: the HMAC over the string to sign, and the headers an outgoing call carries.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::{
    ALGORITHM, Credentials, canonical_request, sha256_hex, signed_headers, string_to_sign,
};
#[cfg(doc)]
use super::{API_VERSION, canonical_query, format_acs_date};

/// The keyed HMAC-SHA256 over a string to sign, for the verifier to compare against in constant time.
pub(super) fn mac(secret: &str, string_to_sign: &str) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(string_to_sign.as_bytes());
    mac
}

/// `hex(hmac_sha256(secret, string_to_sign))`.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    hex::encode(mac(secret, string_to_sign).finalize().into_bytes())
}

/// What an outgoing call consists of, apart from who signs it and when.
#[derive(Clone, Copy, Debug)]
pub struct SignRequest<'a> {
    pub method: &'a str,
    /// Exactly the `Host` header that will be sent, including a port if the URL has one.
    pub host: &'a str,
    /// The path as it will be sent, already percent-encoded.
    pub path: &'a str,
    /// Decoded query pairs; send them as [`canonical_query`] so the wire and the signature agree.
    pub query: &'a [(String, String)],
    /// The exact bytes that will be sent: re-serialising after signing breaks the signature.
    pub body: &'a [u8],
    pub content_type: Option<&'a str>,
    /// `x-acs-action`, e.g. `CreateWorkspace`.
    pub action: &'a str,
    /// `x-acs-version`, normally [`API_VERSION`].
    pub version: &'a str,
}

/// Signs a request and returns every header to send with it, all names lower-case: `host`, `x-acs-action`,
/// `x-acs-version`, `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`, `content-type` (if given),
/// `x-acs-security-token` (with STS credentials) and finally `authorization`. All but `authorization` are signed.
///
/// `date` is `x-acs-date` (see [`format_acs_date`]) and `nonce` must be fresh per request (see [`new_nonce`]);
/// both are parameters so that signing is deterministic under test.
pub fn sign(
    request: &SignRequest<'_>,
    credentials: &Credentials,
    date: &str,
    nonce: &str,
) -> Vec<(String, String)> {
    let payload_hash = sha256_hex(request.body);
    let mut headers: Vec<(String, String)> = vec![
        ("host".into(), request.host.into()),
        ("x-acs-action".into(), request.action.into()),
        ("x-acs-version".into(), request.version.into()),
        ("x-acs-date".into(), date.into()),
        ("x-acs-signature-nonce".into(), nonce.into()),
        ("x-acs-content-sha256".into(), payload_hash.clone()),
    ];
    if let Some(content_type) = request.content_type {
        headers.push(("content-type".into(), content_type.into()));
    }
    if let Some(token) = &credentials.security_token {
        headers.push(("x-acs-security-token".into(), token.clone()));
    }
    let canonical = canonical_request(
        request.method,
        request.path,
        request.query,
        &headers,
        &payload_hash,
    );
    let signature = signature(&credentials.access_key_secret, &string_to_sign(&canonical));
    let authorization = format!(
        "{ALGORITHM} Credential={},SignedHeaders={},Signature={signature}",
        credentials.access_key_id,
        signed_headers(&headers),
    );
    headers.push(("authorization".into(), authorization));
    headers
}

/// 32 lower-case hex characters from the OS random source, for `x-acs-signature-nonce`.
pub fn new_nonce() -> String {
    let mut buf = [0u8; 16];
    // A predictable nonce would let a replayed request slip through, so there is no weaker fallback: a host
    // without a working random source cannot sign safely.
    getrandom::fill(&mut buf).expect("the OS random source is unavailable");
    hex::encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aliyun::acs3::{test_support::*, *};

    // --- 1. Alibaba's worked example -------------------------------------------------------------------------

    #[test]
    fn official_worked_example() {
        let query = pairs(&[
            ("RegionId", "cn-shanghai"),
            (
                "ImageId",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            ),
        ]);
        let headers = pairs(&[
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            (
                "x-acs-content-sha256",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
        ]);
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let canonical = canonical_request("POST", "/", &query, &headers, &sha256_hex(b""));
        assert_eq!(
            canonical,
            "POST\n/\n\
             ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
             host:ecs.cn-shanghai.aliyuncs.com\n\
             x-acs-action:RunInstances\n\
             x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             x-acs-date:2023-10-26T10:22:32Z\n\
             x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
             x-acs-version:2014-05-26\n\
             \n\
             host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let to_sign = string_to_sign(&canonical);
        assert_eq!(
            to_sign,
            "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            signature("YourAccessKeySecret", &to_sign),
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
        assert_eq!(
            signed_headers(&headers),
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
        );
    }

    #[test]
    fn signer_reproduces_the_worked_example() {
        let query = pairs(&[
            (
                "ImageId",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            ),
            ("RegionId", "cn-shanghai"),
        ]);
        let request = SignRequest {
            method: "POST",
            host: "ecs.cn-shanghai.aliyuncs.com",
            path: "/",
            query: &query,
            body: b"",
            content_type: None,
            action: "RunInstances",
            version: "2014-05-26",
        };
        let credentials = Credentials {
            access_key_id: "YourAccessKeyId".into(),
            access_key_secret: "YourAccessKeySecret".into(),
            security_token: None,
        };
        let headers = sign(
            &request,
            &credentials,
            "2023-10-26T10:22:32Z",
            "3156853299f313e23d1673dc12e1703d",
        );
        assert_eq!(
            lookup(&headers)("authorization").unwrap(),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,\
             SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
             Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "host",
                "x-acs-action",
                "x-acs-version",
                "x-acs-date",
                "x-acs-signature-nonce",
                "x-acs-content-sha256",
                "authorization"
            ]
        );
    }

    #[test]
    fn nonces_are_fresh_hex() {
        let a = new_nonce();
        let b = new_nonce();
        assert_eq!(a.len(), 32);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
    }

    // --- 4. Dates and encoding -------------------------------------------------------------------------------
}
