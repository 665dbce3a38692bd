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
