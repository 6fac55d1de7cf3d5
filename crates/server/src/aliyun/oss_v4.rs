//! OSS Signature V4 (`OSS4-HMAC-SHA256`) for ListBuckets, as `alibabacloud-oss-v2` 1.4.1 signs it
//! (`signer/v4.py`, `SignerV4._auth_header`).
//!
//! OSS does not take ACS3: its gateway wants its own V4 scheme, whose key is derived per day, region and product,
//! and whose canonical request leaves the payload unsigned and `host` out. Only what ListBuckets (`GET /` on the
//! service endpoint, no bucket, no object) needs is here; the SDK's query-string (presigned) variant and
//! `AdditionalHeaders` are not, because nothing here sends them.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use time::{OffsetDateTime, format_description::BorrowedFormatItem, macros::format_description};

use crate::aliyun::acs3::{Credentials, percent_encode, sha256_hex};

/// First word of the `Authorization` header and first line of the string to sign.
pub const ALGORITHM: &str = "OSS4-HMAC-SHA256";
/// `x-oss-content-sha256`: the SDK never hashes the body for header signing.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The product of the signing scope.
pub const PRODUCT: &str = "oss";
/// `Content-Type` the SDK sets on ListBuckets.
pub const LIST_BUCKETS_CONTENT_TYPE: &str = "application/octet-stream";
/// `Content-MD5` of an empty body, which the SDK's `add_content_md5` adds to ListBuckets.
pub const EMPTY_CONTENT_MD5: &str = "1B2M2Y8AsgTpgAmY7PhCfg==";

const OSS_DATE: &[BorrowedFormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");
/// RFC 1123 with `GMT`, as Python's `email.utils.format_datetime(dt, usegmt=True)` writes it.
const HTTP_DATE: &[BorrowedFormatItem<'static>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// The service endpoint ListBuckets goes to (its answer covers every region, whichever endpoint is asked).
pub fn service_host(region: &str) -> String {
    format!("oss-{region}.aliyuncs.com")
}

fn utc(unix_seconds: u64) -> OffsetDateTime {
    i64::try_from(unix_seconds)
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        // Past the formats' four-digit years nothing can be signed sensibly; the last second keeps it total.
        .unwrap_or_else(|| OffsetDateTime::from_unix_timestamp(253_402_300_799).expect("in range"))
}

/// `x-oss-date`: `YYYYMMDDTHHMMSSZ`.
pub fn format_oss_date(unix_seconds: u64) -> String {
    utc(unix_seconds)
        .format(OSS_DATE)
        .expect("four-digit years format")
}

/// The `Date` header (sent, not signed): `Tue, 02 Jan 2024 03:04:05 GMT`.
pub fn format_http_date(unix_seconds: u64) -> String {
    utc(unix_seconds)
        .format(HTTP_DATE)
        .expect("four-digit years format")
}

/// The query string as the SDK sends it: pairs in the given order, each side `quote(s, safe='')` (what
/// `urlencode(..., quote_via=quote)` does), an empty value as `k=`.
pub fn encode_query(query: &[(String, String)]) -> String {
    query
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical query: the encoded pairs sorted (the SDK sorts the already-encoded `(key, value)` tuples, which
/// can differ from sorting decoded ones), joined by `&`, with an empty value written as the key alone.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    encoded.sort();
    encoded
        .into_iter()
        .map(|(k, v)| if v.is_empty() { k } else { format!("{k}={v}") })
        .collect::<Vec<_>>()
        .join("&")
}

/// Whether V4 signs a header by default: every `x-oss-*` one, `content-type` and `content-md5` (`host` is not).
pub fn is_signed_header(lower_name: &str) -> bool {
    lower_name.starts_with("x-oss-") || lower_name == "content-type" || lower_name == "content-md5"
}

/// `METHOD\nURI\nQUERY\nHEADERS\n\nUNSIGNED-PAYLOAD` for a request on the service (URI `/`): the signed headers
/// lower-cased, sorted by name, one `name:value\n` each; the empty line is the (unused) additional headers.
pub fn canonical_request(
    method: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
) -> String {
    let mut signed: Vec<(String, &str)> = headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.as_str()))
        .filter(|(name, _)| is_signed_header(name))
        .collect();
    // The SDK's sort is stable and by name only, so repeated names keep their order; headers here are unique.
    signed.sort_by(|a, b| a.0.cmp(&b.0));
    let canonical_headers: String = signed
        .iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect();
    let payload = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("x-oss-content-sha256"))
        .map_or(UNSIGNED_PAYLOAD, |(_, value)| value.as_str());
    format!(
        "{method}\n/\n{}\n{canonical_headers}\n\n{payload}",
        canonical_query(query)
    )
}

/// `<yyyymmdd>/<region>/oss/aliyun_v4_request`.
pub fn scope(date: &str, region: &str) -> String {
    format!("{date}/{region}/{PRODUCT}/aliyun_v4_request")
}

/// `OSS4-HMAC-SHA256\n<x-oss-date>\n<scope>\nhex(sha256(canonical))`.
pub fn string_to_sign(oss_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{oss_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The day's signing key: `"aliyun_v4"+secret` → date → region → `oss` → `aliyun_v4_request`.
pub fn signing_key(secret: &str, date: &str, region: &str) -> Vec<u8> {
    let key = hmac(format!("aliyun_v4{secret}").as_bytes(), date);
    let key = hmac(&key, region);
    let key = hmac(&key, PRODUCT);
    hmac(&key, "aliyun_v4_request")
}

/// `hex(hmac_sha256(signing_key, string_to_sign))`.
pub fn signature(secret: &str, date: &str, region: &str, string_to_sign: &str) -> String {
    hex::encode(hmac(&signing_key(secret, date, region), string_to_sign))
}

/// Signs `GET /` (ListBuckets) to `oss-<region>.aliyuncs.com` with the query `query` (decoded pairs; send them as
/// [`encode_query`]) at `unix_seconds`, and returns the headers the SDK sends, lower-case names: `x-oss-date`,
/// `date`, `x-oss-security-token` (with STS), `x-oss-content-sha256`, `content-type`, `content-md5`, then
/// `authorization`. The time is a parameter so that signing is deterministic under test.
pub fn sign_list_buckets(
    credentials: &Credentials,
    region: &str,
    query: &[(String, String)],
    unix_seconds: u64,
) -> Vec<(String, String)> {
    let oss_date = format_oss_date(unix_seconds);
    let mut headers: Vec<(String, String)> = vec![
        ("x-oss-date".into(), oss_date.clone()),
        ("date".into(), format_http_date(unix_seconds)),
    ];
    if let Some(token) = &credentials.security_token {
        headers.push(("x-oss-security-token".into(), token.clone()));
    }
    headers.extend([
        ("x-oss-content-sha256".into(), UNSIGNED_PAYLOAD.into()),
        ("content-type".into(), LIST_BUCKETS_CONTENT_TYPE.into()),
        ("content-md5".into(), EMPTY_CONTENT_MD5.into()),
    ]);
    let authorization = authorization("GET", credentials, region, query, &headers);
    headers.push(("authorization".into(), authorization));
    headers
}

/// The `Authorization` header for a request on the service whose headers (with `x-oss-date`) are `headers`: also
/// what a server recomputes to check a received request.
pub fn authorization(
    method: &str,
    credentials: &Credentials,
    region: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
) -> String {
    let oss_date = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("x-oss-date"))
        .map_or("", |(_, value)| value.as_str());
    let date = oss_date.get(..8).unwrap_or(oss_date);
    let scope = scope(date, region);
    let to_sign = string_to_sign(oss_date, &scope, &canonical_request(method, query, headers));
    format!(
        "{ALGORITHM} Credential={}/{scope},Signature={}",
        credentials.access_key_id,
        signature(&credentials.access_key_secret, date, region, &to_sign)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn key(token: Option<&str>) -> Credentials {
        Credentials {
            access_key_id: "ak".into(),
            access_key_secret: "sk".into(),
            security_token: token.map(str::to_owned),
        }
    }

    const JAN_2_2024: u64 = 1_704_164_645; // 2024-01-02T03:04:05Z

    /// The vector account-listings.md records from `SignerV4` itself.
    #[test]
    fn reproduces_the_recorded_sdk_vector() {
        let query = pairs(&[("marker", "a/b c"), ("max-keys", "2"), ("prefix", "my")]);
        let headers = sign_list_buckets(&key(None), "cn-hangzhou", &query, JAN_2_2024);
        let auth = &headers.last().unwrap().1;
        assert_eq!(
            auth,
            "OSS4-HMAC-SHA256 Credential=ak/20240102/cn-hangzhou/oss/aliyun_v4_request,\
             Signature=6acfbdd77d3e99eb89ba0e24b3cf59be8fcb75563088d8acf5e66f9519e3699b"
        );
    }

    #[test]
    fn canonical_request_layout() {
        let query = pairs(&[("prefix", "my"), ("marker", "a/b c"), ("tagging", "")]);
        let headers = pairs(&[
            ("Host", "oss-cn-hangzhou.aliyuncs.com"),
            ("User-Agent", "x"),
            ("Date", "Tue, 02 Jan 2024 03:04:05 GMT"),
            ("x-oss-date", "20240102T030405Z"),
            ("Content-Type", "application/octet-stream"),
            ("Content-MD5", EMPTY_CONTENT_MD5),
            ("x-oss-content-sha256", UNSIGNED_PAYLOAD),
        ]);
        assert_eq!(
            canonical_request("GET", &query, &headers),
            "GET\n/\nmarker=a%2Fb%20c&prefix=my&tagging\n\
             content-md5:1B2M2Y8AsgTpgAmY7PhCfg==\n\
             content-type:application/octet-stream\n\
             x-oss-content-sha256:UNSIGNED-PAYLOAD\n\
             x-oss-date:20240102T030405Z\n\
             \n\
             \n\
             UNSIGNED-PAYLOAD"
        );
    }

    #[test]
    fn queries_encode_and_sort_like_the_sdk() {
        for (query, canonical, sent) in [
            (vec![], "", ""),
            (vec![("max-keys", "10")], "max-keys=10", "max-keys=10"),
            (
                vec![("prefix", "x"), ("marker", "")],
                "marker&prefix=x",
                "prefix=x&marker=",
            ),
            (
                vec![("prefix", "日志/ a+b*~")],
                "prefix=%E6%97%A5%E5%BF%97%2F%20a%2Bb%2A~",
                "prefix=%E6%97%A5%E5%BF%97%2F%20a%2Bb%2A~",
            ),
            // Sorted after encoding: `%` (0x25) sorts before `-` (0x2d) and letters.
            (
                vec![("a-b", "1"), ("a b", "2")],
                "a%20b=2&a-b=1",
                "a-b=1&a%20b=2",
            ),
            (vec![("k", "b"), ("k", "a")], "k=a&k=b", "k=b&k=a"),
        ] {
            let query = pairs(&query);
            assert_eq!(canonical_query(&query), canonical, "{query:?}");
            assert_eq!(encode_query(&query), sent, "{query:?}");
        }
    }

    #[test]
    fn headers_sent_and_signed() {
        let headers = sign_list_buckets(&key(Some("tok/en")), "cn-shanghai", &[], JAN_2_2024);
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "x-oss-date",
                "date",
                "x-oss-security-token",
                "x-oss-content-sha256",
                "content-type",
                "content-md5",
                "authorization"
            ]
        );
        let get = |n: &str| headers.iter().find(|(k, _)| k == n).unwrap().1.as_str();
        assert_eq!(get("x-oss-date"), "20240102T030405Z");
        assert_eq!(get("date"), "Tue, 02 Jan 2024 03:04:05 GMT");
        assert_eq!(get("x-oss-security-token"), "tok/en");
        assert!(get("authorization").starts_with(
            "OSS4-HMAC-SHA256 Credential=ak/20240102/cn-shanghai/oss/aliyun_v4_request,Signature="
        ));
        // The token is signed: another token, another signature.
        let other = sign_list_buckets(&key(Some("other")), "cn-shanghai", &[], JAN_2_2024);
        assert_ne!(other.last(), headers.last());
        // `date` is not signed, `x-oss-date` is.
        let mut changed = headers[..headers.len() - 1].to_vec();
        changed[1].1 = "Wed, 03 Jan 2024 00:00:00 GMT".into();
        assert_eq!(
            authorization("GET", &key(Some("tok/en")), "cn-shanghai", &[], &changed),
            headers.last().unwrap().1
        );
        changed[0].1 = "20240102T030406Z".into();
        assert_ne!(
            authorization("GET", &key(Some("tok/en")), "cn-shanghai", &[], &changed),
            headers.last().unwrap().1
        );
    }

    #[test]
    fn dates() {
        for (unix, oss, http) in [
            (0, "19700101T000000Z", "Thu, 01 Jan 1970 00:00:00 GMT"),
            (
                JAN_2_2024,
                "20240102T030405Z",
                "Tue, 02 Jan 2024 03:04:05 GMT",
            ),
            (
                1_709_251_199,
                "20240229T235959Z",
                "Thu, 29 Feb 2024 23:59:59 GMT",
            ),
            (
                u64::MAX,
                "99991231T235959Z",
                "Fri, 31 Dec 9999 23:59:59 GMT",
            ),
        ] {
            assert_eq!(format_oss_date(unix), oss);
            assert_eq!(format_http_date(unix), http);
        }
    }

    #[test]
    fn hosts() {
        assert_eq!(service_host("cn-hangzhou"), "oss-cn-hangzhou.aliyuncs.com");
    }
}
