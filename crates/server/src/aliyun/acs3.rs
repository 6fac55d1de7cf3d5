//! ACS3-HMAC-SHA256 (Alibaba Cloud signature V3): signing outgoing requests and verifying incoming ones.
//!
//! The signer ([`sign`]) and the verifier ([`verify`]) both go through [`canonical_request`], [`string_to_sign`] and
//! [`signature`], so a request this module signs is by construction one it accepts, and both agree with the
//! official SDKs (pinned by the worked example from Alibaba's guide and by requests captured from the Python SDK).
//!
//! Paths are used exactly as they travel on the wire: the SDKs put the already percent-encoded pathname into the
//! canonical request (`/api/v1/workspaces/w%20x` stays as is), so callers hand in the raw request path and, when
//! signing, the path they are about to send.
//!
//! Submodules: `canonical` (encodings and the canonical request), `sign` (the HMAC and outgoing headers), `verify`
//! (incoming requests) and `date` (`x-acs-date`); everything public is re-exported here.

mod canonical;
mod date;
mod sign;
#[cfg(test)]
mod test_support;
mod verify;

use std::fmt;

pub use canonical::{
    canonical_query, canonical_request, decode_query, form_decode, percent_decode_strict,
    percent_encode, sha256_hex, signed_headers, string_to_sign,
};
pub use date::{format_acs_date, parse_acs_date};
pub use sign::{SignRequest, new_nonce, sign, signature};
pub use verify::{IncomingRequest, VerifiedKey, VerifyError, verify};

/// The only algorithm this module speaks; it is also the first line of the string to sign.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// `x-acs-version` of the EMR Serverless Spark API.
pub const API_VERSION: &str = "2023-08-08";

/// How far `x-acs-date` may be from the server clock, in either direction, as on Alibaba's gateway.
pub const MAX_CLOCK_SKEW_SECONDS: u64 = 15 * 60;

/// Headers that must be covered by the signature: without them a captured request could be replayed later
/// (date, nonce), against another host, or with another body.
pub const REQUIRED_SIGNED_HEADERS: [&str; 4] = [
    "host",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-signature-nonce",
];

/// Headers that need not be sent, but when they are, they must be signed: the server routes on the action and
/// version, so an unsigned one could be swapped in flight. Alibaba's guide requires the same of every common
/// request header that is present.
pub const SIGNED_IF_PRESENT: [&str; 3] = ["x-acs-action", "x-acs-version", "x-acs-security-token"];

/// An AccessKey pair, optionally with an STS token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub security_token: Option<String>,
}

// Hand-written so that logging a config or an error can never leak the secret or the token.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"***")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "***"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_debug_hides_secrets() {
        let credentials = Credentials {
            access_key_id: "LTAI-visible".into(),
            access_key_secret: "very-secret".into(),
            security_token: Some("sts-secret".into()),
        };
        let shown = format!("{credentials:?} {credentials:#?}");
        assert!(shown.contains("LTAI-visible"));
        assert!(shown.contains("***"));
        assert!(!shown.contains("very-secret") && !shown.contains("sts-secret"));
        let without = Credentials {
            security_token: None,
            ..credentials
        };
        assert!(format!("{without:?}").contains("security_token: None"));
    }
}
