//! Graceful shutdown: SIGTERM lets open streams finish before the process exits.

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::json;

fn create(text: &str) -> String {
    json!({"type": "threads.create", "params": {"input": {"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}}}).to_string()
}

#[test]
fn sigterm_drains_open_streams() {
    let server = support::Server::start(&["conformance-app"]);
    let base = server.base.clone();
    let mut response = support::http::post(&base, "alice", &create("slow 10"));
    assert_eq!(response.status, 200);
    // Wait until the stream is under way, then ask the server to stop.
    let started = response.events_until(|events| events.iter().any(|e| e["type"] == "thread.item.updated"));
    assert!(!started.is_empty());
    let status = Command::new("kill").args(["-TERM", &server.pid().to_string()]).status().expect("kill runs");
    assert!(status.success());
    let events = response.events();
    let last = events.last().expect("the stream continued after SIGTERM");
    assert_eq!(last["type"], "thread.item.done", "the stream ran to its end: {last}");
    assert_eq!(last["item"]["content"][0]["text"], "1 2 3 4 5 6 7 8 9 10");
    assert!(server.wait_exit(Duration::from_secs(10)).is_some_and(|s| s.success()), "the server exits cleanly");
}
