//! Content-Security-Policy: the API's, which lets nothing render or frame its JSON, and the page's (`--dist`).
//!
//! The page's policy allows only same-origin scripts, WebAssembly and styles. Trunk puts one inline module script
//! into `index.html` (the snippet that imports the JS glue and starts the wasm); rather than allowing inline
//! scripts, each HTML answer's inline scripts are hashed as it is served, and exactly those hashes are allowed.
//! Hashing on read, not at start-up, keeps the policy right when `dist/` is rebuilt under a running server.

use std::sync::Arc;

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::Response,
};
use base64::{Engine as _, engine::general_purpose::STANDARD};
use sha2::{Digest, Sha256};

/// `Content-Security-Policy` of API answers: JSON that nothing should ever render or frame.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// HTML files larger than this are served without hashes for their inline scripts (which then do not run).
const HTML_LIMIT: usize = 1024 * 1024;

/// The page's policy, apart from the hashes of the inline scripts of the answer it goes on.
#[derive(Clone, Debug)]
pub struct PagePolicy {
    /// `frame-ancestors` sources: `'none'` by default, or the origins named with `--frame-ancestors`.
    frame_ancestors: Arc<str>,
}

impl PagePolicy {
    /// `ancestors` are origins (`https://admin.example.com`) or `'self'`; none means no page may frame the console.
    pub fn new(ancestors: &[String]) -> PagePolicy {
        let frame_ancestors = if ancestors.is_empty() {
            "'none'".to_owned()
        } else {
            ancestors.join(" ")
        };
        PagePolicy {
            frame_ancestors: frame_ancestors.into(),
        }
    }

    /// The `Content-Security-Policy` for a page whose inline scripts have these hashes.
    pub fn header(&self, script_hashes: &[String]) -> String {
        let mut scripts = String::from("'self' 'wasm-unsafe-eval'");
        for hash in script_hashes {
            scripts.push(' ');
            scripts.push_str(hash);
        }
        format!(
            "default-src 'none'; script-src {scripts}; style-src 'self'; img-src 'self' data:; font-src 'self'; \
             connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors {}",
            self.frame_ancestors
        )
    }
}

/// Checks a `--frame-ancestors` value: `'self'`, or an origin as `--allow-origin` takes it.
pub fn parse_frame_ancestor(value: &str) -> Result<String, String> {
    if value == "'self'" || value.eq_ignore_ascii_case("self") {
        return Ok("'self'".to_owned());
    }
    super::origin::parse_origin(value).map_err(|_| {
        format!(
            "--frame-ancestors: “{value}” is not an origin like https://admin.example.com (or 'self')"
        )
    })
}

/// `'sha256-…'` sources for every inline `<script>` (one without `src`) of an HTML document, in order.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` index `html`.
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let name_end = at + found + "<script".len();
        let Some(next) = lower[name_end..].chars().next() else {
            break;
        };
        if !(next.is_ascii_whitespace() || next == '>' || next == '/') {
            at = name_end;
            continue;
        }
        let Some(tag_end) = start_tag_end(&lower, name_end) else {
            break;
        };
        let content_start = tag_end + 1;
        let content_end = lower[content_start..]
            .find("</script")
            .map_or(html.len(), |i| content_start + i);
        if !has_attribute(&lower[name_end..tag_end], "src") {
            let digest = Sha256::digest(&html.as_bytes()[content_start..content_end]);
            hashes.push(format!("'sha256-{}'", STANDARD.encode(digest)));
        }
        at = content_end;
    }
    hashes
}

/// The index of the `>` that ends a start tag whose attributes begin at `from`, skipping quoted values.
fn start_tag_end(lower: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in lower[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(from + i),
            _ => {}
        }
    }
    None
}

/// Whether a start tag's attribute text (lower case) has an attribute of this name.
fn has_attribute(attributes: &str, name: &str) -> bool {
    let mut rest = attributes;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return false;
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        if &rest[..name_len] == name {
            return true;
        }
        rest = rest[name_len..].trim_start();
        if let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start();
            rest = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].find(q).map_or("", |end| &value[end + 2..]),
                _ => value
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or("", |end| &value[end..]),
            };
        }
    }
}

/// Middleware: the policy on every answer from `dist/`, with the hashes of an HTML answer's inline scripts.
///
/// A 304 gets none: the browser keeps the headers it stored with the page, and a policy without the hashes
/// would replace the right one and block the page's start-up script.
pub async fn content_security_policy(
    State(policy): State<PagePolicy>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    if response.status() == StatusCode::NOT_MODIFIED {
        return response;
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/html"));
    let (mut parts, body) = response.into_parts();
    let (body, hashes) = if is_html {
        match axum::body::to_bytes(body, HTML_LIMIT).await {
            Ok(bytes) => {
                let hashes = inline_script_hashes(&String::from_utf8_lossy(&bytes));
                (Body::from(bytes), hashes)
            }
            Err(e) => {
                tracing::warn!("an HTML file could not be read whole for its policy: {e}");
                parts.status = StatusCode::INTERNAL_SERVER_ERROR;
                (Body::empty(), Vec::new())
            }
        }
    } else {
        (body, Vec::new())
    };
    if let Ok(value) = HeaderValue::from_str(&policy.header(&hashes)) {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(text: &str) -> String {
        format!(
            "'sha256-{}'",
            STANDARD.encode(Sha256::digest(text.as_bytes()))
        )
    }

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        // Trunk's start-up snippet, then what a page may also hold.
        let snippet = "\nimport init, * as bindings from '/app-0123456789abcdef.js';\n\
                       const wasm = await init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });\n";
        let html = format!(
            "<!doctype html><html><head><script src=\"/x.js\"></script>\
             <SCRIPT type='module' data-x=\"a>b\">{snippet}</SCRIPT>\
             <script type=module src=/y.js></script><scripted></scripted>\
             <script data-src=\"1\">one()</script><script>two()</script></head></html>"
        );
        assert_eq!(
            inline_script_hashes(&html),
            [sha(snippet), sha("one()"), sha("two()")]
        );
        assert!(inline_script_hashes("<p>no scripts</p>").is_empty());
        // An unterminated script is hashed to the end, and nothing panics on a cut-off tag.
        assert_eq!(inline_script_hashes("<script>tail"), [sha("tail")]);
        assert!(inline_script_hashes("<script type=\"mod").is_empty());
        assert!(inline_script_hashes("<script").is_empty());
        // The reference value for an empty script, from the CSP specification's examples.
        assert_eq!(
            inline_script_hashes("<script></script>"),
            ["'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"]
        );
    }

    #[test]
    fn attributes() {
        assert!(has_attribute(" src=\"/a.js\"", "src"));
        assert!(has_attribute(" type=module src", "src"));
        assert!(has_attribute(" async src=/a.js", "src"));
        assert!(!has_attribute(" data-src=\"x\"", "src"));
        assert!(!has_attribute(" type=\"module\" title=\"src\"", "src"));
        assert!(!has_attribute(" title='a src=b'", "src"));
        assert!(!has_attribute("", "src"));
    }

    #[test]
    fn policies() {
        let none = PagePolicy::new(&[]).header(&["'sha256-abc'".to_owned()]);
        assert!(
            none.starts_with("default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-abc'; style-src 'self';"),
            "{none}"
        );
        assert!(none.contains("img-src 'self' data:;") && none.contains("connect-src 'self';"));
        assert!(none.ends_with("frame-ancestors 'none'"), "{none}");
        assert!(!none.contains("unsafe-inline"));
        let framed = PagePolicy::new(&["https://admin.example.com".into(), "'self'".into()]);
        assert!(
            framed
                .header(&[])
                .ends_with("frame-ancestors https://admin.example.com 'self'")
        );
        assert_eq!(parse_frame_ancestor("self").as_deref(), Ok("'self'"));
        assert_eq!(
            parse_frame_ancestor("https://Admin.example.com/").as_deref(),
            Ok("https://admin.example.com")
        );
        for bad in [
            "*",
            "'unsafe-inline'",
            "admin.example.com",
            "https://a/b;script-src *",
        ] {
            assert!(parse_frame_ancestor(bad).is_err(), "{bad}");
        }
    }
}
