//! The HTTP routes: the ChatKit endpoint (page-aware through the `article-id` header) and the
//! newspaper's API for the page: featured stories, articles, @-mention entities with their
//! previews, and cover art drawn as SVG so the page needs nothing from elsewhere.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chatkit::{ChatKit, RequestContext};
use serde_json::{Value, json};

use crate::App;
use crate::tools::ARTICLE_ID;

/// The front page's stories.
const FEATURED: [&str; 4] = ["unscheduled-parade-formation", "community-fridge-apple-pies", "missed-connection-reunion", "transit-pass-machine-updated"];

/// The caller (`x-user-id`, missing or empty: `anonymous`) and the page they have open
/// (`article-id`, kept as the context's `article_id`).
///
/// ```
/// let request = axum::http::Request::builder().header("x-user-id", "ada").header("article-id", "jazz-crosswalk").body(()).unwrap();
/// let (parts, ()) = request.into_parts();
/// let context = news_guide::context_from_parts(&parts);
/// assert_eq!(context.user_id, "ada");
/// assert_eq!(context.metadata["article_id"], "jazz-crosswalk");
/// ```
pub fn context_from_parts(parts: &Parts) -> RequestContext {
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty());
    let mut context = RequestContext::new(header("x-user-id").unwrap_or("anonymous"));
    if let Some(article) = header("article-id") {
        context.metadata.insert(ARTICLE_ID.into(), Value::from(article));
    }
    context
}

/// The page: the chat beside the Foxhollow Dispatch (`web/`), served with the web client.
///
/// ```
/// let page = news_guide::page();
/// assert!(page.paths().any(|p| p == "/apps/news-guide/app.js"));
/// ```
pub fn page() -> chatkit_web::Page {
    let body = include_str!("../web/body.html");
    chatkit_web::Page::app("news-guide", "The Foxhollow Dispatch", body, include_bytes!("../web/app.js"), include_bytes!("../web/app.css"))
}

/// Every caller is accepted (`router_with` lets an app reject one with a response).
#[allow(clippy::result_large_err)]
fn endpoint_context(parts: &Parts) -> Result<RequestContext, Response> {
    Ok(context_from_parts(parts))
}

/// The app's routes:
///
/// * `POST /chatkit` — the ChatKit endpoint;
/// * `GET /api/articles/featured` — the front page's stories;
/// * `GET /api/articles/tags` — every article and author as a ChatKit entity with its preview
///   widget (`{"tags": [{"entity": …, "preview": …}]}`), for the client's `entities` hooks;
/// * `GET /api/articles/{id}` — an article with its markdown body (404 if unknown);
/// * `GET /api/articles/{id}/cover.svg`, `GET /api/authors/{slug}/avatar.svg` — artwork.
pub fn router(chatkit: ChatKit<App>) -> Router {
    let api = Router::new()
        .route("/api/articles/featured", get(featured))
        .route("/api/articles/tags", get(tags))
        .route("/api/articles/{id}", get(article))
        .route("/api/articles/{id}/cover.svg", get(cover))
        .route("/api/authors/{slug}/avatar.svg", get(avatar))
        .with_state(chatkit.clone());
    chatkit_axum::router_with(chatkit, endpoint_context).merge(api)
}

fn not_found(what: &str, id: &str) -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"error": {"code": "not_found", "message": format!("no {what} `{id}`")}}))).into_response()
}

async fn featured(State(chatkit): State<ChatKit<App>>) -> Json<Value> {
    let store = chatkit.server().articles();
    let articles: Vec<_> = FEATURED.iter().filter_map(|id| store.get(id)).map(|a| &a.meta).collect();
    Json(json!({"articles": articles}))
}

/// `value`, cut to `max` characters with `...`.
fn truncate(value: &str, max: usize) -> String {
    if value.chars().count() <= max {
        return value.to_owned();
    }
    let cut: String = value.chars().take(max - 3).collect();
    format!("{}...", cut.trim_end())
}

async fn tags(State(chatkit): State<ChatKit<App>>) -> Response {
    let app = chatkit.server();
    let templates = &app.newsroom.templates;
    let mut tags = Vec::new();
    for article in app.articles().list() {
        let preview = match templates.article_preview(article) {
            Ok(widget) => widget.to_value(),
            Err(err) => return internal(&err),
        };
        tags.push(json!({
            "entity": {"title": truncate(&article.title, 30), "id": article.id, "icon": "document", "interactive": true,
                       "group": "Articles", "data": {"article_id": article.id, "url": article.url}},
            "preview": preview,
        }));
    }
    for author in app.articles().authors() {
        let preview = match templates.author_preview(&author) {
            Ok(widget) => widget.to_value(),
            Err(err) => return internal(&err),
        };
        tags.push(json!({
            "entity": {"title": author.name, "id": format!("author:{}", author.id), "icon": "profile-card", "interactive": true,
                       "group": "Authors", "data": {"author": author.name, "author_id": author.id, "type": "author"}},
            "preview": preview,
        }));
    }
    Json(json!({"tags": tags})).into_response()
}

fn internal(err: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %err, "a bundled widget failed to render");
    (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": {"code": "internal", "message": "a widget failed to render"}}))).into_response()
}

async fn article(State(chatkit): State<ChatKit<App>>, Path(id): Path<String>) -> Response {
    match chatkit.server().articles().get(&id) {
        Some(article) => Json(json!({"article": article})).into_response(),
        None => not_found("article", &id),
    }
}

/// A stable color pair for a key.
fn palette(key: &str) -> (&'static str, &'static str) {
    const PAIRS: [(&str, &str); 6] =
        [("#ff5f42", "#3b1f2b"), ("#0ea5e9", "#0f172a"), ("#facc15", "#7c2d12"), ("#22c55e", "#14532d"), ("#a855f7", "#1e1b4b"), ("#fb7185", "#4c0519")];
    let hash = key.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    PAIRS[hash as usize % PAIRS.len()]
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn svg(body: String) -> Response {
    ([(CONTENT_TYPE, "image/svg+xml"), (axum::http::header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

/// The headline of a cover: wrapped at `width` characters a line, at most `max` lines, the last
/// one ending in `…` when words were left out. A word longer than a line stands alone.
fn headline_lines(title: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in title.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

async fn cover(State(chatkit): State<ChatKit<App>>, Path(id): Path<String>) -> Response {
    let Some(article) = chatkit.server().articles().get(&id) else { return not_found("article", &id) };
    let (light, dark) = palette(&id);
    // The headline sits in the top 240 units, so that pages cropping the cover to a 4:3 band
    // from the top (the front page's cards) still show all of it.
    let text: String = headline_lines(&article.meta.title, 24, 7)
        .iter()
        .enumerate()
        .map(|(i, line)| format!(r##"<text x="16" y="{}" font-size="17" font-weight="700" fill="#fff">{}</text>"##, 96 + i * 22, xml_escape(line)))
        .collect();
    svg(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="400" viewBox="0 0 320 400"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="{light}"/><stop offset="1" stop-color="{dark}"/></linearGradient></defs><rect width="320" height="400" fill="url(#g)"/><circle cx="262" cy="330" r="46" fill="#fff" fill-opacity="0.25"/><text x="16" y="40" font-size="12" letter-spacing="3" fill="#fff" fill-opacity="0.8">FOXHOLLOW DISPATCH</text>{text}</svg>"##
    ))
}

async fn avatar(State(chatkit): State<ChatKit<App>>, Path(slug): Path<String>) -> Response {
    let authors = chatkit.server().articles().authors();
    let Some(author) = authors.iter().find(|a| a.id == slug) else { return not_found("author", &slug) };
    let initials: String = author.name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
    let (light, dark) = palette(&slug);
    svg(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200"><rect width="200" height="200" fill="{dark}"/><circle cx="100" cy="100" r="80" fill="{light}"/><text x="100" y="122" font-size="64" font-weight="700" text-anchor="middle" fill="#fff">{}</text></svg>"##,
        xml_escape(&initials)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(truncate("New Bench Installed Near Willow Path; Residents Debate", 30), "New Bench Installed Near Wi...");
        assert_eq!(truncate("Short", 30), "Short");
        assert_eq!(xml_escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
        assert_eq!(palette("x"), palette("x"));
    }

    #[test]
    fn headlines_keep_every_word_that_fits() {
        let title = "Crosswalk Button Plays Soft Jazz When Pressed, Slowing Traffic and Stress Levels Simultaneously";
        let lines = headline_lines(title, 24, 7);
        assert!(lines.iter().all(|l| l.chars().count() <= 24), "{lines:?}");
        assert_eq!(lines.join(" "), title);
        assert_eq!(headline_lines("one two three four", 7, 2), ["one two", "three…"]);
        assert_eq!(headline_lines("Supercalifragilisticexpialidocious news", 10, 3), ["Supercalifragilisticexpialidocious", "news"]);
    }
}
