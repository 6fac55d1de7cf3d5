//! The canonical request: how a method, path, query, headers and body become the one string both sides sign.
//! Also the encodings it rests on (RFC 3986 percent-encoding, query decoding, lower-case hex SHA-256).

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

use super::ALGORITHM;

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - _ . ~`) is escaped.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `hex(sha256(bytes))`: the `x-acs-content-sha256` of a body.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// RFC 3986 percent-encoding of everything but the unreserved set, upper-case `%XX` over UTF-8: space is `%20`,
/// `*` is `%2A`, `/` is `%2F`, `~` stays. This is the SDKs' `quote(s, safe='~')`.
pub fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

/// Decodes a query string as received into `(key, value)` pairs; `None` if an escape is broken or the result is
/// not UTF-8.
///
/// `+` decodes to a space: the Python SDK signs RFC 3986 values (`%20`) but sends the query through
/// `urllib.parse.urlencode`, which writes spaces as `+` and a literal plus as `%2B`. No RFC 3986 encoder emits a
/// bare `+`, so reading it as a space is right for both kinds of client.
pub fn decode_query(raw: &str) -> Option<Vec<(String, String)>> {
    raw.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            Some((form_decode(key)?, form_decode(value)?))
        })
        .collect()
}

/// Decodes one `application/x-www-form-urlencoded` component; `None` if an escape is broken or the result is
/// not UTF-8.
pub fn form_decode(s: &str) -> Option<String> {
    // `%2B` decodes to a plus after this, so only literal pluses become spaces.
    percent_decode_strict(&s.replace('+', " "))
}

/// Percent-decodes `s` (a `+` stays a plus, as in paths); `None` if an escape is broken or the result is not UTF-8.
/// `percent-encoding` itself keeps a broken escape as text, but a signature over a string the two sides read
/// differently must not verify, so a broken one is refused here.
pub fn percent_decode_strict(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let whole = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|pair| pair.iter().all(u8::is_ascii_hexdigit))
    });
    if !whole {
        return None;
    }
    percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
}

/// The canonical query string: pairs sorted by key (then value, so repeated keys are deterministic), key and
/// value RFC 3986-encoded, `key=value` joined by `&`. It is also a valid query string to send.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    // Sorting the decoded keys is what the SDKs do (Python sorts the dict keys before quoting them).
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Headers as they enter the signature: names lower-cased, values trimmed, repeated names merged into one
/// comma-joined entry of sorted values (as the SDKs do), sorted by name.
fn normalise_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut grouped: Vec<(String, Vec<&str>)> = Vec::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        let value = value.trim();
        match grouped.iter_mut().find(|(n, _)| *n == name) {
            Some((_, values)) => values.push(value),
            None => grouped.push((name, vec![value])),
        }
    }
    grouped.sort_by(|a, b| a.0.cmp(&b.0));
    grouped
        .into_iter()
        .map(|(name, mut values)| {
            values.sort_unstable();
            (name, values.join(","))
        })
        .collect()
}

/// The `SignedHeaders` value for a set of headers that are all to be signed: sorted lower-case names joined by
/// `;`.
pub fn signed_headers(headers: &[(String, String)]) -> String {
    normalise_headers(headers)
        .into_iter()
        .map(|(name, _)| name)
        .collect::<Vec<_>>()
        .join(";")
}

/// The canonical request over exactly `headers` (every one of them is signed; pass only those):
///
/// ```text
/// METHOD \n path \n canonical_query \n name:value\n… \n signed;headers \n payload_hash_hex
/// ```
///
/// `path` is the request path as sent, still percent-encoded; an empty path counts as `/`.
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    payload_hash_hex: &str,
) -> String {
    let headers = normalise_headers(headers);
    let mut out = String::new();
    out.push_str(method);
    out.push('\n');
    out.push_str(if path.is_empty() { "/" } else { path });
    out.push('\n');
    out.push_str(&canonical_query(query));
    out.push('\n');
    for (name, value) in &headers {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out.push('\n');
    let names: Vec<&str> = headers.iter().map(|(name, _)| name.as_str()).collect();
    out.push_str(&names.join(";"));
    out.push('\n');
    out.push_str(payload_hash_hex);
    out
}

/// `"ACS3-HMAC-SHA256\n" + hex(sha256(canonical_request))`.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", sha256_hex(canonical_request.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aliyun::acs3::test_support::*;

    #[test]
    fn header_normalisation() {
        let headers = pairs(&[
            ("X-Acs-Date", "  2026-11-28T19:27:45Z\t"),
            ("Host", "example.com"),
            ("x-custom", "b"),
            ("X-Custom", " a "),
        ]);
        assert_eq!(signed_headers(&headers), "host;x-acs-date;x-custom");
        assert_eq!(
            canonical_request("GET", "", &[], &headers, "hash"),
            "GET\n/\n\nhost:example.com\nx-acs-date:2026-11-28T19:27:45Z\nx-custom:a,b\n\nhost;x-acs-date;x-custom\nhash"
        );
    }

    #[test]
    fn rfc3986_encoding() {
        for (raw, encoded) in [
            ("", ""),
            ("AZaz09-_.~", "AZaz09-_.~"),
            ("a b", "a%20b"),
            ("*", "%2A"),
            ("~", "~"),
            ("+", "%2B"),
            ("/", "%2F"),
            ("oss://demo-bucket/", "oss%3A%2F%2Fdemo-bucket%2F"),
            ("a=b&c", "a%3Db%26c"),
            ("%", "%25"),
            ("é", "%C3%A9"),
            ("数据", "%E6%95%B0%E6%8D%AE"),
            ("😀", "%F0%9F%98%80"),
            ("!'()", "%21%27%28%29"),
        ] {
            assert_eq!(percent_encode(raw), encoded, "{raw:?}");
            assert_eq!(form_decode(encoded).as_deref(), Some(raw), "{encoded:?}");
        }
        assert_eq!(
            canonical_query(&pairs(&[("b", "2"), ("a", "x y"), ("a", "w"), ("c*", "~")])),
            "a=w&a=x%20y&b=2&c%2A=~"
        );
        assert_eq!(canonical_query(&[]), "");
    }

    #[test]
    fn query_decoding() {
        assert_eq!(decode_query(""), Some(vec![]));
        assert_eq!(
            decode_query("regionId=cn+hangzhou%2A~%2B%C3%A9%2F&flag&x=&&y=a=b"),
            Some(pairs(&[
                ("regionId", "cn hangzhou*~+é/"),
                ("flag", ""),
                ("x", ""),
                ("y", "a=b"),
            ]))
        );
        assert_eq!(decode_query("a=%e6%95%b0"), Some(pairs(&[("a", "数")])));
        assert_eq!(decode_query("a=%"), None);
        assert_eq!(decode_query("a=%C3"), None);
    }
}
