//! The HTTP routes: the ChatKit endpoint, the map, station search and previews; the page.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::body::Bytes;
use axum::routing::get;
use axum::{Json, Router};
use chatkit::store::StoreContext;
use chatkit::{ChatKit, RequestContext};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::map::MapError;
use crate::App;
use crate::widgets::station_preview;

/// The caller, from the `x-user-id` header (missing or empty: `anonymous`).
fn context(parts: &Parts) -> RequestContext {
    let user = parts.headers.get("x-user-id").and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty());
    RequestContext::new(user.unwrap_or("anonymous"))
}

fn owner(parts: &Parts) -> String {
    context(parts).owner().into_owned()
}

/// The planner's routes (each user has their own map):
///
/// * `POST /chatkit` — the ChatKit endpoint (the caller is the `x-user-id` header);
/// * `GET /api/map` — `{"map": …}`, the caller's map, as the `add_station` effect carries it;
/// * `GET /api/stations?q=` — stations whose name, id or line matches `q`, as ChatKit
///   entities (the client's `entities.onTagSearch`);
/// * `POST /api/stations` — the page's "Add station" form: `{"station_name": "Solstice
///   Point", "line_id": "orange", "append": true}` (`append`, at the end rather than the
///   beginning, is optional and true by default) adds the station as the assistant's
///   `add_station` does and answers `201 {"station": …, "map": …}`; bad input is a 4xx
///   `{"error": {"code", "message", "field"}}` naming the field at fault;
/// * `GET /api/stations/{id}/preview` — `{"preview": widget}` for a station
///   (`entities.onRequestPreview`), 404 for an unknown id.
pub fn router(chatkit: ChatKit<App>) -> Router {
    let api = Router::new()
        .route("/api/map", get(map))
        .route("/api/stations", get(search).post(add_station))
        .route("/api/stations/{id}/preview", get(preview))
        .with_state(chatkit.clone());
    #[allow(clippy::result_large_err)] // `router_with` lets an app refuse a caller with a response
    fn endpoint_context(parts: &Parts) -> Result<RequestContext, Response> {
        Ok(context(parts))
    }
    chatkit_axum::router_with(chatkit, endpoint_context).merge(api)
}

/// The planner's page: the map beside the chat (`web/`), served at `/` with the web client.
/// Merge its router with [`router`]'s.
///
/// ```
/// let page = metro_map::page();
/// let paths: Vec<&str> = page.paths().collect();
/// assert_eq!(paths, ["/", "/apps/metro-map/app.js", "/apps/metro-map/app.css"]);
/// ```
pub fn page() -> chatkit_web::Page {
    let body = include_str!("../web/body.html");
    chatkit_web::Page::app("metro-map", "Orbital Transit · chatkit-rs", body, include_bytes!("../web/app.js"), include_bytes!("../web/app.css"))
}

async fn map(State(chatkit): State<ChatKit<App>>, parts: Parts) -> Json<Value> {
    Json(json!({"map": chatkit.server().maps().get(&owner(&parts))}))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn search(State(chatkit): State<ChatKit<App>>, Query(query): Query<SearchQuery>, parts: Parts) -> Json<Value> {
    let entities = chatkit.server().maps().with(&owner(&parts), |map| {
        map.search(&query.q)
            .into_iter()
            .map(|station| {
                let lines: Vec<&str> = station.lines.iter().filter_map(|id| map.line(id)).map(|l| l.name.as_str()).collect();
                json!({
                    "id": station.id, "title": station.name, "icon": "map-pin", "group": "Stations",
                    "interactive": true, "description": lines.join(", "),
                    "data": {"type": "station", "station_id": station.id, "name": station.name}
                })
            })
            .collect::<Vec<_>>()
    });
    Json(Value::Array(entities))
}

async fn preview(State(chatkit): State<ChatKit<App>>, Path(id): Path<String>, parts: Parts) -> Response {
    let widget = chatkit.server().maps().with(&owner(&parts), |map| map.station(&id).map(|s| station_preview(map, s)));
    match widget {
        Some(widget) => Json(json!({"preview": widget})).into_response(),
        None => {
            let error = json!({"error": {"code": "not_found", "message": format!("no station `{id}`")}});
            (StatusCode::NOT_FOUND, Json(error)).into_response()
        }
    }
}

/// A JSON error: `{"error": {"code", "message", "field"?}}`.
fn error(status: StatusCode, code: &str, message: impl Into<String>, field: Option<&str>) -> Response {
    let mut error = json!({"code": code, "message": message.into()});
    if let Some(field) = field {
        error["field"] = json!(field);
    }
    (status, Json(json!({"error": error}))).into_response()
}

/// A field of the add-station form missing or of the wrong type.
fn bad_field(field: &str, expected: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_field", format!("`{field}` must be {expected}."), Some(field))
}

async fn add_station(State(chatkit): State<ChatKit<App>>, parts: Parts, body: Bytes) -> Response {
    let json_body = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next());
    if !json_body.is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json")) {
        let message = "The body must be JSON (`content-type: application/json`).";
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", message, None);
    }
    let form = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(form)) => form,
        Ok(_) => return error(StatusCode::BAD_REQUEST, "invalid_json", "The body must be a JSON object.", None),
        Err(e) => return error(StatusCode::BAD_REQUEST, "invalid_json", format!("The body is not JSON: {e}."), None),
    };
    let Some(name) = form.get("station_name").and_then(Value::as_str) else {
        return bad_field("station_name", "a string");
    };
    let Some(line) = form.get("line_id").and_then(Value::as_str) else {
        return bad_field("line_id", "a string");
    };
    let append = match form.get("append") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(append)) => *append,
        Some(_) => return bad_field("append", "true or false"),
    };
    match chatkit.server().maps().add_station(&owner(&parts), name, line.trim(), append) {
        Ok((station, map)) => (StatusCode::CREATED, Json(json!({"station": station, "map": map}))).into_response(),
        Err(err @ MapError::UnknownLine(_)) => error(StatusCode::BAD_REQUEST, "unknown_line", err.to_string(), Some("line_id")),
        Err(err @ (MapError::EmptyName | MapError::NameTooLong)) => {
            error(StatusCode::BAD_REQUEST, "invalid_field", err.to_string(), Some("station_name"))
        }
    }
}
