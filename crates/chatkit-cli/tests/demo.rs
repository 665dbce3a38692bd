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
