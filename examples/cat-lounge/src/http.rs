//! The HTTP routes: the ChatKit endpoint, the cat's state for the page, the cat pictures.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chatkit::{ChatKit, RequestContext, RequestError, ThreadId};
use serde_json::json;

use crate::{App, ColorPattern, cat_svg};

/// The caller, from the `x-user-id` header (missing or empty: `anonymous`).
fn context(parts: &Parts) -> RequestContext {
    let user = parts.headers.get("x-user-id").and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty());
    RequestContext::new(user.unwrap_or("anonymous"))
}

/// The lounge's routes:
///
/// * `POST /chatkit` — the ChatKit endpoint (the caller is the `x-user-id` header);
/// * `GET /api/cats/{thread_id}` — `{"cat": …}`, the thread's cat as the
///   `update_cat_status` effect carries it; 404 for a thread the caller does not have;
/// * `GET /apps/cat-lounge/cats/{pattern}.svg` — the picture of a coat (`unknown.svg`: not
///   named yet).
pub fn router(chatkit: ChatKit<App>) -> Router {
    let api = Router::new()
        .route("/api/cats/{thread_id}", get(cat))
        .route("/apps/cat-lounge/cats/{file}", get(picture))
        .with_state(chatkit.clone());
    #[allow(clippy::result_large_err)] // `router_with` lets an app refuse a caller with a response
    fn endpoint_context(parts: &Parts) -> Result<RequestContext, Response> {
        Ok(context(parts))
    }
    chatkit_axum::router_with(chatkit, endpoint_context).merge(api)
}

/// The lounge's page: the chat beside the cat's status panel (`web/`), served at `/` with
/// the web client. Merge its router with [`router`]'s.
///
/// ```
/// let page = cat_lounge::page();
/// let paths: Vec<&str> = page.paths().collect();
/// assert_eq!(paths, ["/", "/apps/cat-lounge/app.js", "/apps/cat-lounge/app.css"]);
/// ```
pub fn page() -> chatkit_web::Page {
    let body = include_str!("../web/body.html");
    chatkit_web::Page::app("cat-lounge", "Cozy cat lounge · chatkit-rs", body, include_bytes!("../web/app.js"), include_bytes!("../web/app.css"))
}

async fn cat(State(chatkit): State<ChatKit<App>>, Path(thread_id): Path<String>, parts: Parts) -> Response {
    let thread_id = ThreadId::from(thread_id.as_str());
    // Only the thread's owner sees its cat.
    if let Err(err) = chatkit.store().load_thread(&thread_id, &context(&parts)).await {
        return chatkit_axum::error_response(&RequestError::from(err));
    }
    let cat = chatkit.server().cat(&thread_id);
    axum::Json(json!({"cat": cat.payload(&thread_id)})).into_response()
}

async fn picture(Path(file): Path<String>) -> Response {
    let pattern = match file.strip_suffix(".svg") {
        Some("unknown") => None,
        Some(name) if ColorPattern::parse(name).is_some() => ColorPattern::parse(name),
        _ => {
            let error = json!({"error": {"code": "not_found", "message": format!("no cat picture `{file}`")}});
            return (StatusCode::NOT_FOUND, axum::Json(error)).into_response();
        }
    };
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], cat_svg(pattern))
        .into_response()
}
