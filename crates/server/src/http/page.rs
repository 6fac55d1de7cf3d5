//! The built front end (`--dist`): its files, precompressed twins and cache policy. [`crate::app`] puts the
//! page's Content-Security-Policy over it.

use std::path::PathBuf;

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, header},
    middleware::{self, Next},
    response::Response,
};
use tower_http::services::ServeDir;

/// Trunk names assets after their content hash (`main-877dfad4fb299982.css`), so those can be cached for good;
/// everything else, `index.html` and `create-workspace.js` above all, is revalidated so a new build is picked up
/// at once. Every file may come in another encoding (`.br`/`.gz` beside it), so caches must key on
/// Accept-Encoding.
async fn cache_policy(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let policy = if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// Whether a file name carries a content hash as trunk writes them: a 64-bit hash in hex, which drops leading
/// zeros (`workspace-console-dcf92efe8596dea_bg.wasm` has 15 digits).
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    stem.split(['-', '_'])
        .any(|part| (12..=16).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The files of `dist`, with their cache policy. A file's `.br` or `.gz` twin (the
/// release build writes them) is sent instead when the browser accepts that encoding: compressed once at build
/// time, at the best level, not on every request.
pub fn router(dist: PathBuf) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(dist).precompressed_br().precompressed_gzip())
        .layer(middleware::from_fn(cache_policy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets() {
        assert!(is_hashed_asset("/app-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/main-877dfad4fb299982.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/plain.js"));
        // Regression: trunk writes the hash without leading zeros, and 15-digit names were revalidated forever.
        assert!(is_hashed_asset(
            "/workspace-console-dcf92efe8596dea_bg.wasm"
        ));
        assert!(!is_hashed_asset("/create-workspace.js"));
        assert!(!is_hashed_asset("/deadbeef.js"));
    }
}
