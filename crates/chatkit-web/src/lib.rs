//! # chatkit-web
//!
//! The open ChatKit web client — the `<chatkit-panel>` custom element, plain ES modules from
//! `web/` — embedded at compile time and served by an axum [`Router`], with a strict
//! content-security policy (no inline script, no eval).
//!
//! [`router`] serves the client with its generic page at `/`. An app with its own page (a side
//! panel, its own `onAction`/`entities` handlers) describes it with a [`Page`]:
//!
//! ```
//! let app: axum::Router = chatkit_web::Page::new("<!doctype html><script type=module src=/apps/demo/app.js></script>")
//!     .file("/apps/demo/app.js", b"import '/chatkit-panel.js';")
//!     .router();
//! # let _ = app;
//! ```
//!
//! Merge the result with the ChatKit endpoint (`chatkit_axum::router`) so the page and
//! `POST /chatkit` share an origin.

use std::collections::BTreeMap;

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::routing::get;

/// `(url path, bytes)` of every file of `web/` except its tests.
const ASSETS: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

/// No inline script, no eval, nothing from elsewhere except images and fonts named by the app.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: http: https:; \
                       font-src 'self' data: http: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                       form-action 'none'; frame-ancestors 'self'";

/// The web client with its generic page at `/` (`web/index.html`: one panel talking to
/// `POST /chatkit`), every other file of the client at its path.
///
/// ```
/// let app: axum::Router = chatkit_web::router();
/// # let _ = app;
/// ```
pub fn router() -> Router {
    serve(client_files())
}

/// An app's own page: its `index.html` served at `/` in place of the generic page, and the
/// scripts, styles and images it loads, served beside the client's files.
///
/// Pages run under [`CSP`]: load scripts and styles from files (`<script type="module"
/// src="/apps/NAME/app.js">`), not inline. In the page's script, `import '/chatkit-panel.js'`
/// and call `setOptions` on the element.
///
/// ```
/// let page = chatkit_web::Page::new("<!doctype html><title>Board</title>")
///     .file("/apps/board/app.css", b"body { margin: 0 }");
/// assert_eq!(page.paths().collect::<Vec<_>>(), ["/", "/apps/board/app.css"]);
/// ```
#[derive(Clone, Debug)]
pub struct Page {
    index: &'static [u8],
    files: Vec<(&'static str, &'static [u8])>,
}

impl Page {
    /// A page whose `/` is this HTML document.
    pub fn new(index_html: &'static str) -> Self {
        Self { index: index_html.as_bytes(), files: Vec::new() }
    }

    /// Adds a file at `path` (starting with `/`; e.g. `/apps/NAME/app.js`). Its content type
    /// comes from the extension. A path of the client itself is replaced by this file.
    ///
    /// # Panics
    ///
    /// If `path` does not start with `/` — a programming error, caught by the first test run.
    pub fn file(mut self, path: &'static str, bytes: &'static [u8]) -> Self {
        assert!(path.starts_with('/'), "page file paths start with '/': {path:?}");
        self.files.push((path, bytes));
        self
    }

    /// The paths this page adds, `/` first.
    pub fn paths(&self) -> impl Iterator<Item = &'static str> + '_ {
        std::iter::once("/").chain(self.files.iter().map(|(path, _)| *path))
    }

    /// The client's files plus this page's, with this page at `/`.
    pub fn router(self) -> Router {
        let mut files = client_files();
        files.insert("/", self.index);
        files.extend(self.files);
        serve(files)
    }
}

fn client_files() -> BTreeMap<&'static str, &'static [u8]> {
    let mut files: BTreeMap<&'static str, &'static [u8]> = ASSETS.iter().copied().collect();
    if let Some(index) = files.get("/index.html").copied() {
        files.insert("/", index);
    }
    files
}

fn serve(files: BTreeMap<&'static str, &'static [u8]>) -> Router {
    let mut router = Router::new();
    for (path, bytes) in files {
        let kind = content_type(path);
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
    }
    router
}

/// The content type of a served file, from its extension (`/` is the page itself).
fn content_type(path: &str) -> &'static str {
    if path == "/" {
        return "text/html; charset=utf-8";
    }
    let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    match extension {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{Body, to_bytes};
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt as _;

    async fn get_path(app: Router, path: &str) -> (StatusCode, String, Vec<u8>) {
        let response = app
            .oneshot(Request::get(path).body(Body::empty()).expect("a valid request"))
            .await
            .expect("the router is infallible");
        let status = response.status();
        let kind = response.headers().get(CONTENT_TYPE).map(|v| v.to_str().unwrap_or("").to_owned()).unwrap_or_default();
        let body = to_bytes(response.into_body(), usize::MAX).await.expect("a body").to_vec();
        (status, kind, body)
    }

    #[test]
    fn the_client_is_embedded_without_its_tests() {
        let paths: Vec<&str> = ASSETS.iter().map(|(path, _)| *path).collect();
        for needed in ["/index.html", "/chatkit-panel.js", "/vendor/marked.esm.js", "/vendor/purify.es.mjs"] {
            assert!(paths.contains(&needed), "{needed} is not embedded: {paths:?}");
        }
        assert!(!paths.iter().any(|p| p.starts_with("/tests/")), "tests are not served");
        assert!(content_type("/chatkit-panel.js").starts_with("text/javascript"));
        assert_eq!(content_type("/vendor/purify.es.mjs"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("/LICENSE"), "application/octet-stream");
    }

    #[tokio::test]
    async fn the_generic_page_is_served_at_the_root_with_a_strict_policy() {
        let response = router()
            .oneshot(Request::get("/").body(Body::empty()).expect("a valid request"))
            .await
            .expect("the router is infallible");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[CONTENT_SECURITY_POLICY], CSP);
        assert_eq!(response.headers()[X_CONTENT_TYPE_OPTIONS], "nosniff");
        let (_, _, generic) = get_path(router(), "/index.html").await;
        let body = to_bytes(response.into_body(), usize::MAX).await.expect("a body");
        assert_eq!(body.to_vec(), generic);
        let (status, _, _) = get_path(router(), "/tests/harness.mjs").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn a_page_replaces_the_root_and_keeps_the_client() {
        let page = Page::new("<!doctype html><title>Mine</title>")
            .file("/apps/mine/app.js", b"import '/chatkit-panel.js';")
            .file("/page.css", b"body{}");
        let app = page.router();
        let (status, kind, body) = get_path(app.clone(), "/").await;
        assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/html; charset=utf-8"));
        assert_eq!(body, b"<!doctype html><title>Mine</title>");
        let (status, kind, _) = get_path(app.clone(), "/apps/mine/app.js").await;
        assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/javascript; charset=utf-8"));
        let (_, _, css) = get_path(app.clone(), "/page.css").await;
        assert_eq!(css, b"body{}", "a page file replaces the client's file of the same path");
        let (status, _, _) = get_path(app, "/chatkit-panel.js").await;
        assert_eq!(status, StatusCode::OK);
    }
}
