//! The HTTP routes: the ChatKit endpoint and the account the side panel loads.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chatkit::{ChatKit, RequestContext, StoreError, ThreadId};
use serde::Deserialize;
use serde_json::json;

use crate::{App, CustomerProfile};

/// The caller, from the `x-user-id` header (missing or empty: `anonymous`).
///
/// ```
/// let request = axum::http::Request::builder().header("x-user-id", "ada").body(()).unwrap();
/// let (parts, ()) = request.into_parts();
/// assert_eq!(customer_support::context_from_parts(&parts).user_id, "ada");
/// ```
pub fn context_from_parts(parts: &Parts) -> RequestContext {
    let user = parts.headers.get("x-user-id").and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty());
    RequestContext::new(user.unwrap_or("anonymous"))
}

/// The page: the chat beside the traveller's account (`web/`), served with the web client.
///
/// ```
/// let page = customer_support::page();
/// assert!(page.paths().any(|p| p == "/apps/customer-support/app.js"));
/// ```
pub fn page() -> chatkit_web::Page {
    let body = include_str!("../web/body.html");
    chatkit_web::Page::app("customer-support", "OpenSkies concierge desk", body, include_bytes!("../web/app.js"), include_bytes!("../web/app.css"))
}

/// Every caller is accepted (`router_with` lets an app reject one with a response).
#[allow(clippy::result_large_err)]
fn endpoint_context(parts: &Parts) -> Result<RequestContext, Response> {
    Ok(context_from_parts(parts))
}

/// The app's routes:
///
/// * `POST /chatkit` — the ChatKit endpoint;
/// * `GET /api/customer?thread_id=` — the account of one of the caller's threads (without
///   `thread_id`: the account a new thread starts with), as `{"customer": {…}}`; 404 for a
///   thread that is not the caller's.
pub fn router(chatkit: ChatKit<App>) -> Router {
    let api = Router::new().route("/api/customer", get(customer)).with_state(chatkit.clone());
    chatkit_axum::router_with(chatkit, endpoint_context).merge(api)
}

#[derive(Deserialize)]
struct CustomerQuery {
    #[serde(default)]
    thread_id: Option<String>,
}

fn error(status: StatusCode, code: &str, message: String) -> Response {
    (status, Json(json!({"error": {"code": code, "message": message}}))).into_response()
}

async fn customer(State(chatkit): State<ChatKit<App>>, Query(query): Query<CustomerQuery>, parts: Parts) -> Response {
    let Some(thread_id) = query.thread_id.filter(|id| !id.is_empty()) else {
        return Json(json!({"customer": CustomerProfile::sample()})).into_response();
    };
    let thread_id = ThreadId::from(thread_id);
    match chatkit.store().load_thread(&thread_id, &context_from_parts(&parts)).await {
        Ok(_) => Json(json!({"customer": chatkit.server().profile(&thread_id)})).into_response(),
        Err(StoreError::NotFound { .. }) => error(StatusCode::NOT_FOUND, "not_found", format!("no thread `{thread_id}`")),
        Err(err) => {
            tracing::error!(error = %err, "loading a thread for the customer panel failed");
            error(StatusCode::INTERNAL_SERVER_ERROR, "store", "the store failed".into())
        }
    }
}
