//! # chatkit-testing
//!
//! Test support for chatkit-rs apps: [`TestServer`] serves an app's router on a free local port
//! and drives it over real HTTP as the web client does — `POST /chatkit` with the user in
//! `x-user-id`, streamed answers read back as events — and [`events`] picks the parts of a
//! stream a test looks at. Pair it with
//! [`chatkit_agents::model::Recording`](https://docs.rs/chatkit-agents) to see what the model
//! was asked.
//!
//! ```
//! use axum::http::request::Parts;
//! use chatkit::{ChatKit, ChatKitServer, HandlerResult, MemoryStore, RequestContext, Turn, UserMessageItem};
//! use chatkit_testing::{TestServer, events};
//!
//! struct Echo;
//! impl ChatKitServer for Echo {
//!     type Context = RequestContext;
//!     async fn respond(&self, turn: &mut Turn<RequestContext>, input: Option<UserMessageItem>) -> HandlerResult {
//!         turn.say(input.map(|m| m.text()).unwrap_or_default()).await
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(async {
//! let user = |parts: &Parts| Ok(RequestContext::new(parts.headers["x-user-id"].to_str().unwrap_or("")));
//! let server = TestServer::start(chatkit_axum::router_with(ChatKit::new(Echo, MemoryStore::new()), user)).await;
//! let (thread, stream) = server.start_thread("hello").await;
//! assert_eq!(events::replies(&stream), ["hello"]);
//! assert_eq!(events::replies(&server.say(&thread, "again").await), ["again"]);
//! # });
//! ```

use axum::Router;
use serde_json::{Value, json};

pub mod events;

/// An app served on `127.0.0.1` (a free port) for the life of the test's runtime, and a client
/// that talks to it as one user.
///
/// Every method panics, with what went wrong, where a test would fail anyway: a refused
/// connection, a status other than 200 where a stream or JSON answer was expected, a body that
/// is not JSON.
#[derive(Clone, Debug)]
pub struct TestServer {
    base: String,
    http: reqwest::Client,
    user: String,
    headers: Vec<(&'static str, String)>,
}

impl TestServer {
    /// Serves `app`; requests go as user `alice` until [`as_user`](Self::as_user).
    pub async fn start(app: Router) -> Self {
        Self::start_with(|_| app).await
    }

    /// Serves the router `app(base)` builds, `base` being the server's own address
    /// (`http://127.0.0.1:PORT`), for apps that put absolute URLs in what they answer.
    pub async fn start_with(app: impl FnOnce(&str) -> Router) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free local port");
        let base = format!("http://{}", listener.local_addr().expect("a bound listener has an address"));
        let app = app(&base);
        tokio::spawn(async move { chatkit_axum::serve(listener, app).await });
        Self { base, http: reqwest::Client::new(), user: "alice".to_owned(), headers: Vec::new() }
    }

    /// The server's address, `http://127.0.0.1:PORT`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The user requests go as (`x-user-id`).
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The HTTP client, for requests the methods here do not make (an upload to a URL the app
    /// answered, say).
    pub fn client(&self) -> &reqwest::Client {
        &self.http
    }

    /// The same server, talked to as `user` (sent as `x-user-id`).
    #[must_use]
    pub fn as_user(&self, user: &str) -> Self {
        Self { user: user.to_owned(), ..self.clone() }
    }

    /// The same server, with the header `name: value` on every request from now on.
    #[must_use]
    pub fn with_header(&self, name: &'static str, value: &str) -> Self {
        let mut server = self.clone();
        server.headers.retain(|(n, _)| *n != name);
        server.headers.push((name, value.to_owned()));
        server
    }

    fn request(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let request = request.header("x-user-id", &self.user);
        self.headers.iter().fold(request, |request, (name, value)| request.header(*name, value))
    }

    /// `POST /chatkit` with `body`: the answer, whatever its status.
    pub async fn post(&self, body: Value) -> reqwest::Response {
        let request = self.request(self.http.post(format!("{}/chatkit", self.base)).json(&body));
        request.send().await.expect("the server answers POST /chatkit")
    }

    /// A streaming request: the events of its answer (status 200).
    pub async fn stream(&self, body: Value) -> Vec<Value> {
        let response = self.post(body).await;
        assert_eq!(response.status(), 200, "a streaming request is answered");
        let bytes = response.bytes().await.expect("the stream ends");
        chatkit::sse::parse(&bytes).iter().map(|frame| serde_json::from_str(frame).expect("event JSON")).collect()
    }

    /// A non-streaming request: its JSON answer (status 200).
    pub async fn json(&self, body: Value) -> Value {
        let response = self.post(body).await;
        assert_eq!(response.status(), 200, "the request is answered");
        response.json().await.expect("a JSON answer")
    }

    /// `GET path` (e.g. `/api/board?thread=…`): the answer, whatever its status.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.request(self.http.get(format!("{}{path}", self.base))).send().await.expect("the server answers GET")
    }

    /// `GET path`: its status and JSON body.
    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let response = self.get(path).await;
        (response.status().as_u16(), response.json().await.expect("a JSON answer"))
    }

    /// `threads.create` with the message `content` (see [`text`]) and its inference options
    /// (`{}`, or e.g. `{"tool_choice": {"id": "board"}}`): the new thread's id and the events.
    pub async fn create(&self, content: Value, inference_options: Value) -> (String, Vec<Value>) {
        let input = json!({"content": content, "attachments": [], "inference_options": inference_options});
        let events = self.stream(json!({"type": "threads.create", "params": {"input": input}})).await;
        let thread = events.first().and_then(|e| e["thread"]["id"].as_str()).expect("thread.created first");
        (thread.to_owned(), events)
    }

    /// `threads.create` with a plain text message: the new thread's id and the events.
    pub async fn start_thread(&self, message: &str) -> (String, Vec<Value>) {
        self.create(text(message), json!({})).await
    }

    /// `threads.add_user_message` with a plain text message: the events.
    pub async fn say(&self, thread: &str, message: &str) -> Vec<Value> {
        let input = json!({"content": text(message), "attachments": [], "inference_options": {}});
        self.stream(json!({"type": "threads.add_user_message", "params": {"thread_id": thread, "input": input}})).await
    }

    /// `threads.custom_action` — what the page does with an action it forwards
    /// (`sendCustomAction(action, itemId)`), `item` being the widget's item, if any: the events.
    pub async fn act(&self, thread: &str, item: Option<&str>, action: &Value) -> Vec<Value> {
        let mut params = json!({"thread_id": thread, "action": action});
        if let Some(item) = item {
            params["item_id"] = json!(item);
        }
        self.stream(json!({"type": "threads.custom_action", "params": params})).await
    }

    /// The thread's items, oldest first (`items.list`, up to 100).
    pub async fn items(&self, thread: &str) -> Vec<Value> {
        let page = self.json(json!({"type": "items.list", "params": {"thread_id": thread, "limit": 100, "order": "asc"}})).await;
        page["data"].as_array().expect("a page of items").clone()
    }
}

/// The content of a message of one text part.
///
/// ```
/// assert_eq!(chatkit_testing::text("hi"), serde_json::json!([{"type": "input_text", "text": "hi"}]));
/// ```
pub fn text(text: &str) -> Value {
    json!([{"type": "input_text", "text": text}])
}
