//! The HTTP routes: the ChatKit endpoint, the map, station search and previews; the page.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chatkit::store::StoreContext;
use chatkit::{ChatKit, RequestContext};
use serde::Deserialize;
use serde_json::{Value, json};

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
/// * `GET /api/stations/{id}/preview` — `{"preview": widget}` for a station
///   (`entities.onRequestPreview`), 404 for an unknown id.
pub fn router(chatkit: ChatKit<App>) -> Router {
    let api = Router::new()
        .route("/api/map", get(map))
        .route("/api/stations", get(search))
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
/// let paths: Vec<&str> = metro_map::page().paths().collect();
/// assert_eq!(paths, ["/", "/apps/metro-map/app.js", "/apps/metro-map/app.css"]);
/// ```
pub fn page() -> chatkit_web::Page {
    chatkit_web::Page::new(include_str!("../web/index.html"))
        .file("/apps/metro-map/app.js", include_bytes!("../web/app.js"))
        .file("/apps/metro-map/app.css", include_bytes!("../web/app.css"))
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
