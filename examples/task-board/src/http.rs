//! The HTTP routes: the ChatKit endpoint and the board's own API for the page (side panel,
//! @-mention search and previews).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chatkit::{ChatKit, RequestContext};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{PEOPLE, TaskBoard, person};

/// The caller, from the `x-user-id` header (missing or empty: `anonymous`).
///
/// ```
/// let request = axum::http::Request::builder().header("x-user-id", "ada").body(()).unwrap();
/// let (parts, ()) = request.into_parts();
/// assert_eq!(task_board::context_from_parts(&parts).user_id, "ada");
/// ```
pub fn context_from_parts(parts: &Parts) -> RequestContext {
    let user = parts.headers.get("x-user-id").and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty());
    RequestContext::new(user.unwrap_or("anonymous"))
}

/// The app's routes:
///
/// * `POST /chatkit` — the ChatKit endpoint;
/// * `GET /api/board` — the caller's tasks and the team, for the page's side panel;
/// * `GET /api/entities?q=` — tasks and people matching `q`, as ChatKit entities (the
///   client's `entities.onTagSearch`);
/// * `GET /api/entities/{id}/preview` — a widget previewing one entity
///   (`entities.onRequestPreview`), 404 for an unknown id.
pub fn router(chatkit: ChatKit<TaskBoard>) -> Router {
    let api = Router::new()
        .route("/api/board", get(board))
        .route("/api/entities", get(search))
        .route("/api/entities/{id}/preview", get(preview))
        .with_state(chatkit.clone());
    chatkit_axum::router_with(chatkit, endpoint_context).merge(api)
}

/// Every caller is accepted (`router_with` lets an app reject one with a response).
#[allow(clippy::result_large_err)]
fn endpoint_context(parts: &Parts) -> Result<RequestContext, Response> {
    Ok(context_from_parts(parts))
}

fn owner(parts: &Parts) -> String {
    TaskBoard::owner(&context_from_parts(parts))
}

async fn board(State(chatkit): State<ChatKit<TaskBoard>>, parts: Parts) -> Json<Value> {
    let board = chatkit.server().board(&owner(&parts));
    Json(json!({"tasks": board.tasks(), "people": PEOPLE}))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn search(State(chatkit): State<ChatKit<TaskBoard>>, Query(query): Query<SearchQuery>, parts: Parts) -> Json<Value> {
    let board = chatkit.server().board(&owner(&parts));
    let (tasks, people) = board.search(&query.q);
    let tasks = tasks.into_iter().map(|t| {
        json!({"id": t.id, "title": t.title, "icon": if t.done { "check-circle-filled" } else { "empty-circle" },
               "group": "Tasks", "interactive": true, "data": {"type": "task"}})
    });
    let people = people.into_iter().map(|p| {
        json!({"id": p.id, "title": p.name, "icon": "profile", "group": "People", "interactive": true,
               "data": {"type": "person"}})
    });
    Json(Value::Array(tasks.chain(people).collect()))
}

async fn preview(State(chatkit): State<ChatKit<TaskBoard>>, Path(id): Path<String>, parts: Parts) -> Response {
    let app = chatkit.server();
    let board = app.board(&owner(&parts));
    let widget = match (board.get(&id), person(&id)) {
        (Some(task), _) => app.templates.task_preview(task),
        (None, Some(person)) => app.templates.person_preview(person, &board),
        (None, None) => {
            let error = json!({"error": {"code": "not_found", "message": format!("no task or person `{id}`")}});
            return (StatusCode::NOT_FOUND, Json(error)).into_response();
        }
    };
    Json(json!({"preview": widget})).into_response()
}
