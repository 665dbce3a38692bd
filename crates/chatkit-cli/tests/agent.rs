//! `chatkit serve` as an agent: on the offline scripted model, and on an OpenAI-compatible
//! server (a local one replaying recorded streams) named by `OPENAI_BASE_URL`.

mod support;
#[path = "../../chatkit-agents/tests/support/mod.rs"]
mod model_support;

use std::time::Duration;

use model_support::{MockModel, Reply, Then};
use serde_json::{Value, json};
use support::{Server, http};

const NO_MODEL_ENV: &[(&str, Option<&str>)] = &[
    ("OPENAI_API_KEY", None),
    ("OPENAI_BASE_URL", None),
    ("OPENAI_MODEL", None),
    ("CHATKIT_MODEL", None),
    ("CHATKIT_MODEL_API", None),
    ("CHATKIT_STORE", None),
];

fn create(text: &str) -> String {
    json!({"type": "threads.create", "params": {"input": {"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}}})
        .to_string()
}

fn done_items<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == "thread.item.done" && e["item"]["type"] == kind).map(|e| &e["item"]).collect()
}

#[test]
fn scripted_model_calls_a_tool_that_shows_a_widget_and_its_action_replaces_it() {
    let server = Server::start_with_env(&["serve", "--store", "memory", "--model", "scripted"], NO_MODEL_ENV);
    let events = http::post(&server.base, "alice", &create("Show me a counter please")).events();
    let widgets = done_items(&events, "widget");
    assert_eq!(widgets.len(), 1, "{events:?}");
    assert_eq!(widgets[0]["widget"]["children"][1]["value"], "Count: 0");
    let answer = done_items(&events, "assistant_message");
    assert_eq!(answer[0]["content"][0]["text"], "Done: A counter showing 0 is displayed.");
    let title = events.iter().find(|e| e["type"] == "thread.updated").expect("thread.updated with a title");
    assert_eq!(title["thread"]["title"], "Show me a counter please");

    let thread = events[0]["thread"]["id"].as_str().expect("thread id");
    let action = json!({"type": "threads.custom_action", "params": {"thread_id": thread, "item_id": widgets[0]["id"],
        "action": {"type": "counter.add", "payload": {"count": 0}}}});
    let events = http::post(&server.base, "alice", &action.to_string()).events();
    let replaced: Vec<&Value> = events.iter().filter(|e| e["type"] == "thread.item.replaced").collect();
    assert_eq!(replaced[0]["item"]["widget"]["children"][1]["value"], "Count: 1");

    // The dice stream their widget.
    let events = http::post(&server.base, "alice", &create("roll the dice")).events();
    assert!(events.iter().any(|e| e["update"]["type"] == "widget.streaming_text.value_delta"), "{events:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_base_url_selects_a_real_model_server_with_retries() {
    let text = |t: &str| {
        let chunk = |delta: Value, finish: Value| {
            format!("data: {}\n\n", json!({"id": "c", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}))
        };
        vec![chunk(json!({"content": t}), Value::Null), chunk(json!({}), json!("stop")), "data: [DONE]\n\n".to_owned()]
    };
    let model = MockModel::start(vec![
        Reply::events(text("Greetings"), Duration::ZERO, Then::End),
        Reply::Status { status: 429, body: r#"{"error":{"message":"slow down"}}"#.into(), retry_after: Some(0) },
        Reply::events(text("Hello from the model."), Duration::ZERO, Then::End),
    ])
    .await;
    let base_url = model.base_url.clone();
    let events = tokio::task::spawn_blocking(move || {
        let mut env = NO_MODEL_ENV.to_vec();
        env.retain(|(k, _)| *k != "OPENAI_BASE_URL" && *k != "CHATKIT_MODEL");
        env.push(("OPENAI_BASE_URL", Some(base_url.as_str())));
        env.push(("CHATKIT_MODEL", Some("local-model")));
        let server = Server::start_with_env(&["serve", "--store", "memory"], &env);
        http::post(&server.base, "alice", &create("hello")).events()
    })
    .await
    .expect("the client thread");
    assert_eq!(done_items(&events, "assistant_message")[0]["content"][0]["text"], "Hello from the model.", "{events:?}");
    let title = events.iter().find(|e| e["type"] == "thread.updated").expect("a title");
    assert_eq!(title["thread"]["title"], "Greetings");
    let received = model.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| r.path == "/v1/chat/completions" && r.body["model"] == "local-model"));
    assert!(received[0].authorization.is_none());
}
