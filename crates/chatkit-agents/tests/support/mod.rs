//! A local OpenAI-compatible model server that replays recorded streams.

#![allow(dead_code, unreachable_pub)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// What the server answers to one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// An error status with a body and an optional `Retry-After`.
    Status { status: u16, body: String, retry_after: Option<u64> },
    /// A stream of SSE events, one chunk each, `delay` apart, then `then`.
    Sse { events: Vec<String>, delay: Duration, then: Then },
}

/// What a stream does after its events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Then {
    /// Ends the body.
    End,
    /// Sends an SSE comment every 50 ms, forever (a model still thinking).
    KeepAlive,
    /// Sends nothing more and never ends (a stuck server).
    Stall,
}

impl Reply {
    /// The recorded stream in `tests/fixtures/<name>.sse`.
    pub fn fixture(name: &str) -> Self {
        Reply::Sse { events: fixture_events(name), delay: Duration::ZERO, then: Then::End }
    }

    /// A status reply.
    pub fn status(status: u16, body: &str) -> Self {
        Reply::Status { status, body: body.to_owned(), retry_after: None }
    }

    /// Sends events `delay` apart, then `then`.
    pub fn events(events: Vec<String>, delay: Duration, then: Then) -> Self {
        Reply::Sse { events, delay, then }
    }
}

/// The events of a fixture, each with its blank line.
pub fn fixture_events(name: &str) -> Vec<String> {
    let path = format!("{}/tests/fixtures/{name}.sse", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    text.split("\n\n").filter(|e| !e.trim().is_empty()).map(|e| format!("{e}\n\n")).collect()
}

/// One request the server received.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub authorization: Option<String>,
    pub body: Value,
}

#[derive(Default)]
struct Shared {
    replies: Mutex<VecDeque<Reply>>,
    received: Mutex<Vec<Received>>,
    /// Streams whose body was dropped before it was sent in full (client went away).
    aborted: AtomicUsize,
    /// Streams sent in full.
    completed: AtomicUsize,
}

/// The running server.
#[derive(Clone)]
pub struct MockModel {
    pub base_url: String,
    shared: Arc<Shared>,
}

impl MockModel {
    /// Starts a server on 127.0.0.1 with these replies, in order.
    pub async fn start(replies: Vec<Reply>) -> Self {
        let shared = Arc::new(Shared { replies: Mutex::new(replies.into()), ..Shared::default() });
        let app = axum::Router::new()
            .route("/v1/chat/completions", axum::routing::post(handle))
            .route("/v1/responses", axum::routing::post(handle))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the mock model server");
        let addr = listener.local_addr().expect("local address");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("mock model server") });
        Self { base_url: format!("http://{addr}/v1"), shared }
    }

    /// Queues more replies.
    pub fn push(&self, reply: Reply) {
        self.shared.replies.lock().expect("lock").push_back(reply);
    }

    /// Requests received so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().expect("lock").clone()
    }

    /// Streams the client abandoned.
    pub fn aborted(&self) -> usize {
        self.shared.aborted.load(Ordering::SeqCst)
    }

    /// Waits (up to 5 s) until `n` streams were abandoned.
    pub async fn wait_aborted(&self, n: usize) -> bool {
        for _ in 0..100 {
            if self.aborted() >= n {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }
}

async fn handle(State(shared): State<Arc<Shared>>, uri: axum::http::Uri, headers: HeaderMap, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let authorization = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
    shared.received.lock().expect("lock").push(Received { path: uri.path().to_owned(), authorization, body });
    let reply = shared.replies.lock().expect("lock").pop_front();
    match reply {
        None => (StatusCode::INTERNAL_SERVER_ERROR, "no reply scripted").into_response(),
        Some(Reply::Status { status, body, retry_after }) => {
            let mut response = (StatusCode::from_u16(status).expect("status"), body).into_response();
            response.headers_mut().insert("content-type", "application/json".parse().expect("header"));
            if let Some(seconds) = retry_after {
                response.headers_mut().insert("retry-after", seconds.to_string().parse().expect("header"));
            }
            response
        }
        Some(Reply::Sse { events, delay, then }) => {
            let guard = Guard { shared: shared.clone(), done: false };
            let stream = futures_util::stream::unfold((events.into_iter(), guard), move |(mut events, mut guard)| async move {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                match events.next() {
                    Some(event) => Some((Ok::<_, std::io::Error>(Bytes::from(event)), (events, guard))),
                    None if then == Then::KeepAlive => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Some((Ok(Bytes::from_static(b": keep-alive\n\n")), (events, guard)))
                    }
                    None if then == Then::Stall => std::future::pending().await,
                    None => {
                        guard.finish();
                        None
                    }
                }
            });
            Response::builder()
                .header("content-type", "text/event-stream")
                .body(Body::from_stream(stream))
                .expect("response")
        }
    }
}

/// Counts how a stream ended when the server drops it.
struct Guard {
    shared: Arc<Shared>,
    done: bool,
}

impl Guard {
    fn finish(&mut self) {
        self.done = true;
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let counter = if self.done { &self.shared.completed } else { &self.shared.aborted };
        counter.fetch_add(1, Ordering::SeqCst);
    }
}
