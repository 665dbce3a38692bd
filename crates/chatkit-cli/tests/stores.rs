//! Persistent stores seen from outside: two processes on one PostgreSQL database, a SQLite
//! server killed with SIGKILL in the middle of writes, attachments uploaded over HTTP.
//!
//! The PostgreSQL test needs the server of `scripts/test.d/05-postgres.sh` (127.0.0.1:5432,
//! database `test`, trust authentication) or `CHATKIT_TEST_POSTGRES`; it fails without it.

mod support;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chatkit_store::sqlx::{self, Connection};
use serde_json::{Value, json};
use support::{CLEAN_ENV, Exchange, PgSchema, Server, block_on, send};

fn chatkit(base: &str, user: &str, request: &Value) -> Result<Exchange, String> {
    let body = request.to_string();
    send(base, "POST", "/chatkit", &[("content-type", "application/json"), ("x-user-id", user)], body.as_bytes())
}

/// A non-streaming request that must succeed.
fn ask(base: &str, user: &str, request: Value) -> Value {
    let exchange = chatkit(base, user, &request).expect("the server answers");
    assert_eq!(exchange.status, 200, "{request}: {}", String::from_utf8_lossy(&exchange.body));
    exchange.json()
}

/// A streaming request that must succeed; its events.
fn stream(base: &str, user: &str, request: Value) -> Vec<Value> {
    let exchange = chatkit(base, user, &request).expect("the server answers");
    assert_eq!(exchange.status, 200, "{request}: {}", String::from_utf8_lossy(&exchange.body));
    exchange.events()
}

fn input(text: &str) -> Value {
    json!({"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}})
}

fn create(text: &str) -> Value {
    json!({"type": "threads.create", "params": {"input": input(text)}})
}

fn add_message(thread_id: &str, text: &str) -> Value {
    json!({"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": input(text)}})
}

/// The text of the assistant message a stream ended with.
fn final_text(events: &[Value]) -> Option<&str> {
    events
        .iter()
        .rev()
        .find(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "assistant_message")
        .and_then(|e| e["item"]["content"][0]["text"].as_str())
}

fn all_items(base: &str, user: &str, thread_id: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = ask(base, user, json!({"type": "items.list", "params": {"thread_id": thread_id, "order": "asc", "limit": 50, "after": after}}));
        items.extend(page["data"].as_array().expect("a page").iter().cloned());
        if page["has_more"] != true {
            return items;
        }
        after = page["after"].clone();
    }
}

#[test]
fn two_servers_share_one_postgres_database() {
    let schema = PgSchema::create();
    let store = schema.store_url();
    let a = Server::start_with_env(&["conformance-app", "--store", &store], CLEAN_ENV);
    let b = Server::start_with_env(&["conformance-app"], &[("CHATKIT_STORE", Some(&store))]);

    // Created through A…
    let events = stream(&a.base, "alice", create("echo hello there"));
    let thread_id = events.iter().find(|e| e["type"] == "thread.created").expect("thread.created")["thread"]["id"]
        .as_str()
        .expect("a thread id")
        .to_owned();
    assert_eq!(final_text(&events), Some("hello there"));

    // …continued through B…
    let events = stream(&b.base, "alice", add_message(&thread_id, "widget counter"));
    let widget = events
        .iter()
        .find(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "widget")
        .expect("a counter widget");
    let widget_id = widget["item"]["id"].as_str().expect("widget id").to_owned();

    // …listed through both, for its owner only…
    for server in [&a, &b] {
        let threads = ask(&server.base, "alice", json!({"type": "threads.list", "params": {}}));
        assert_eq!(threads["data"][0]["id"], thread_id.as_str());
        let others = ask(&server.base, "bob", json!({"type": "threads.list", "params": {}}));
        assert_eq!(others["data"], json!([]));
    }

    // …acted on through A: the action reads the widget B stored.
    let action = json!({"type": "threads.custom_action", "params": {
        "thread_id": thread_id, "item_id": widget_id, "action": {"type": "counter.increment", "payload": {"by": 2}}}});
    let events = stream(&a.base, "alice", action);
    assert_eq!(final_text(&events), Some("Count is now 2"));

    // B sees every item, in order, with the replaced widget in its place.
    let items = all_items(&b.base, "alice", &thread_id);
    let kinds: Vec<&str> = items.iter().map(|i| i["type"].as_str().unwrap_or("?")).collect();
    assert_eq!(kinds, ["user_message", "assistant_message", "user_message", "widget", "assistant_message"]);
    assert_eq!(items[3]["id"], widget_id.as_str());
    assert_eq!(items[3]["widget"]["children"][0]["value"], "Count: 2");
    assert_eq!(items[4]["content"][0]["text"], "Count is now 2");

    // Deleted through B, gone for A.
    assert_eq!(ask(&b.base, "alice", json!({"type": "threads.delete", "params": {"thread_id": thread_id}})), json!({}));
    let gone = chatkit(&a.base, "alice", &json!({"type": "threads.get_by_id", "params": {"thread_id": thread_id}})).expect("answer");
    assert_eq!(gone.status, 404);
    drop((a, b));
}

/// What a writer saw complete before the server died: (user, thread id, echoed token).
type Completed = Arc<Mutex<Vec<(String, String, String)>>>;

/// Writes until `stop`: new threads and messages in them, each adding a task named by a
/// unique token (the demo of `serve` answers "Added “TOKEN”.").
fn writer(base: String, user: String, stop: Arc<AtomicBool>, completed: Completed) {
    let mut thread_id: Option<String> = None;
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let token = format!("{user}-{n}");
        let text = format!("add task {token}");
        let request = match &thread_id {
            Some(id) if n % 4 != 0 => add_message(id, &text),
            _ => create(&text),
        };
        let Ok(exchange) = chatkit(&base, &user, &request) else { return };
        if exchange.status != 200 {
            continue;
        }
        let Ok(events) = std::panic::catch_unwind(|| exchange.events()) else { continue };
        if let Some(created) = events.iter().find(|e| e["type"] == "thread.created") {
            thread_id = created["thread"]["id"].as_str().map(str::to_owned);
        }
        let Some(id) = thread_id.clone() else { continue };
        if final_text(&events) == Some(format!("Added “{token}”.").as_str()) {
            completed.lock().expect("no writer panicked").push((user.clone(), id, token));
        }
    }
}

#[test]
fn sqlite_keeps_every_answered_write_across_kill_9() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data_dir = dir.path().to_str().expect("a UTF-8 path").to_owned();
    // `serve` keeps its threads in DATA_DIR/chatkit.db by default.
    let server = Server::start_with_env(&["serve", "--data-dir", &data_dir], CLEAN_ENV);
    let stop = Arc::new(AtomicBool::new(false));
    let completed: Completed = Arc::default();
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (base, stop, completed) = (server.base.clone(), stop.clone(), completed.clone());
            std::thread::spawn(move || writer(base, format!("writer{w}"), stop, completed))
        })
        .collect();
    assert!(
        support::wait_until(Duration::from_secs(60), || completed.lock().expect("lock").len() >= 200),
        "the writers got 200 answers within a minute"
    );
    server.kill();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().expect("writers do not panic");
    }
    assert!(dir.path().join("chatkit.db").exists(), "the default database file");

    let completed = completed.lock().expect("lock").clone();
    let server = Server::start_with_env(&["serve", "--data-dir", &data_dir], CLEAN_ENV);
    let threads: BTreeSet<(String, String)> = completed.iter().map(|(u, t, _)| (u.clone(), t.clone())).collect();
    let mut found = 0;
    for (user, thread_id) in &threads {
        let items = all_items(&server.base, user, thread_id);
        let texts: Vec<String> = items
            .iter()
            .filter(|i| i["type"] == "assistant_message")
            .filter_map(|i| i["content"][0]["text"].as_str().map(str::to_owned))
            .collect();
        for (_, _, token) in completed.iter().filter(|(u, t, _)| u == user && t == thread_id) {
            assert!(texts.contains(&format!("Added “{token}”.")), "answered write {token} of {thread_id} survived");
            found += 1;
        }
    }
    assert_eq!(found, completed.len());
    // Every thread of every writer, complete or not, still reads back.
    for w in 0..8 {
        let user = format!("writer{w}");
        let list = ask(&server.base, &user, json!({"type": "threads.list", "params": {"limit": 1000}}));
        for thread in list["data"].as_array().expect("threads") {
            let id = thread["id"].as_str().expect("id");
            ask(&server.base, &user, json!({"type": "threads.get_by_id", "params": {"thread_id": id}}));
            all_items(&server.base, &user, id);
        }
    }
    drop(server);
    let db = format!("sqlite:{}", dir.path().join("chatkit.db").display());
    let check: String = block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&db).await.expect("open the database");
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.expect("integrity_check")
    });
    assert_eq!(check, "ok");
}

#[test]
fn serve_stores_uploaded_attachments_in_the_data_dir() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data_dir = dir.path().to_str().expect("a UTF-8 path").to_owned();
    let server = Server::start_with_env(&["serve", "--data-dir", &data_dir], CLEAN_ENV);
    let created = ask(&server.base, "alice", json!({"type": "attachments.create", "params": {"name": "dot.png", "size": 4, "mime_type": "image/png"}}));
    let id = created["id"].as_str().expect("an attachment id").to_owned();
    let upload = created["upload_descriptor"]["url"].as_str().expect("an upload URL");
    let path = upload.strip_prefix(&server.base).expect("uploads go to this server");
    let boundary = "b0undary";
    let mut form = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dot.png\"\r\nContent-Type: image/png\r\n\r\n").into_bytes();
    form.extend_from_slice(b"\x89PNG\r\n--b0undary--\r\n");
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let done = send(&server.base, "POST", path, &[("content-type", &content_type)], &form).expect("upload");
    assert_eq!(done.status, 200, "{}", String::from_utf8_lossy(&done.body));

    let preview = created["preview_url"].as_str().expect("a preview URL");
    let got = send(&server.base, "GET", preview.strip_prefix(&server.base).expect("this server"), &[], b"").expect("download");
    assert_eq!((got.status, got.body.as_slice(), got.header("content-type")), (200, &b"\x89PNG"[..], Some("image/png")));
    assert!(dir.path().join("attachments").join(&id).exists());

    ask(&server.base, "alice", json!({"type": "attachments.delete", "params": {"attachment_id": id}}));
    assert!(!dir.path().join("attachments").join(&id).exists(), "delete removes the bytes");
    let got = send(&server.base, "GET", preview.strip_prefix(&server.base).expect("this server"), &[], b"").expect("download");
    assert_eq!(got.status, 404);
}
