//! `chatkit serve` runs the task board demo: a process test of the wiring (the demo's own
//! tests in `examples/task-board` cover its patterns).

mod support;

use serde_json::json;
use support::{Server, http};

#[test]
fn serve_runs_the_task_board() {
    let server = Server::start_with_env(&["serve", "--store", "memory"], support::CLEAN_ENV);
    let create = json!({"type": "threads.create", "params": {"input": {
        "content": [{"type": "input_text", "text": "show tasks"}], "attachments": [], "inference_options": {}}}});
    let response = http::post(&server.base, "alice", &create.to_string());
    assert_eq!(response.status, 200);
    let events = response.events();
    let widget = events
        .iter()
        .find(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "widget")
        .expect("the task list widget");
    assert_eq!(widget["item"]["widget"]["status"]["text"], "All tasks · 3 open, 0 done");
    let titles: Vec<_> = events.iter().filter(|e| e["type"] == "thread.updated").map(|e| &e["thread"]["title"]).collect();
    assert_eq!(titles, vec!["Show tasks"]);
}

#[test]
fn boards_survive_a_restart() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = format!("sqlite:{}", dir.path().join("chatkit.db").display());
    let args = ["serve", "--store", store.as_str(), "--data-dir", dir.path().to_str().expect("a UTF-8 path")];
    let server = Server::start_with_env(&args, support::CLEAN_ENV);
    let create = json!({"type": "threads.create", "params": {"input": {
        "content": [{"type": "input_text", "text": "add task Water the plants for Grace"}], "attachments": [], "inference_options": {}}}});
    let events = http::post(&server.base, "alice", &create.to_string()).events();
    let thread = events[0]["thread"]["id"].as_str().expect("thread id").to_owned();
    server.kill();

    let server = Server::start_with_env(&args, support::CLEAN_ENV);
    let board = |user: &str| support::send(&server.base, "GET", &format!("/api/board?thread={thread}"), &[("x-user-id", user)], b"")
        .expect("the server answers");
    let answer = board("alice");
    assert_eq!(answer.status, 200);
    let tasks = answer.json()["tasks"].clone();
    assert_eq!(tasks[3]["title"], "Water the plants");
    assert_eq!(tasks[3]["assignee"], "grace");
    assert_eq!(board("bob").status, 404, "another user's thread");
}

#[test]
fn serve_shows_the_task_board_page() {
    let server = Server::start_with_env(&["serve", "--store", "memory"], support::CLEAN_ENV);
    let get = |path: &str| support::send(&server.base, "GET", path, &[], b"").expect("the server answers");
    let page = get("/");
    assert_eq!(page.status, 200);
    let html = String::from_utf8_lossy(&page.body).into_owned();
    assert!(html.contains(r#"<script type="module" src="/apps/task-board/app.js">"#), "{html}");
    assert!(page.header("content-security-policy").is_some_and(|csp| csp.contains("script-src 'self'")));
    let script = get("/apps/task-board/app.js");
    assert_eq!(script.status, 200);
    assert!(script.header("content-type").is_some_and(|t| t.starts_with("text/javascript")));
    assert!(String::from_utf8_lossy(&script.body).contains("board.updated"));
    assert_eq!(get("/apps/task-board/app.css").status, 200);
    assert_eq!(get("/chatkit-panel.js").status, 200, "the client's files are served beside the page");
    // The conformance app keeps the generic page.
    let conformance = Server::start_with_env(&["serve", "--store", "memory", "--app", "conformance"], support::CLEAN_ENV);
    let generic = support::send(&conformance.base, "GET", "/", &[], b"").expect("the server answers");
    assert!(String::from_utf8_lossy(&generic.body).contains(r#"src="/app.js""#));
}

#[test]
fn serve_runs_the_metro_map() {
    let server = Server::start_with_env(&["serve", "--store", "memory", "--app", "metro-map"], support::CLEAN_ENV);
    let get = |path: &str| support::send(&server.base, "GET", path, &[("x-user-id", "alice")], b"").expect("the server answers");
    let page = get("/");
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains(r#"<script type="module" src="/apps/metro-map/app.js">"#));
    assert!(String::from_utf8_lossy(&get("/apps/metro-map/app.js").body).contains("location_select_mode"));
    assert_eq!(get("/apps/metro-map/app.css").status, 200);
    let map = get("/api/map");
    assert_eq!(map.status, 200);
    assert_eq!(map.json()["map"]["stations"].as_array().map(Vec::len), Some(15));

    // The offline model shows the line picker.
    let create = json!({"type": "threads.create", "params": {"input": {
        "content": [{"type": "input_text", "text": "I would like to add a new metro station."}], "attachments": [], "inference_options": {}}}});
    let events = http::post(&server.base, "alice", &create.to_string()).events();
    let picker = events
        .iter()
        .find(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "widget")
        .expect("the line picker");
    assert_eq!(picker["item"]["widget"]["children"][0]["onClickAction"]["type"], "line.select");
}
