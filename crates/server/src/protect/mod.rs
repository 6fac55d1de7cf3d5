//! What keeps other web pages away from a server that can spend money, for both backends:
//!
//! - the `Host` check, always on: a page on `evil.example` whose name is made to resolve to 127.0.0.1 (DNS
//!   rebinding) is same-origin with this server for the browser, but its requests still name `evil.example` in
//!   `Host`, or, behind a proxy such as trunk's that rewrites `Host`, in `X-Forwarded-Host` / `Forwarded: host=`;
//! - the `Origin` check on the API: browsers send `Origin` with every state-changing request, and a rebound page
//!   sends its own, which a proxy keeps even when it rewrites `Host`; cross-site requests (`<img src=…>`) are
//!   refused by `Sec-Fetch-Site`;
//! - an optional bearer token, and CORS only for named origins;
//! - with `--verify-key`, ACS3 signatures on every API request, and on the page a Content-Security-Policy that
//!   allows only its own code.
//!
//! Requests with no `Origin` and no `Sec-Fetch-Site` (SDKs, curl) are not browsers' and pass the origin check.

pub mod csp;
pub mod host;
pub mod origin;
pub mod signature;
pub mod token;
