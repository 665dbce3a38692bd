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
//! let app: axum::Router = chatkit_web::Page::app("demo", "Demo", "<chatkit-panel></chatkit-panel>", b"import '/chatkit-panel.js';", b"")
//!     .router();
//! # let _ = app;
//! ```
//!
//! Merge the result with the ChatKit endpoint (`chatkit_axum::router`) so the page and
//! `POST /chatkit` share an origin.

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Bytes;
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
    index: Bytes,
    files: Vec<(String, Bytes)>,
}

impl Page {
    /// A page whose `/` is this HTML document.
    pub fn new(index_html: &'static str) -> Self {
        Self { index: Bytes::from_static(index_html.as_bytes()), files: Vec::new() }
    }

    /// The page of the app `name` (letters, digits and `-`): `/` is an English document titled
    /// `title` whose head loads the client's icon, the app's stylesheet `/apps/NAME/app.css`
    /// and its module `/apps/NAME/app.js`, around `body` (what goes inside `<body>`); `script`
    /// and `style` are served at those paths.
    ///
    /// ```
    /// let page = chatkit_web::Page::app("board", "Board", "<chatkit-panel></chatkit-panel>", b"", b"");
    /// assert_eq!(page.paths().collect::<Vec<_>>(), ["/", "/apps/board/app.js", "/apps/board/app.css"]);
    /// ```
    ///
    /// # Panics
    ///
    /// If `name` has other characters — a programming error, caught by the first test run.
    pub fn app(name: &str, title: &str, body: &str, script: &'static [u8], style: &'static [u8]) -> Self {
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "app names are letters, digits and '-': {name:?}"
        );
        let title = title.replace('&', "&amp;").replace('<', "&lt;");
        let index = format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  \
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n  <title>{title}</title>\n  \
             <link rel=\"icon\" href=\"/favicon.svg\">\n  <link rel=\"stylesheet\" href=\"/apps/{name}/app.css\">\n  \
             <script type=\"module\" src=\"/apps/{name}/app.js\"></script>\n</head>\n<body>\n{body}</body>\n</html>\n"
        );
        let files = vec![
            (format!("/apps/{name}/app.js"), Bytes::from_static(script)),
            (format!("/apps/{name}/app.css"), Bytes::from_static(style)),
        ];
        Self { index: Bytes::from(index), files }
    }

    /// Adds a file at `path` (starting with `/`; e.g. `/apps/NAME/app.js`). Its content type
    /// comes from the extension. A path of the client itself is replaced by this file.
    ///
    /// # Panics
    ///
    /// If `path` does not start with `/` — a programming error, caught by the first test run.
    pub fn file(mut self, path: &str, bytes: &'static [u8]) -> Self {
        assert!(path.starts_with('/'), "page file paths start with '/': {path:?}");
        self.files.push((path.to_owned(), Bytes::from_static(bytes)));
        self
    }

    /// The paths this page adds, `/` first.
    pub fn paths(&self) -> impl Iterator<Item = &str> + '_ {
        std::iter::once("/").chain(self.files.iter().map(|(path, _)| path.as_str()))
    }

    /// The client's files plus this page's, with this page at `/`.
    pub fn router(self) -> Router {
        let mut files = client_files();
        files.insert("/".to_owned(), self.index);
        files.extend(self.files);
        serve(files)
    }
}

fn client_files() -> BTreeMap<String, Bytes> {
    let mut files: BTreeMap<String, Bytes> = ASSETS.iter().map(|(path, bytes)| ((*path).to_owned(), Bytes::from_static(bytes))).collect();
    if let Some(index) = files.get("/index.html").cloned() {
        files.insert("/".to_owned(), index);
    }
    files
}

fn serve(files: BTreeMap<String, Bytes>) -> Router {
    let mut router = Router::new();
    for (path, bytes) in files {
        let kind = content_type(&path);
        let handler = move || {
            let bytes = bytes.clone();
            async move {
                let headers = [
                    (CONTENT_TYPE, kind),
                    (X_CONTENT_TYPE_OPTIONS, "nosniff"),
                    (CACHE_CONTROL, "no-cache"),
                    (CONTENT_SECURITY_POLICY, CSP),
                ];
                (headers, bytes)
            }
        };
        router = router.route(&path, get(handler));
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

    #[tokio::test]
    async fn an_app_page_gets_its_head_and_its_files() {
        let app = Page::app("mine", "Mine & <yours>", "  <main>Hi</main>\n", b"import '/chatkit-panel.js';", b"main{}").router();
        let (status, kind, body) = get_path(app.clone(), "/").await;
        assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/html; charset=utf-8"));
        let page = String::from_utf8(body).expect("UTF-8");
        assert!(page.starts_with("<!doctype html>\n<html lang=\"en\">\n<head>\n"), "{page}");
        assert!(page.contains("<title>Mine &amp; &lt;yours></title>"), "{page}");
        assert!(page.contains("<link rel=\"stylesheet\" href=\"/apps/mine/app.css\">"), "{page}");
        assert!(page.contains("<script type=\"module\" src=\"/apps/mine/app.js\"></script>"), "{page}");
        assert!(page.ends_with("</head>\n<body>\n  <main>Hi</main>\n</body>\n</html>\n"), "{page}");
        let (_, kind, script) = get_path(app.clone(), "/apps/mine/app.js").await;
        assert_eq!((kind.as_str(), script.as_slice()), ("text/javascript; charset=utf-8", b"import '/chatkit-panel.js';".as_slice()));
        let (_, kind, style) = get_path(app, "/apps/mine/app.css").await;
        assert_eq!((kind.as_str(), style.as_slice()), ("text/css; charset=utf-8", b"main{}".as_slice()));
    }
}
