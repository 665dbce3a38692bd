//! The endpoint over real HTTP on 127.0.0.1: framing, headers, error bodies, disconnects,
//! and concurrency.

#![allow(clippy::unwrap_used)]

use std::borrow::Cow;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chatkit::store::StoreContext;
use chatkit::{
    Action, ChatKit, ChatKitServer, HandlerError, HandlerResult, MemoryStore, ThreadStreamEvent, Turn,
    UserMessageItem, WidgetItem, WidgetRoot,
};
use futures_util::StreamExt;
use serde_json::{Value, json};

#[derive(Clone)]
struct User(String);

impl StoreContext for User {
    fn owner(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = (axum::http::StatusCode, &'static str);
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let user = parts.headers.get("x-user-id").and_then(|v| v.to_str().ok()).unwrap_or("anon");
        Ok(User(user.to_owned()))
    }
}

fn counter(n: i64) -> WidgetRoot {
    WidgetRoot::from_value(json!({"type": "Card", "children": [
        {"type": "Text", "id": "count", "value": n.to_string()},
        {"type": "Button", "label": "+1", "onClickAction": {"type": "add", "handler": "server"}}
    ]}))
    .unwrap()
}

/// `slow N` streams N words 40 ms apart; `counter` shows a counter; action `add` increments it.
struct App;

impl ChatKitServer for App {
    type Context = User;

    async fn respond(&self, turn: &mut Turn<User>, input: Option<UserMessageItem>) -> HandlerResult {
        let text = input.map(|m| m.text()).unwrap_or_default();
        match text.split_whitespace().collect::<Vec<_>>()[..] {
            ["slow", n] => {
                let n: usize = n.parse()?;
                let mut message = turn.start_message().await?;
                for i in 0..n {
                    tokio::time::sleep(Duration::from_millis(40)).await;
                    message.push(turn, format!("w{i} ")).await?;
                }
                message.finish(turn).await
            }
            ["counter"] => turn.show_widget(counter(0), None).await,
            _ => turn.say(format!("echo: {text}")).await,
        }
    }

    async fn action(&self, turn: &mut Turn<User>, action: Action, sender: Option<WidgetItem>) -> HandlerResult {
        let sender = sender.ok_or_else(|| HandlerError::custom("no sender"))?;
        assert_eq!(action.kind(), "add");
        let current: i64 = sender.widget.find("count").and_then(|c| c["value"].as_str()).unwrap_or("0").parse()?;
        // Widen the race window: a lost update would show if actions overlapped.
        tokio::time::sleep(Duration::from_millis(2)).await;
        turn.replace_widget(&sender, counter(current + 1)).await
    }
}

struct Server {
    base: String,
    chatkit: ChatKit<App>,
    client: reqwest::Client,
}

async fn start() -> Server {
    let chatkit = ChatKit::new(App, MemoryStore::new());
    let app = axum::Router::new().route("/chatkit", chatkit_axum::endpoint(chatkit.clone(), 64 * 1024));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(chatkit_axum::serve(listener, app));
    Server { base, chatkit, client: reqwest::Client::new() }
}

impl Server {
    async fn post(&self, user: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client
            .post(format!("{}/chatkit", self.base))
            .header("x-user-id", user)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    async fn json(&self, user: &str, request: Value) -> (u16, Value) {
        let response = self.post(user, request.to_string()).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    async fn stream(&self, user: &str, request: Value) -> Vec<Value> {
        let response = self.post(user, request.to_string()).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream; charset=utf-8");
        let bytes = response.bytes().await.unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(text.ends_with("\n\n") && text.starts_with("data: {"), "SSE framing: {text:?}");
        chatkit::sse::parse(&bytes).iter().map(|frame| serde_json::from_str(frame).unwrap()).collect()
    }
}

fn create(text: &str) -> Value {
    json!({"type": "threads.create", "params": {"input": {"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}}})
}

fn add(thread_id: &str, text: &str) -> Value {
    json!({"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": {"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}}})
}

fn items_list(thread_id: &str) -> Value {
    json!({"type": "items.list", "params": {"thread_id": thread_id, "order": "asc", "limit": 100}})
}

#[tokio::test]
async fn streams_frames_and_answers_json() {
    let server = start().await;
    let events = server.stream("alice", create("hello")).await;
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["thread.created", "thread.item.done", "stream_options", "thread.item.done"]);
    let thread_id = events[0]["thread"]["id"].as_str().unwrap();
    let (status, body) = server.json("alice", json!({"type": "threads.get_by_id", "params": {"thread_id": thread_id}})).await;
    assert_eq!(status, 200);
    assert_eq!(body["items"]["data"][1]["content"][0]["text"], "echo: hello");
}

#[tokio::test]
async fn bad_requests_get_json_errors_and_change_nothing() {
    let server = start().await;
    let events = server.stream("alice", create("keep me")).await;
    let thread_id = events[0]["thread"]["id"].as_str().unwrap().to_owned();
    let (_, before) = server.json("alice", items_list(&thread_id)).await;

    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("not json", b"{nope".to_vec(), 400, "invalid_request"),
        ("empty", Vec::new(), 400, "invalid_request"),
        ("array", b"[1]".to_vec(), 400, "invalid_request"),
        ("unknown type", br#"{"type":"threads.explode","params":{}}"#.to_vec(), 400, "invalid_request"),
        ("missing params", br#"{"type":"threads.list"}"#.to_vec(), 400, "invalid_request"),
        ("wrong field type", format!(r#"{{"type":"items.list","params":{{"thread_id":"{thread_id}","limit":"x"}}}}"#).into_bytes(), 400, "invalid_request"),
        ("negative limit", format!(r#"{{"type":"items.list","params":{{"thread_id":"{thread_id}","limit":-1}}}}"#).into_bytes(), 400, "invalid_request"),
        ("absurd limit", br#"{"type":"threads.list","params":{"limit":99999999999}}"#.to_vec(), 400, "invalid_request"),
        ("unknown thread (stream)", add("thr_nope", "x").to_string().into_bytes(), 404, "not_found"),
        ("unknown item", format!(r#"{{"type":"threads.retry_after_item","params":{{"thread_id":"{thread_id}","item_id":"msg_nope"}}}}"#).into_bytes(), 404, "not_found"),
        ("not a pending tool call", format!(r#"{{"type":"threads.add_client_tool_output","params":{{"thread_id":"{thread_id}","result":1}}}}"#).into_bytes(), 400, "invalid_request"),
        ("bad base64", br#"{"type":"input.transcribe","params":{"audio_base64":"@@@","mime_type":"audio/webm"}}"#.to_vec(), 400, "invalid_request"),
        ("invalid utf-8", b"{\"type\":\"threads.list\",\"params\":{\"after\":\"\xff\"}}".to_vec(), 400, "invalid_request"),
        ("oversized", vec![b' '; 100 * 1024], 413, "too_large"),
        ("no attachment store", br#"{"type":"attachments.create","params":{"name":"a","size":1,"mime_type":"text/plain"}}"#.to_vec(), 400, "unsupported"),
    ];
    for (what, body, status, code) in cases {
        let response = server.post("alice", body).await;
        assert_eq!(response.status().as_u16(), status, "{what}");
        assert_eq!(response.headers()["content-type"], "application/json", "{what}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "{what}: {body}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty(), "{what}");
    }
    let wrong_type = server
        .client
        .post(format!("{}/chatkit", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("a=b")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 415);

    let (_, after) = server.json("alice", items_list(&thread_id)).await;
    assert_eq!(before, after, "failed requests left the thread unchanged");
}

#[tokio::test]
async fn other_users_see_nothing() {
    let server = start().await;
    let events = server.stream("alice", create("secret")).await;
    let thread_id = events[0]["thread"]["id"].as_str().unwrap();
    for request in [
        json!({"type": "threads.get_by_id", "params": {"thread_id": thread_id}}),
        items_list(thread_id),
        json!({"type": "threads.update", "params": {"thread_id": thread_id, "title": "mine"}}),
        json!({"type": "threads.delete", "params": {"thread_id": thread_id}}),
        add(thread_id, "hi"),
        json!({"type": "threads.custom_action", "params": {"thread_id": thread_id, "action": {"type": "add"}}}),
    ] {
        let (status, body) = server.json("mallory", request.clone()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{request}");
    }
    let (_, list) = server.json("mallory", json!({"type": "threads.list", "params": {}})).await;
    assert_eq!(list["data"], json!([]));
    let (status, _) = server.json("alice", json!({"type": "threads.get_by_id", "params": {"thread_id": thread_id}})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn disconnect_keeps_exactly_what_was_streamed() {
    let server = start().await;
    let events = server.stream("alice", create("hi")).await;
    let thread_id = events[0]["thread"]["id"].as_str().unwrap().to_owned();

    let response = server.post("alice", add(&thread_id, "slow 50").to_string()).await;
    let mut body = response.bytes_stream();
    let mut seen = String::new();
    let mut deltas = Vec::new();
    while deltas.len() < 3 {
        seen.push_str(std::str::from_utf8(&body.next().await.unwrap().unwrap()).unwrap());
        deltas = chatkit::sse::parse(seen.as_bytes())
            .iter()
            .map(|f| serde_json::from_str::<Value>(f).unwrap())
            .filter(|e| e["update"]["type"] == "assistant_message.content_part.text_delta")
            .map(|e| e["update"]["delta"].as_str().unwrap().to_owned())
            .collect();
    }
    drop(body);

    // The handler stops and the partial message is stored, with exactly the deltas sent.
    let store = server.chatkit.store().clone();
    let user = User("alice".into());
    let mut items = Vec::new();
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        items = store.load_thread_items(&thread_id.as_str().into(), None, 100, chatkit::Order::Asc, &user).await.unwrap().data;
        if items.last().is_some_and(|i| i.kind() == "sdk_hidden_context") {
            break;
        }
    }
    let kinds: Vec<&str> = items.iter().map(|i| i.kind()).collect();
    assert_eq!(kinds, ["user_message", "assistant_message", "user_message", "assistant_message", "sdk_hidden_context"]);
    let chatkit::ThreadItem::AssistantMessage(partial) = &items[3] else { unreachable!() };
    assert_eq!(partial.text(), deltas.concat(), "the stored text is what the client saw");
    tokio::time::sleep(Duration::from_millis(150)).await;
    let again = store.load_thread_items(&thread_id.as_str().into(), None, 100, chatkit::Order::Asc, &user).await.unwrap().data;
    assert_eq!(again.len(), items.len(), "nothing is written after the cancellation");
}

#[tokio::test]
async fn concurrent_actions_on_one_widget_lose_no_update() {
    let server = start().await;
    let events = server.stream("alice", create("counter")).await;
    let thread_id = events[0]["thread"]["id"].as_str().unwrap().to_owned();
    let widget_id = events.iter().find(|e| e["item"]["type"] == "widget").unwrap()["item"]["id"].as_str().unwrap().to_owned();
    let action = json!({"type": "threads.custom_action", "params": {"thread_id": thread_id, "item_id": widget_id, "action": {"type": "add"}}});
    let runs = (0..40).map(|_| server.stream("alice", action.clone()));
    futures_util::future::join_all(runs).await;
    let (_, items) = server.json("alice", items_list(&thread_id)).await;
    let widget = items["data"].as_array().unwrap().iter().find(|i| i["id"] == widget_id.as_str()).unwrap();
    assert_eq!(widget["widget"]["children"][0]["value"], "40");
}

#[tokio::test]
async fn hidden_items_are_stored_not_sent() {
    struct Hider;
    impl ChatKitServer for Hider {
        type Context = User;
        async fn respond(&self, turn: &mut Turn<User>, _: Option<UserMessageItem>) -> HandlerResult {
            turn.add_hidden_context("secret note").await?;
            turn.emit(ThreadStreamEvent::progress("working")).await?;
            turn.say("done").await
        }
    }
    let chatkit = ChatKit::new(Hider, MemoryStore::new());
    let app = axum::Router::new().route("/chatkit", chatkit_axum::endpoint(chatkit.clone(), 1024 * 1024));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(chatkit_axum::serve(listener, app));
    let response = reqwest::Client::new().post(format!("{base}/chatkit")).body(create("x").to_string()).send().await.unwrap();
    let text = response.text().await.unwrap();
    assert!(!text.contains("secret note"), "hidden context never reaches the client");
    let thread_id = serde_json::from_str::<Value>(&chatkit::sse::parse(text.as_bytes())[0]).unwrap()["thread"]["id"].as_str().unwrap().to_owned();
    let stored = chatkit.store().load_thread_items(&thread_id.into(), None, 10, chatkit::Order::Asc, &User("anon".into())).await.unwrap();
    assert!(stored.data.iter().any(|i| i.kind() == "hidden_context_item"));
}

#[tokio::test]
async fn a_panicking_handler_becomes_an_error_event() {
    struct Panics;
    impl ChatKitServer for Panics {
        type Context = User;
        async fn respond(&self, turn: &mut Turn<User>, _: Option<UserMessageItem>) -> HandlerResult {
            turn.say("before").await?;
            panic!("boom");
        }
    }
    let chatkit = ChatKit::new(Panics, MemoryStore::new());
    let app = axum::Router::new().route("/chatkit", chatkit_axum::endpoint(chatkit, 1024 * 1024));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(chatkit_axum::serve(listener, app));
    let text = reqwest::Client::new().post(format!("{base}/chatkit")).body(create("x").to_string()).send().await.unwrap().text().await.unwrap();
    let events: Vec<Value> = chatkit::sse::parse(text.as_bytes()).iter().map(|f| serde_json::from_str(f).unwrap()).collect();
    let last = events.last().unwrap();
    assert_eq!(last, &json!({"type": "error", "code": "stream.error", "allow_retry": true}));
    assert!(!text.contains("boom"), "panic messages stay in the log");
}

#[tokio::test]
async fn streams_per_user_are_limited() {
    let chatkit = ChatKit::new(App, MemoryStore::new()).stream_limit(2, |user: &User| user.0.clone());
    let app = axum::Router::new().route("/chatkit", chatkit_axum::endpoint(chatkit, 1024 * 1024));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(chatkit_axum::serve(listener, app));
    let client = reqwest::Client::new();
    let send = |user: &'static str| client.post(format!("{base}/chatkit")).header("x-user-id", user).body(create("slow 10").to_string()).send();
    let first = send("alice").await.unwrap();
    let second = send("alice").await.unwrap();
    let third = send("alice").await.unwrap();
    assert_eq!((first.status().as_u16(), second.status().as_u16(), third.status().as_u16()), (200, 200, 429));
    let body: Value = third.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    assert_eq!(send("bob").await.unwrap().status(), 200, "other users are not limited");
    first.bytes().await.unwrap();
    assert_eq!(send("alice").await.unwrap().status(), 200, "a finished stream frees its slot");
}
