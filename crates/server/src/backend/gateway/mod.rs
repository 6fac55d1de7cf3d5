//! The signing gateway: forwards CreateWorkspace, GetWorkspace and ListWorkspaces to Alibaba Cloud, signed with
//! ACS3-HMAC-SHA256 on the server, so that no key ever reaches the browser.
//!
//! - Only the route table's operations ([`crate::backend::Backend::routes`]) are called, each on its own
//!   [`Product`]'s host: the workspace operations on `emr-serverless-spark.<regionId>.aliyuncs.com` for a region
//!   of the catalogue (or the one `--upstream` base URL), relayed as they come back; the account listings
//!   ([`account`]) on OSS ListBuckets (`oss-<regionId>.aliyuncs.com`, OSS Signature V4), DLF ListCatalogs
//!   (`dlfnext.<regionId>.aliyuncs.com`), RAM ListRoles and GetRole (`ram.aliyuncs.com`) and ResourceManager
//!   ListResourceGroups (`resourcemanager.aliyuncs.com`), each with its own `--upstream-…` flag, read and
//!   answered in the console's shapes. No request can steer the gateway to another host.
//! - A create body is validated with the model, exactly as the emulator does, before a cloud call is spent. What
//!   is forwarded is the body rebuilt from what was validated, in the official SDK's form (strings for `cu`,
//!   `duration`, `autoRenew`, …): unknown and duplicate keys never reach Alibaba, and those bytes are signed.
//! - The upstream's JSON answers come back unchanged (status, body, content type, `x-acs-request-id`); anything
//!   else, and every gateway-side failure, is an Alibaba-style error with a request id of our own
//!   (`UpstreamUnavailable` or `UpstreamInvalidResponse` 502, `UpstreamTimeout` 504) that names neither the
//!   upstream host nor what it sent: the details go to the server log only.
//! - `--upstream` over plain http is refused unless it is a loopback address: signed calls and STS tokens would
//!   cross the network in the clear.
//! - No incoming header is forwarded: the upstream sees only the headers [`acs3::sign`] produces.

use std::{
    sync::Arc,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

pub mod account;
pub mod handlers;
mod upstream;

use axum::{
    body::{Body, Bytes},
    http::{
        HeaderMap, HeaderName, HeaderValue, Method, StatusCode,
        header::{CACHE_CONTROL, CONTENT_TYPE},
    },
    response::{IntoResponse, Response},
};
use workspace_model::catalogue::Region;

pub use upstream::{Upstream, parse_upstream, parse_upstream_flag};

use crate::{
    aliyun::{
        acs3::{self, Credentials, SignRequest},
        dlf, oss_v4, ram, resourcemanager,
    },
    http::error::ErrorReply,
    protect::host::is_loopback_host,
};

/// Default time to establish a connection (TCP and TLS) to the upstream.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time for a whole upstream exchange, from sending to the last byte of the answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Upstream answers above this are not relayed (a list of 100 workspaces is a few hundred KiB at most).
pub const UPSTREAM_BODY_LIMIT: usize = 8 * 1024 * 1024;

/// The environment variables the credentials come from (the official SDKs' names).
pub const ACCESS_KEY_ID_VAR: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
pub const ACCESS_KEY_SECRET_VAR: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
pub const SECURITY_TOKEN_VAR: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// What the gateway needs to be built.
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    pub credentials: Credentials,
    /// A base URL (`http(s)://host[:port]`) to send every call to instead of the regional endpoint: for tests
    /// against an emulator, or a private endpoint.
    pub upstream: Option<String>,
    /// The same for the account listings' products (`--upstream-oss`, `--upstream-dlf`, `--upstream-ram`,
    /// `--upstream-resourcemanager`), each its own: a test serves each product's stub pages.
    pub upstream_oss: Option<String>,
    pub upstream_dlf: Option<String>,
    pub upstream_ram: Option<String>,
    pub upstream_resourcemanager: Option<String>,
    pub connect_timeout: Duration,
    pub timeout: Duration,
}

impl GatewayConfig {
    /// Regional endpoints over HTTPS with the default timeouts.
    pub fn new(credentials: Credentials) -> GatewayConfig {
        GatewayConfig {
            credentials,
            upstream: None,
            upstream_oss: None,
            upstream_dlf: None,
            upstream_ram: None,
            upstream_resourcemanager: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    pub fn with_upstream(mut self, url: impl Into<String>) -> GatewayConfig {
        self.upstream = Some(url.into());
        self
    }

    /// Sends one product's calls to `url` (see [`GatewayConfig::upstream`]).
    pub fn with_upstream_for(mut self, service: Service, url: impl Into<String>) -> GatewayConfig {
        let url = Some(url.into());
        match service {
            Service::Emr => self.upstream = url,
            Service::Oss => self.upstream_oss = url,
            Service::Dlf => self.upstream_dlf = url,
            Service::Ram => self.upstream_ram = url,
            Service::ResourceManager => self.upstream_resourcemanager = url,
        }
        self
    }

    pub fn with_timeouts(mut self, connect: Duration, total: Duration) -> GatewayConfig {
        self.connect_timeout = connect;
        self.timeout = total;
        self
    }
}

/// The message for a gateway started without credentials: names every variable, and which are missing.
/// `lookup` reads a variable; an empty value counts as unset, a common way of "unsetting" one in shells and CI.
pub fn missing_credentials_message(lookup: impl Fn(&str) -> Option<String>) -> String {
    let missing: Vec<&str> = [ACCESS_KEY_ID_VAR, ACCESS_KEY_SECRET_VAR]
        .into_iter()
        .filter(|name| lookup(name).is_none_or(|v| v.is_empty()))
        .collect();
    format!(
        "--backend aliyun needs an AccessKey: set {ACCESS_KEY_ID_VAR} and {ACCESS_KEY_SECRET_VAR} \
         (and {SECURITY_TOKEN_VAR} for STS credentials) in the environment; missing: {}",
        missing.join(", ")
    )
}

/// The gateway's state. Cheap to clone (an `Arc` inside).
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Inner>,
}

struct Inner {
    credentials: Credentials,
    upstream: Upstream,
    upstream_oss: Upstream,
    upstream_dlf: Upstream,
    upstream_ram: Upstream,
    upstream_resourcemanager: Upstream,
    client: reqwest::Client,
    connect_timeout: Duration,
    timeout: Duration,
}

pub use crate::http::access_log::UpstreamAnswer;

fn is_header_safe(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic())
}

impl Gateway {
    /// Checks the configuration and builds the HTTP client (rustls with the webpki roots; no redirects followed,
    /// so an answer can never send the signed call elsewhere).
    pub fn new(config: GatewayConfig) -> Result<Gateway, String> {
        let c = &config.credentials;
        // These travel in headers; the messages name the variable, never the value.
        if !is_header_safe(&c.access_key_id) || c.access_key_id.contains(',') {
            return Err(format!(
                "{ACCESS_KEY_ID_VAR} must be printable ASCII without spaces or commas"
            ));
        }
        if c.access_key_secret.is_empty() {
            return Err(format!("{ACCESS_KEY_SECRET_VAR} is empty"));
        }
        if c.security_token
            .as_deref()
            .is_some_and(|t| !is_header_safe(t))
        {
            return Err(format!(
                "{SECURITY_TOKEN_VAR} must be printable ASCII without spaces"
            ));
        }
        for (name, d) in [
            ("connect timeout", config.connect_timeout),
            ("timeout", config.timeout),
        ] {
            if d.is_zero() {
                return Err(format!("the {name} must be above zero"));
            }
        }
        let parse = |flag: &str, url: &Option<String>| match url {
            None => Ok(Upstream::Regional),
            Some(url) => parse_upstream_flag(flag, url),
        };
        let upstream = parse("--upstream", &config.upstream)?;
        let upstream_oss = parse("--upstream-oss", &config.upstream_oss)?;
        let upstream_dlf = parse("--upstream-dlf", &config.upstream_dlf)?;
        let upstream_ram = parse("--upstream-ram", &config.upstream_ram)?;
        let upstream_resourcemanager = parse(
            "--upstream-resourcemanager",
            &config.upstream_resourcemanager,
        )?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!(
                "workspace-console-gateway/",
                env!("CARGO_PKG_VERSION")
            ));
        // A proxy from the environment would otherwise also be used for a local test upstream.
        if [
            &upstream,
            &upstream_oss,
            &upstream_dlf,
            &upstream_ram,
            &upstream_resourcemanager,
        ]
        .into_iter()
        .any(|u| matches!(u, Upstream::Fixed { host, .. } if is_loopback_host(host)))
        {
            builder = builder.no_proxy();
        }
        let client = builder
            .build()
            .map_err(|e| format!("cannot set up the HTTPS client: {e}"))?;
        Ok(Gateway {
            inner: Arc::new(Inner {
                credentials: config.credentials,
                upstream,
                upstream_oss,
                upstream_dlf,
                upstream_ram,
                upstream_resourcemanager,
                client,
                connect_timeout: config.connect_timeout,
                timeout: config.timeout,
            }),
        })
    }

    /// The base URL and the `Host` of a product's endpoint in a region.
    fn target(&self, product: &Product, region: &Region) -> (String, String) {
        let upstream = match product.service {
            Service::Emr => &self.inner.upstream,
            Service::Oss => &self.inner.upstream_oss,
            Service::Dlf => &self.inner.upstream_dlf,
            Service::Ram => &self.inner.upstream_ram,
            Service::ResourceManager => &self.inner.upstream_resourcemanager,
        };
        match upstream {
            Upstream::Regional => {
                let host = (product.host)(region);
                (format!("https://{host}"), host)
            }
            Upstream::Fixed { base, host } => (base.clone(), host.clone()),
        }
    }

    /// Where calls for this region go, for the startup message.
    pub fn describe(&self) -> String {
        let mut line = match &self.inner.upstream {
            Upstream::Regional => "https://emr-serverless-spark.<regionId>.aliyuncs.com".to_owned(),
            Upstream::Fixed { base, .. } => base.clone(),
        };
        // The listings' products only when redirected: a start-up line that hid a stub would mislead.
        for (name, upstream) in [
            ("OSS", &self.inner.upstream_oss),
            ("DLF", &self.inner.upstream_dlf),
            ("RAM", &self.inner.upstream_ram),
            ("ResourceManager", &self.inner.upstream_resourcemanager),
        ] {
            if let Upstream::Fixed { base, .. } = upstream {
                line.push_str(&format!(", {name} to {base}"));
            }
        }
        line
    }

    /// The longest one forwarded call may take: connecting, then the whole exchange.
    pub fn longest_call(&self) -> Duration {
        self.inner.connect_timeout + self.inner.timeout
    }

    /// The AccessKey ID with its middle masked, for the startup message.
    pub fn key_hint(&self) -> String {
        let id = &self.inner.credentials.access_key_id;
        let chars: Vec<char> = id.chars().collect();
        if chars.len() <= 8 {
            return "****".to_owned();
        }
        let head: String = chars[..4].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!(
            "{head}****{tail}{}",
            if self.inner.credentials.security_token.is_some() {
                " (STS)"
            } else {
                ""
            }
        )
    }

    /// Signs (ACS3) and sends one call, and relays the answer.
    async fn forward(&self, call: Call<'_>) -> Result<Response, ErrorReply> {
        let raw = self.call(&call).await?;
        // Only Alibaba-style JSON answers are relayed: an HTML error page from a proxy or load balancer in between
        // would say nothing the console can show, and may say things about the network it should not.
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(&raw.body) else {
            return Err(invalid_response(&raw));
        };
        let logged_id = raw.request_id().or_else(|| body_request_id(&json));
        let mut response = (raw.status, Body::from(raw.body)).into_response();
        let out = response.headers_mut();
        if let Some(v) = raw.headers.get(CONTENT_TYPE) {
            out.insert(CONTENT_TYPE, v.clone());
        }
        if let Some(v) = raw.headers.get("x-acs-request-id") {
            out.insert("x-acs-request-id", v.clone());
        }
        out.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response.extensions_mut().insert(UpstreamAnswer {
            request_id: logged_id,
        });
        Ok(response)
    }

    /// Signs one call with ACS3-HMAC-SHA256 and sends it; the answer, whatever its status, comes back whole.
    async fn call(&self, call: &Call<'_>) -> Result<Raw, ErrorReply> {
        let (base, host) = self.target(call.product, call.region);
        let query = acs3::canonical_query(&call.query);
        let url = exact_url(&base, &host, call.path, &query)?;
        let signed = acs3::sign(
            &SignRequest {
                method: call.method.as_str(),
                host: &host,
                path: call.path,
                query: &call.query,
                body: &call.body,
                content_type: call.content_type,
                action: call.action,
                version: call.product.version,
            },
            &self.inner.credentials,
            &acs3::format_acs_date(unix_now()),
            &acs3::new_nonce(),
        );
        let body = (call.method == Method::POST).then(|| call.body.clone());
        self.send(&host, call.method.clone(), url, &signed, body)
            .await
    }

    /// OSS ListBuckets (`GET /` on the form's region's service endpoint), signed with OSS Signature V4.
    async fn list_buckets_page(
        &self,
        region: &'static Region,
        query: &[(String, String)],
    ) -> Result<Raw, ErrorReply> {
        let (base, host) = self.target(&OSS, region);
        let url = exact_url(&base, &host, "/", &oss_v4::encode_query(query))?;
        let signed =
            oss_v4::sign_list_buckets(&self.inner.credentials, region.id, query, unix_now());
        self.send(&host, Method::GET, url, &signed, None).await
    }

    /// Sends a signed request and reads the whole answer (at most [`UPSTREAM_BODY_LIMIT`] bytes). Failures are
    /// Alibaba-style errors that say what went wrong but not where: the upstream (an `--upstream` may be a
    /// private address) and its own words stay in the server log.
    async fn send(
        &self,
        host: &str,
        method: Method,
        url: reqwest::Url,
        signed: &[(String, String)],
        body: Option<Bytes>,
    ) -> Result<Raw, ErrorReply> {
        let mut headers = HeaderMap::new();
        for (name, value) in signed {
            let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) else {
                return Err(unavailable(
                    host,
                    "a signed header is not a valid HTTP header".into(),
                ));
            };
            headers.insert(name, value);
        }
        let request = self.inner.client.request(method, url).headers(headers);
        let request = match body {
            Some(body) => request.body(body),
            None => request,
        };
        let classify = |e: reqwest::Error| {
            if e.is_timeout() {
                tracing::warn!(upstream = %host, "upstream call timed out");
                ErrorReply::new(
                    StatusCode::GATEWAY_TIMEOUT,
                    "UpstreamTimeout",
                    "Alibaba Cloud did not answer in time; the request may still have been carried out.",
                )
            } else {
                unavailable(host, root_cause(&e))
            }
        };
        let mut upstream = request.send().await.map_err(classify)?;
        let status = upstream.status();
        let headers = upstream.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = upstream.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > UPSTREAM_BODY_LIMIT {
                return Err(unavailable(
                    host,
                    format!("the answer is larger than {UPSTREAM_BODY_LIMIT} bytes"),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Raw {
            status,
            headers,
            body,
            host: host.to_owned(),
        })
    }
}

/// An upstream's whole answer, before it is relayed or read.
struct Raw {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    /// For the server log only.
    host: String,
}

impl Raw {
    /// The request id OSS (`x-oss-request-id`) or an ACS product (`x-acs-request-id`) put in a header.
    fn request_id(&self) -> Option<String> {
        ["x-acs-request-id", "x-oss-request-id"]
            .iter()
            .find_map(|name| {
                self.headers
                    .get(*name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            })
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// The call's URL, refused unless the URL parser keeps the percent-encoded path and query exactly as they are:
/// what is sent is what is signed.
fn exact_url(base: &str, host: &str, path: &str, query: &str) -> Result<reqwest::Url, ErrorReply> {
    let url = if query.is_empty() {
        format!("{base}{path}")
    } else {
        format!("{base}{path}?{query}")
    };
    let parsed = reqwest::Url::parse(&url).map_err(|e| unavailable(host, e.to_string()))?;
    if parsed.path() != path || parsed.query().unwrap_or("") != query {
        return Err(unavailable(
            host,
            "the request URL would change in transit".into(),
        ));
    }
    Ok(parsed)
}

/// 502 `UpstreamUnavailable`; `why` and the host go to the log only.
fn unavailable(host: &str, why: String) -> ErrorReply {
    tracing::warn!(upstream = %host, "upstream call failed: {why}");
    ErrorReply::new(
        StatusCode::BAD_GATEWAY,
        "UpstreamUnavailable",
        "The gateway could not get an answer from Alibaba Cloud; the request was not carried out, or it may \
         have been if the connection broke during the answer.",
    )
}

/// 502 `UpstreamInvalidResponse`: an answer that is not what the API sends (an HTML page from a proxy, a body
/// that does not parse).
fn invalid_response(raw: &Raw) -> ErrorReply {
    tracing::warn!(upstream = %raw.host, status = %raw.status, bytes = raw.body.len(), "upstream answer unreadable");
    ErrorReply::new(
        StatusCode::BAD_GATEWAY,
        "UpstreamInvalidResponse",
        format!(
            "Alibaba Cloud's answer (HTTP {}) was not a JSON API answer; the request may or may not have \
             been carried out.",
            raw.status.as_u16()
        ),
    )
}

/// The innermost error message (e.g. "Connection refused (os error 111)"), without the URL reqwest adds.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut current = e;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

/// `requestId` / `RequestId` of a JSON answer, for the log when the upstream sent no header.
fn body_request_id(value: &serde_json::Value) -> Option<String> {
    ["requestId", "RequestId"]
        .iter()
        .find_map(|k| value.get(k)?.as_str().map(str::to_owned))
}

/// Which `--upstream…` flag replaces a product's endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Emr,
    Oss,
    Dlf,
    Ram,
    ResourceManager,
}

/// An Alibaba Cloud API the gateway calls: where it lives in a region, and the version its calls are signed
/// with. A route that needs another product gets a constant of its own beside these.
#[derive(Debug)]
pub struct Product {
    pub service: Service,
    pub host: fn(&Region) -> String,
    /// `x-acs-version` (unused for OSS, which is not signed with ACS3).
    pub version: &'static str,
}

/// EMR Serverless Spark, the API of every workspace operation.
pub const EMR_SERVERLESS_SPARK: Product = Product {
    service: Service::Emr,
    host: Region::endpoint,
    version: acs3::API_VERSION,
};

fn oss_host(region: &Region) -> String {
    oss_v4::service_host(region.id)
}

fn dlf_host(region: &Region) -> String {
    dlf::host(region.id)
}

fn ram_host(_: &Region) -> String {
    ram::HOST.to_owned()
}

fn resourcemanager_host(_: &Region) -> String {
    resourcemanager::HOST.to_owned()
}

/// OSS, for ListBuckets on the form's region's service endpoint (whose answer covers every region).
pub const OSS: Product = Product {
    service: Service::Oss,
    host: oss_host,
    version: "",
};

/// DLF 2.0 (DlfNext), for ListCatalogs.
pub const DLF: Product = Product {
    service: Service::Dlf,
    host: dlf_host,
    version: dlf::VERSION,
};

/// RAM, for ListRoles and GetRole: global, one host whatever the region.
pub const RAM: Product = Product {
    service: Service::Ram,
    host: ram_host,
    version: ram::VERSION,
};

/// ResourceManager, for ListResourceGroups: account-wide, one host whatever the region.
pub const RESOURCE_MANAGER: Product = Product {
    service: Service::ResourceManager,
    host: resourcemanager_host,
    version: resourcemanager::VERSION,
};

/// One call to forward: a handler names the product and operation, the region it was checked for, and what to
/// send.
pub struct Call<'a> {
    pub product: &'static Product,
    pub method: Method,
    /// `x-acs-action`, the operation's name in the API.
    pub action: &'static str,
    /// Picks the regional endpoint.
    pub region: &'static Region,
    /// Percent-encoded, as sent and signed.
    pub path: &'a str,
    pub query: Vec<(String, String)>,
    pub body: Bytes,
    pub content_type: Option<&'static str>,
}

impl Call<'_> {
    /// The query of a call that takes only the region.
    pub fn region_query(region: &Region) -> Vec<(String, String)> {
        vec![("regionId".to_owned(), region.id.to_owned())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_credentials_are_named() {
        let none = missing_credentials_message(|_| None);
        for name in [ACCESS_KEY_ID_VAR, ACCESS_KEY_SECRET_VAR, SECURITY_TOKEN_VAR] {
            assert!(none.contains(name), "{none}");
        }
        let only_id =
            missing_credentials_message(|n| (n == ACCESS_KEY_ID_VAR).then(|| "LTAI".into()));
        assert!(
            only_id.ends_with(&format!("missing: {ACCESS_KEY_SECRET_VAR}")),
            "{only_id}"
        );
    }

    #[test]
    fn bad_credentials_are_refused_without_echoing_them() {
        let creds = |id: &str, secret: &str, token: Option<&str>| Credentials {
            access_key_id: id.into(),
            access_key_secret: secret.into(),
            security_token: token.map(String::from),
        };
        for (c, needle) in [
            (creds("", "s3cr3t", None), ACCESS_KEY_ID_VAR),
            (creds("LTAI,x", "s3cr3t", None), ACCESS_KEY_ID_VAR),
            (creds("LTAI", "", None), ACCESS_KEY_SECRET_VAR),
            (
                creds("LTAI", "s3cr3t", Some("tok en\n")),
                SECURITY_TOKEN_VAR,
            ),
        ] {
            let e = Gateway::new(GatewayConfig::new(c))
                .err()
                .unwrap_or_default();
            assert!(
                e.contains(needle) && !e.contains("s3cr3t") && !e.contains("tok en"),
                "{e}"
            );
        }
        let zero = GatewayConfig::new(creds("LTAI", "s", None))
            .with_timeouts(Duration::ZERO, DEFAULT_TIMEOUT);
        assert!(Gateway::new(zero).is_err());
        let g = Gateway::new(GatewayConfig::new(creds("LTAI5tAbCdEfGh", "s", Some("t"))))
            .ok()
            .unwrap();
        assert_eq!(g.key_hint(), "LTAI****EfGh (STS)");
        assert_eq!(
            g.describe(),
            "https://emr-serverless-spark.<regionId>.aliyuncs.com"
        );
        let (base, host) = g.target(&EMR_SERVERLESS_SPARK, Region::find("cn-hangzhou").unwrap());
        assert_eq!(
            base,
            "https://emr-serverless-spark.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(host, "emr-serverless-spark.cn-hangzhou.aliyuncs.com");
        let hz = Region::find("cn-hangzhou").unwrap();
        assert_eq!(g.target(&OSS, hz).1, "oss-cn-hangzhou.aliyuncs.com");
        assert_eq!(g.target(&DLF, hz).1, "dlfnext.cn-hangzhou.aliyuncs.com");
        assert_eq!(g.target(&RAM, hz).1, "ram.aliyuncs.com");
        for region in workspace_model::REGIONS.iter() {
            assert_eq!(
                g.target(&RESOURCE_MANAGER, region),
                (
                    "https://resourcemanager.aliyuncs.com".to_owned(),
                    "resourcemanager.aliyuncs.com".to_owned()
                )
            );
        }
        let stubbed = Gateway::new(
            GatewayConfig::new(creds("LTAI", "s", None))
                .with_upstream_for(Service::Dlf, "http://127.0.0.1:9001")
                .with_upstream_for(Service::Ram, "http://127.0.0.1:9002")
                .with_upstream_for(Service::ResourceManager, "http://127.0.0.1:9003"),
        )
        .ok()
        .unwrap();
        assert_eq!(
            stubbed.describe(),
            "https://emr-serverless-spark.<regionId>.aliyuncs.com, DLF to http://127.0.0.1:9001, RAM to \
             http://127.0.0.1:9002, ResourceManager to http://127.0.0.1:9003"
        );
        assert_eq!(stubbed.target(&RESOURCE_MANAGER, hz).1, "127.0.0.1:9003");
        assert_eq!(stubbed.target(&DLF, hz).1, "127.0.0.1:9001");
        assert_eq!(stubbed.target(&OSS, hz).1, "oss-cn-hangzhou.aliyuncs.com");
        assert_eq!(
            stubbed.target(&EMR_SERVERLESS_SPARK, hz).1,
            "emr-serverless-spark.cn-hangzhou.aliyuncs.com"
        );
        let e = Gateway::new(
            GatewayConfig::new(creds("LTAI", "s", None))
                .with_upstream_for(Service::Oss, "http://10.1.2.3"),
        )
        .err()
        .unwrap_or_default();
        assert!(e.starts_with("--upstream-oss:"), "{e}");
    }

    #[test]
    fn request_ids_from_bodies() {
        assert_eq!(
            body_request_id(&serde_json::json!({"RequestId": "A"})).as_deref(),
            Some("A")
        );
        assert_eq!(
            body_request_id(&serde_json::json!({"requestId": "b"})).as_deref(),
            Some("b")
        );
        assert_eq!(body_request_id(&serde_json::json!(["x"])), None);
    }
}
