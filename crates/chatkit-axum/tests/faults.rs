//! Faults over real HTTP: clients that vanish mid-stream, a store that fails mid-request, and
//! many actions racing on one widget.

#![allow(clippy::unwrap_used)]

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chatkit::store::{StoreContext, StoreError, StoreResult};
use chatkit::{
    Action, Attachment, AttachmentId, ChatKit, ChatKitServer, HandlerResult, ItemId, MemoryStore, Order, Page, Store,
    ThreadId, ThreadItem, ThreadMetadata, Turn, UserMessageItem, WidgetItem, WidgetRoot,
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

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for User {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(User(parts.headers.get("x-user-id").and_then(|v| v.to_str().ok()).unwrap_or("anon").to_owned()))
    }
}

/// Counts handlers running now; a handler that outlives its stream would show here.
#[derive(Clone, Default)]
struct Running(Arc<AtomicUsize>);

struct Guard(Arc<AtomicUsize>);

impl Running {
    fn enter(&self) -> Guard {
        self.0.fetch_add(1, Ordering::SeqCst);
        Guard(self.0.clone())
    }
    fn now(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn counter(n: i64) -> WidgetRoot {
    WidgetRoot::from_value(json!({"type": "Card", "children": [
        {"type": "Text", "id": "count", "value": n.to_string()},
        {"type": "Button", "label": "+1", "onClickAction": {"type": "add", "handler": "server"}}
    ]}))
    .unwrap()
}

/// `slow N`: N words `wI `, 1 ms apart. `counter`: a counter widget; action `add` adds one.
/// Anything else: one message.
struct App {
    running: Running,
}

impl ChatKitServer for App {
    type Context = User;

    async fn respond(&self, turn: &mut Turn<User>, input: Option<UserMessageItem>) -> HandlerResult {
        let _running = self.running.enter();
        let text = input.map(|m| m.text()).unwrap_or_default();
        match text.split_whitespace().collect::<Vec<_>>()[..] {
            ["slow", n] => {
                let mut message = turn.start_message().await?;
                for i in 0..n.parse::<usize>()? {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    message.push(turn, format!("w{i} ")).await?;
                }
                message.finish(turn).await
            }
            ["counter"] => turn.show_widget(counter(0), None).await,
            _ => turn.say(format!("echo: {text}")).await,
        }
    }

    async fn action(&self, turn: &mut Turn<User>, _: Action, sender: Option<WidgetItem>) -> HandlerResult {
        let _running = self.running.enter();
        let sender = sender.ok_or_else(|| chatkit::HandlerError::custom("no sender"))?;
        let current: i64 = sender.widget.find("count").and_then(|c| c["value"].as_str()).unwrap_or("0").parse()?;
        tokio::task::yield_now().await;
        turn.replace_widget(&sender, counter(current + 1)).await
    }
}

async fn serve<St: Store<User>>(store: St, running: Running) -> (String, ChatKit<App>) {
    let chatkit = ChatKit::new(App { running }, store);
    let app = axum::Router::new().route("/chatkit", chatkit_axum::endpoint(chatkit.clone(), 1024 * 1024));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/chatkit", listener.local_addr().unwrap());
    tokio::spawn(chatkit_axum::serve(listener, app));
    (base, chatkit)
}

fn create(text: &str) -> Value {
    json!({"type": "threads.create", "params": {"input": {"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}}})
}

fn add(thread_id: &str, text: &str) -> Value {
    json!({"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": {"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}}})
}

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Reads a stream until `frames` events arrived (then drops the connection); the text deltas seen.
async fn read_then_vanish(client: &reqwest::Client, base: &str, user: &str, words: u64, frames: usize) -> (String, String) {
    let response = client.post(base).header("x-user-id", user).body(create(&format!("slow {words}")).to_string()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let mut body = response.bytes_stream();
    let mut seen = Vec::new();
    let mut events: Vec<Value> = Vec::new();
    while events.len() < frames {
        match body.next().await {
            Some(chunk) => seen.extend_from_slice(&chunk.unwrap()),
            None => break,
        }
        events = chatkit::sse::parse(&seen).iter().map(|f| serde_json::from_str(f).unwrap()).collect();
    }
    drop(body);
    let thread_id = events[0]["thread"]["id"].as_str().unwrap().to_owned();
    let text: String = events
        .iter()
        .filter(|e| e["update"]["type"] == "assistant_message.content_part.text_delta")
        .map(|e| e["update"]["delta"].as_str().unwrap())
        .collect();
    (thread_id, text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_vanishing_clients_lose_nothing_they_saw_and_leave_no_task() {
    let running = Running::default();
    let (base, chatkit) = serve(MemoryStore::new(), running.clone()).await;
    let client = reqwest::Client::new();
    let mut rng = Lcg(8);
    let plans: Vec<(u64, usize)> = (0..1000)
        .map(|_| {
            let words = 1 + rng.below(30);
            // thread.created, user item, stream_options, added, then one frame per word, done.
            (words, 1 + rng.below(words + 5) as usize)
        })
        .collect();
    let runs = futures_util::stream::iter(plans.iter().enumerate())
        .map(|(n, &(words, frames))| {
            let (client, base) = (client.clone(), base.clone());
            async move {
                let (thread_id, seen) = read_then_vanish(&client, &base, &format!("user{}", n % 10), words, frames).await;
                (n, thread_id, seen)
            }
        })
        .buffer_unordered(50)
        .collect::<Vec<_>>()
        .await;

    // Every handler stops and every stream task ends.
    let mut idle = false;
    for _ in 0..500 {
        if chatkit.open_streams() == 0 && running.now() == 0 {
            idle = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(idle, "{} streams and {} handlers still running", chatkit.open_streams(), running.now());

    let store = chatkit.store().clone();
    let (mut partial, mut complete) = (0, 0);
    for (n, thread_id, seen) in &runs {
        let (words, _) = plans[*n];
        let full: String = (0..words).map(|i| format!("w{i} ")).collect();
        let user = User(format!("user{}", n % 10));
        let items = store.load_thread_items(&thread_id.as_str().into(), None, 100, Order::Asc, &user).await.unwrap().data;
        assert!(matches!(items.first(), Some(ThreadItem::UserMessage(_))), "run {n}: the user message is stored");
        let stored = items.iter().find_map(|i| match i {
            ThreadItem::AssistantMessage(m) => Some(m.text()),
            _ => None,
        });
        let stored = stored.unwrap_or_default();
        // What the client saw is stored; what is stored was streamed: a prefix of the answer.
        assert!(stored.starts_with(seen.as_str()), "run {n}: stored {stored:?}, seen {seen:?}");
        assert!(full.starts_with(&stored), "run {n}: stored {stored:?} is not a prefix of {full:?}");
        if stored == full { complete += 1 } else { partial += 1 }
    }
    assert!(partial > 200, "many clients left early ({partial} partial, {complete} complete)");
    println!("1000 streams cut at random points: {partial} partial answers stored as streamed, {complete} complete; 0 tasks left");
}

/// A store that fails the `n`th call (from 0) of one operation, once.
struct Failing {
    inner: MemoryStore,
    op: std::sync::Mutex<Option<(&'static str, usize)>>,
}

impl Failing {
    fn new() -> Self {
        Self { inner: MemoryStore::new(), op: std::sync::Mutex::new(None) }
    }

    fn fail(&self, op: &'static str, after: usize) {
        *self.op.lock().unwrap() = Some((op, after));
    }

    fn check(&self, op: &'static str) -> StoreResult<()> {
        let mut armed = self.op.lock().unwrap();
        match armed.as_mut() {
            Some((name, 0)) if *name == op => {
                *armed = None;
                Err(StoreError::backend(std::io::Error::other("disk on fire")))
            }
            Some((name, n)) if *name == op => {
                *n -= 1;
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

#[async_trait]
impl Store<User> for Arc<Failing> {
    async fn load_thread(&self, id: &ThreadId, ctx: &User) -> StoreResult<ThreadMetadata> {
        self.check("load_thread")?;
        self.inner.load_thread(id, ctx).await
    }
    async fn save_thread(&self, thread: &ThreadMetadata, ctx: &User) -> StoreResult<()> {
        self.check("save_thread")?;
        self.inner.save_thread(thread, ctx).await
    }
    async fn load_threads(&self, after: Option<&str>, limit: usize, order: Order, ctx: &User) -> StoreResult<Page<ThreadMetadata>> {
        self.inner.load_threads(after, limit, order, ctx).await
    }
    async fn delete_thread(&self, id: &ThreadId, ctx: &User) -> StoreResult<()> {
        self.check("delete_thread")?;
        self.inner.delete_thread(id, ctx).await
    }
    async fn load_thread_items(&self, id: &ThreadId, after: Option<&str>, limit: usize, order: Order, ctx: &User) -> StoreResult<Page<ThreadItem>> {
        self.inner.load_thread_items(id, after, limit, order, ctx).await
    }
    async fn add_thread_item(&self, id: &ThreadId, item: &ThreadItem, ctx: &User) -> StoreResult<()> {
        self.check("add_thread_item")?;
        self.inner.add_thread_item(id, item, ctx).await
    }
    async fn save_item(&self, id: &ThreadId, item: &ThreadItem, ctx: &User) -> StoreResult<()> {
        self.check("save_item")?;
        self.inner.save_item(id, item, ctx).await
    }
    async fn load_item(&self, id: &ThreadId, item_id: &ItemId, ctx: &User) -> StoreResult<ThreadItem> {
        self.inner.load_item(id, item_id, ctx).await
    }
    async fn delete_thread_item(&self, id: &ThreadId, item_id: &ItemId, ctx: &User) -> StoreResult<()> {
        self.check("delete_thread_item")?;
        self.inner.delete_thread_item(id, item_id, ctx).await
    }
    async fn save_attachment(&self, attachment: &Attachment, ctx: &User) -> StoreResult<()> {
        self.inner.save_attachment(attachment, ctx).await
    }
    async fn load_attachment(&self, id: &AttachmentId, ctx: &User) -> StoreResult<Attachment> {
        self.inner.load_attachment(id, ctx).await
    }
    async fn delete_attachment(&self, id: &AttachmentId, ctx: &User) -> StoreResult<()> {
        self.inner.delete_attachment(id, ctx).await
    }
}

async fn post(client: &reqwest::Client, base: &str, body: &Value) -> (u16, String) {
    let response = client.post(base).header("x-user-id", "alice").body(body.to_string()).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn store_failures_are_clear_errors_and_leave_no_half_written_turn() {
    let store = Arc::new(Failing::new());
    let (base, chatkit) = serve(store.clone(), Running::default()).await;
    let client = reqwest::Client::new();
    let alice = User("alice".into());
    let threads = || async { store.inner.load_threads(None, 100, Order::Asc, &User("alice".into())).await.unwrap().data };

    // Before the stream: a 500 JSON error that says nothing of the backend, and nothing stored.
    for (op, after) in [("save_thread", 0), ("add_thread_item", 0)] {
        store.fail(op, after);
        let (status, body) = post(&client, &base, &create("hello")).await;
        assert_eq!(status, 500, "{op}: {body}");
        assert_eq!(body, r#"{"error":{"code":"internal","message":"internal error"}}"#, "{op}");
        assert!(threads().await.is_empty(), "{op}: a failed create leaves no thread behind");
    }

    let (status, body) = post(&client, &base, &create("hello")).await;
    assert_eq!(status, 200, "{body}");
    let thread_id = threads().await[0].id.clone();
    let items = || async { store.inner.load_thread_items(&thread_id, None, 100, Order::Asc, &alice).await.unwrap().data };
    assert_eq!(items().await.len(), 2);

    // The user message cannot be stored: 500, the thread is as it was.
    store.fail("add_thread_item", 0);
    let (status, _) = post(&client, &base, &add(thread_id.as_str(), "second")).await;
    assert_eq!(status, 500);
    assert_eq!(items().await.len(), 2);

    // Mid-turn: the answer cannot be stored. The stream ends with an error event; the user
    // message stays, no half answer is stored, and the next turn works.
    store.fail("add_thread_item", 1);
    let (status, body) = post(&client, &base, &add(thread_id.as_str(), "third")).await;
    assert_eq!(status, 200);
    let events: Vec<Value> = chatkit::sse::parse(body.as_bytes()).iter().map(|f| serde_json::from_str(f).unwrap()).collect();
    assert_eq!(events.last().unwrap()["type"], "error", "{events:?}");
    assert!(!body.contains("disk on fire"), "backend details stay in the log");
    let stored = items().await;
    let kinds: Vec<&str> = stored.iter().map(|i| i.kind()).collect();
    assert_eq!(kinds, ["user_message", "assistant_message", "user_message"]);
    let (status, _) = post(&client, &base, &add(thread_id.as_str(), "fourth")).await;
    assert_eq!(status, 200);
    assert_eq!(items().await.len(), 5);
    assert_eq!(chatkit.open_streams(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_actions_on_one_counter_count_to_a_hundred() {
    let (base, _chatkit) = serve(MemoryStore::new(), Running::default()).await;
    let client = reqwest::Client::new();
    let (_, body) = post(&client, &base, &create("counter")).await;
    let events: Vec<Value> = chatkit::sse::parse(body.as_bytes()).iter().map(|f| serde_json::from_str(f).unwrap()).collect();
    let thread_id = events[0]["thread"]["id"].as_str().unwrap().to_owned();
    let widget_id = events.iter().find(|e| e["item"]["type"] == "widget").unwrap()["item"]["id"].as_str().unwrap().to_owned();
    let action = json!({"type": "threads.custom_action", "params": {"thread_id": thread_id, "item_id": widget_id, "action": {"type": "add"}}});
    let runs = (0..100).map(|_| post(&client, &base, &action));
    for (status, body) in futures_util::future::join_all(runs).await {
        assert_eq!(status, 200, "{body}");
    }
    let list = json!({"type": "items.list", "params": {"thread_id": thread_id, "order": "asc", "limit": 100}});
    let (_, items) = post(&client, &base, &list).await;
    let items: Value = serde_json::from_str(&items).unwrap();
    let widget = items["data"].as_array().unwrap().iter().find(|i| i["id"] == widget_id.as_str()).unwrap();
    assert_eq!(widget["widget"]["children"][0]["value"], "100");
}
