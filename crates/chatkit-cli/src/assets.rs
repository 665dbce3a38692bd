//! The web client, embedded at compile time from `web/` (see `build.rs`) and served at `/`.

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::routing::get;

/// `(url path, content type, bytes)` of every file of `web/` except its tests.
const ASSETS: &[(&str, &str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

/// No inline script, no eval, nothing from elsewhere except images and fonts named by the app.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: http: https:; \
                   font-src 'self' data: http: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                   form-action 'none'; frame-ancestors 'self'";

/// A router serving the web client: `/` is `web/index.html`, every other file at its path.
pub(crate) fn router() -> Router {
    let mut router = Router::new();
    for &(path, kind, bytes) in ASSETS {
        let handler = move || async move {
            let headers = [
                (CONTENT_TYPE, kind),
                (X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (CACHE_CONTROL, "no-cache"),
                (CONTENT_SECURITY_POLICY, CSP),
            ];
            (headers, bytes)
        };
        router = router.route(path, get(handler));
        if path == "/index.html" {
            router = router.route("/", get(handler));
        }
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_is_embedded() {
        let paths: Vec<&str> = ASSETS.iter().map(|(path, _, _)| *path).collect();
        for needed in ["/index.html", "/chatkit-panel.js", "/vendor/marked.esm.js", "/vendor/purify.es.mjs"] {
            assert!(paths.contains(&needed), "{needed} is not embedded: {paths:?}");
        }
        assert!(!paths.iter().any(|p| p.starts_with("/tests/")), "tests are not served");
        let (_, kind, _) = ASSETS.iter().find(|(p, _, _)| *p == "/chatkit-panel.js").expect("listed above");
        assert!(kind.starts_with("text/javascript"));
    }
}
