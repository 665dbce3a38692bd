//! `chatkit serve` runs the task board's agent on a model: the offline scripted one, and an
//! OpenAI-compatible server (a local one replaying recorded streams) named by
//! `OPENAI_BASE_URL` — the same tools either way.

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

/// The first action of `kind` in a widget.
fn action(widget: &Value, kind: &str) -> Option<Value> {
    match widget {
        Value::Object(map) if map.get("type").and_then(Value::as_str) == Some(kind) && map.contains_key("handler") => {
            Some(widget.clone())
        }
        Value::Object(map) => map.values().find_map(|v| action(v, kind)),
        Value::Array(items) => items.iter().find_map(|v| action(v, kind)),
        _ => None,
    }
}

#[test]
fn scripted_model_runs_the_task_board_tools_and_actions() {
    let server = Server::start_with_env(&["serve", "--store", "memory", "--model", "scripted"], NO_MODEL_ENV);
    let events = http::post(&server.base, "alice", &create("add task Buy milk for Grace")).events();
    let answer = done_items(&events, "assistant_message");
    assert_eq!(answer[0]["content"][0]["text"], "Added “Buy milk” for Grace.", "{events:?}");
    let title = events.iter().find(|e| e["type"] == "thread.updated").expect("thread.updated with a title");
    assert_eq!(title["thread"]["title"], "Add task Buy milk for Grace");
    let effect = events.iter().find(|e| e["type"] == "client_effect").expect("board.updated");
    assert_eq!(effect["data"]["tasks"][3]["title"], "Buy milk");

    let thread = events[0]["thread"]["id"].as_str().expect("thread id");
    let add = |text: &str| {
        json!({"type": "threads.add_user_message", "params": {"thread_id": thread, "input": {
            "content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}}})
        .to_string()
    };
    let events = http::post(&server.base, "alice", &add("show tasks for Grace")).events();
    let widgets = done_items(&events, "widget");
    assert_eq!(widgets[0]["widget"]["status"]["text"], "Grace's tasks · 1 open, 0 done");
    let toggle = action(&widgets[0]["widget"], "task.toggle").expect("a toggle button");
    let request = json!({"type": "threads.custom_action", "params": {"thread_id": thread, "item_id": widgets[0]["id"], "action": toggle}});
    let events = http::post(&server.base, "alice", &request.to_string()).events();
    let replaced: Vec<&Value> = events.iter().filter(|e| e["type"] == "thread.item.replaced").collect();
    assert_eq!(replaced[0]["item"]["widget"]["status"]["text"], "Grace's tasks · 0 open, 1 done");
    let events = http::post(&server.base, "alice", &add("recap")).events();
    let answer = done_items(&events, "assistant_message");
    assert_eq!(answer[0]["content"][0]["text"], "Here is what you did in this chat:\n- You added “Buy milk”\n- You completed “Buy milk”");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_base_url_runs_the_task_board_on_a_model_server_with_retries() {
    let chunk = |delta: Value, finish: Value| {
        format!("data: {}\n\n", json!({"id": "c", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}))
    };
    let text = |t: &str| vec![chunk(json!({"content": t}), Value::Null), chunk(json!({}), json!("stop")), "data: [DONE]\n\n".to_owned()];
    let call = vec![
        chunk(
            json!({"tool_calls": [{"index": 0, "id": "call_a", "type": "function",
                                   "function": {"name": "list_tasks", "arguments": "{\"assignee\":\"Ada\"}"}}]}),
            Value::Null,
        ),
        chunk(json!({}), json!("tool_calls")),
        "data: [DONE]\n\n".to_owned(),
    ];
    let model = MockModel::start(vec![
        Reply::events(text("Greetings"), Duration::ZERO, Then::End),
        Reply::Status { status: 429, body: r#"{"error":{"message":"slow down"}}"#.into(), retry_after: Some(0) },
        Reply::events(call, Duration::ZERO, Then::End),
        Reply::events(text("Here are Ada's tasks."), Duration::ZERO, Then::End),
    ])
    .await;
    let base_url = model.base_url.clone();
    let events = tokio::task::spawn_blocking(move || {
        let mut env = NO_MODEL_ENV.to_vec();
        env.retain(|(k, _)| *k != "OPENAI_BASE_URL" && *k != "CHATKIT_MODEL");
        env.push(("OPENAI_BASE_URL", Some(base_url.as_str())));
        env.push(("CHATKIT_MODEL", Some("local-model")));
        let server = Server::start_with_env(&["serve", "--store", "memory"], &env);
        http::post(&server.base, "alice", &create("what is Ada doing?")).events()
    })
    .await
    .expect("the client thread");
    assert_eq!(done_items(&events, "assistant_message")[0]["content"][0]["text"], "Here are Ada's tasks.", "{events:?}");
    assert_eq!(done_items(&events, "widget")[0]["widget"]["status"]["text"], "Ada's tasks · 1 open, 0 done");
    let title = events.iter().find(|e| e["type"] == "thread.updated").expect("a title");
    assert_eq!(title["thread"]["title"], "Greetings");
    let received = model.received();
    assert_eq!(received.len(), 4);
    assert!(received.iter().all(|r| r.path == "/v1/chat/completions" && r.body["model"] == "local-model"));
    assert!(received[0].authorization.is_none());
    // The model is offered the board's tools, and hears the tool's result.
    let tools: Vec<&Value> = received[2].body["tools"].as_array().expect("tools").iter().map(|t| &t["function"]["name"]).collect();
    assert_eq!(tools, ["list_tasks", "add_task", "complete_task", "assign_task", "show_task_form"]);
    let last = received[3].body["messages"].as_array().expect("messages").last().cloned().expect("a message");
    assert_eq!((last["role"].as_str(), last["content"].as_str()), (Some("tool"), Some("1 of 1 tasks for Ada are open.")));
}
