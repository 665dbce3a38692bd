//! The HTTP routes: the ChatKit endpoint and the board's own API for the page (side panel,
//! @-mention search and previews).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chatkit::{ChatKit, RequestContext, ThreadId};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{Board, PEOPLE, TaskBoard, person};

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
/// * `GET /api/board?thread=ID` — the thread's tasks and the team, for the page's side panel
///   (without `thread`: the board a new thread starts with);
/// * `GET /api/entities?q=&thread=ID` — tasks and people matching `q`, as ChatKit entities
///   (the client's `entities.onTagSearch`);
/// * `GET /api/entities/{id}/preview?thread=ID` — a widget previewing one entity
///   (`entities.onRequestPreview`), 404 for an unknown id.
///
/// A thread that does not exist (or belongs to someone else) is a 404 JSON error.
pub fn router(chatkit: ChatKit<TaskBoard>) -> Router {
    let api = Router::new()
        .route("/api/board", get(board))
        .route("/api/entities", get(search))
        .route("/api/entities/{id}/preview", get(preview))
        .with_state(chatkit.clone());
    chatkit_axum::router_with(chatkit, endpoint_context).merge(api)
}

/// The demo's web page ([`Page::app`](chatkit_web::Page::app)): `/` is `web/body.html` (the
/// chat with the board beside it), its script and styles are under `/apps/task-board/`, the
/// client's files at their usual paths.
/// Merge its [`router`](chatkit_web::Page::router) with [`router`]:
///
/// ```
/// use chatkit::{ChatKit, MemoryStore};
/// let chatkit = ChatKit::new(task_board::TaskBoard::offline(), MemoryStore::new());
/// let app: axum::Router = task_board::router(chatkit).merge(task_board::page().router());
/// # let _ = app;
/// ```
pub fn page() -> chatkit_web::Page {
    let body = include_str!("../web/body.html");
    chatkit_web::Page::app("task-board", "Task board · chatkit-rs", body, include_bytes!("../web/app.js"), include_bytes!("../web/app.css"))
}

/// Every caller is accepted (`router_with` lets an app reject one with a response).
#[allow(clippy::result_large_err)]
fn endpoint_context(parts: &Parts) -> Result<RequestContext, Response> {
    Ok(context_from_parts(parts))
}

fn error(status: StatusCode, code: &str, message: String) -> Response {
    (status, Json(json!({"error": {"code": code, "message": message}}))).into_response()
}

/// The board of the thread named by `?thread=`, or the one a new thread starts with.
async fn board_of(chatkit: &ChatKit<TaskBoard>, thread: Option<&str>, parts: &Parts) -> Result<Board, Response> {
    let Some(thread) = thread.filter(|t| !t.is_empty()) else { return Ok(Board::sample()) };
    let context = context_from_parts(parts);
    let thread = match chatkit.store().load_thread(&ThreadId::from(thread), &context).await {
        Ok(thread) => thread,
        Err(err) if err.is_not_found() => {
            return Err(error(StatusCode::NOT_FOUND, "not_found", format!("no thread `{thread}`")));
        }
        Err(err) => {
            tracing::warn!(error = %err, "loading a thread for the board API failed");
            return Err(error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the store failed".to_owned()));
        }
    };
    Board::of_thread(&thread).map_err(|err| error(StatusCode::INTERNAL_SERVER_ERROR, "internal", err.to_string()))
}

#[derive(Deserialize)]
struct BoardQuery {
    #[serde(default)]
    thread: Option<String>,
}

async fn board(State(chatkit): State<ChatKit<TaskBoard>>, Query(query): Query<BoardQuery>, parts: Parts) -> Response {
    match board_of(&chatkit, query.thread.as_deref(), &parts).await {
        Ok(board) => Json(json!({"tasks": board.tasks(), "people": PEOPLE})).into_response(),
        Err(response) => response,
    }
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    thread: Option<String>,
}

async fn search(State(chatkit): State<ChatKit<TaskBoard>>, Query(query): Query<SearchQuery>, parts: Parts) -> Response {
    let board = match board_of(&chatkit, query.thread.as_deref(), &parts).await {
        Ok(board) => board,
        Err(response) => return response,
    };
    let (tasks, people) = board.search(&query.q);
    let tasks = tasks.into_iter().map(|t| {
        json!({"id": t.id, "title": t.title, "icon": if t.done { "check-circle-filled" } else { "empty-circle" },
               "group": "Tasks", "interactive": true, "data": {"type": "task"}})
    });
    let people = people.into_iter().map(|p| {
        json!({"id": p.id, "title": p.name, "icon": "profile", "group": "People", "interactive": true,
               "data": {"type": "person"}})
    });
    Json(Value::Array(tasks.chain(people).collect())).into_response()
}

async fn preview(
    State(chatkit): State<ChatKit<TaskBoard>>,
    Path(id): Path<String>,
    Query(query): Query<BoardQuery>,
    parts: Parts,
) -> Response {
    let board = match board_of(&chatkit, query.thread.as_deref(), &parts).await {
        Ok(board) => board,
        Err(response) => return response,
    };
    let templates = &chatkit.server().templates;
    let widget = match (board.get(&id), person(&id)) {
        (Some(task), _) => templates.task_preview(task),
        (None, Some(person)) => templates.person_preview(person, &board),
        (None, None) => return error(StatusCode::NOT_FOUND, "not_found", format!("no task or person `{id}`")),
    };
    match widget {
        Ok(widget) => Json(json!({"preview": widget})).into_response(),
        Err(err) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal", err.to_string()),
    }
}
