//! The OpenAI-compatible client against a real local HTTP server replaying recorded streams.

#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use chatkit_agents::convert::user_text;
use chatkit_agents::model::{Api, Model, ModelError, ModelEvent, ModelRequest, OpenAiConfig, OpenAiModel, ToolCall, ToolSpec, Usage};
use futures_util::StreamExt;
use serde_json::json;
use support::{MockModel, Reply, Then, fixture_events};

fn client(server: &MockModel, api: Api) -> OpenAiModel {
    let config = OpenAiConfig::new(&server.base_url, "test-model")
        .api_key("sk-test")
        .api(api)
        .initial_backoff(Duration::from_millis(10));
    OpenAiModel::new(config).unwrap()
}

fn request() -> ModelRequest {
    ModelRequest::new("Be brief.", vec![user_text("Hello")])
        .tools(vec![ToolSpec::new("get_weather", "Forecast", json!({"type": "object", "properties": {"city": {"type": "string"}}}))])
}

async fn collect(model: &OpenAiModel) -> (Vec<ModelEvent>, Option<ModelError>) {
    let mut stream = model.stream(request()).await.unwrap();
    let mut events = Vec::new();
    while let Some(event) = stream.next().await {
        match event {
            Ok(event) => events.push(event),
            Err(err) => return (events, Some(err)),
        }
    }
    (events, None)
}

fn text(events: &[ModelEvent]) -> String {
    events.iter().filter_map(|e| if let ModelEvent::TextDelta(t) = e { Some(t.as_str()) } else { None }).collect()
}

#[tokio::test]
async fn chat_completions_text_stream() {
    let server = MockModel::start(vec![Reply::fixture("chat_text")]).await;
    let (events, error) = collect(&client(&server, Api::ChatCompletions)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(text(&events), "Hello! How can I help?");
    assert_eq!(events[events.len() - 2], ModelEvent::MessageDone);
    assert_eq!(events.last(), Some(&ModelEvent::Usage(Usage { input_tokens: 19, output_tokens: 10 })));

    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].path, "/v1/chat/completions");
    assert_eq!(received[0].authorization.as_deref(), Some("Bearer sk-test"));
    let body = &received[0].body;
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["stream"], true);
    assert_eq!(body["messages"], json!([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}]));
    assert_eq!(body["tools"][0]["function"]["name"], "get_weather");
}

#[tokio::test]
async fn chat_completions_parallel_tool_calls() {
    let server = MockModel::start(vec![Reply::fixture("chat_parallel_tools")]).await;
    let (events, error) = collect(&client(&server, Api::ChatCompletions)).await;
    assert!(error.is_none(), "{error:?}");
    let call = |id: &str, city: &str| {
        ModelEvent::ToolCall(ToolCall {
            call_id: id.into(),
            name: "get_weather".into(),
            arguments: format!("{{\"city\": \"{city}\"}}"),
        })
    };
    assert_eq!(events, vec![call("call_weather_paris", "Paris"), call("call_weather_oslo", "Oslo")]);
}

#[tokio::test]
async fn chat_completions_reasoning_content() {
    let server = MockModel::start(vec![Reply::fixture("chat_reasoning")]).await;
    let (events, error) = collect(&client(&server, Api::ChatCompletions)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(
        events,
        vec![
            ModelEvent::ReasoningDelta("The user greets me.".into()),
            ModelEvent::ReasoningDelta(" Answer briefly.".into()),
            ModelEvent::ReasoningDone,
            ModelEvent::TextDelta("Hi there.".into()),
            ModelEvent::MessageDone,
        ]
    );
}

#[tokio::test]
async fn responses_reasoning_text_and_citation() {
    let server = MockModel::start(vec![Reply::fixture("responses_reasoning_text")]).await;
    let (events, error) = collect(&client(&server, Api::Responses)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(events[0], ModelEvent::ReasoningDelta("**Looking up sources**".into()));
    assert_eq!(events[2], ModelEvent::ReasoningDone);
    assert_eq!(text(&events), "Rust is memory safe.");
    let annotation = events.iter().find_map(|e| if let ModelEvent::Annotation(a) = e { Some(a.as_ref().clone()) } else { None }).unwrap();
    assert_eq!(annotation.index, Some(20));
    assert_eq!(annotation.source, chatkit::Source::url("The Rust Book", "https://doc.rust-lang.org/book/"));
    assert_eq!(events.last(), Some(&ModelEvent::Usage(Usage { input_tokens: 42, output_tokens: 57 })));

    let body = &server.received()[0].body;
    assert_eq!(server.received()[0].path, "/v1/responses");
    assert_eq!(body["instructions"], "Be brief.");
    assert_eq!(body["input"][0]["content"][0]["text"], "Hello");
    assert_eq!(body["tools"][0], json!({"type": "function", "name": "get_weather", "description": "Forecast",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}, "strict": false}));
}

#[tokio::test]
async fn responses_function_call() {
    let server = MockModel::start(vec![Reply::fixture("responses_function_call")]).await;
    let (events, error) = collect(&client(&server, Api::Responses)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(
        events[0],
        ModelEvent::ToolCall(ToolCall { call_id: "call_Zx81".into(), name: "get_weather".into(), arguments: r#"{"city":"Paris"}"#.into() })
    );
}

#[tokio::test]
async fn retries_429_then_succeeds() {
    let busy = Reply::Status { status: 429, body: r#"{"error":{"message":"Rate limit reached"}}"#.into(), retry_after: Some(0) };
    let server = MockModel::start(vec![busy, Reply::status(503, "overloaded"), Reply::fixture("chat_text")]).await;
    let (events, error) = collect(&client(&server, Api::ChatCompletions)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(text(&events), "Hello! How can I help?");
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn gives_up_after_the_retries() {
    let server = MockModel::start((0..5).map(|_| Reply::status(500, r#"{"error":{"message":"boom"}}"#)).collect()).await;
    let model = client(&server, Api::ChatCompletions);
    let err = model.stream(request()).await.err().unwrap();
    assert!(matches!(&err, ModelError::Status { status: 500, attempts: 4, message } if message == "boom"), "{err:?}");
    assert_eq!(server.received().len(), 4);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let body = r#"{"error":{"message":"Invalid model name","type":"invalid_request_error"}}"#;
    let server = MockModel::start(vec![Reply::status(400, body), Reply::fixture("chat_text")]).await;
    let err = client(&server, Api::ChatCompletions).stream(request()).await.err().unwrap();
    assert_eq!(err.to_string(), "the model server answered HTTP 400: Invalid model name");
    assert_eq!(server.received().len(), 1);
    let event = err.into_handler_error().to_event().unwrap();
    assert!(!event.allow_retry);
}

#[tokio::test]
async fn unreachable_server_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    drop(listener);
    let model = OpenAiModel::new(OpenAiConfig::new(url, "m").max_retries(1).initial_backoff(Duration::from_millis(1))).unwrap();
    let err = model.stream(request()).await.err().unwrap();
    assert!(matches!(err, ModelError::Connect { attempts: 2, .. }), "{err:?}");
}

#[tokio::test]
async fn error_mid_stream_follows_the_partial_text() {
    let server = MockModel::start(vec![Reply::fixture("chat_error_midstream")]).await;
    let (events, error) = collect(&client(&server, Api::ChatCompletions)).await;
    assert_eq!(text(&events), "Partial");
    assert!(matches!(&error, Some(ModelError::Upstream(m)) if m == "The model ran out of memory"), "{error:?}");
}

#[tokio::test]
async fn a_cut_stream_is_an_error() {
    let server = MockModel::start(vec![Reply::fixture("chat_cut"), Reply::fixture("responses_failed")]).await;
    let (events, error) = collect(&client(&server, Api::ChatCompletions)).await;
    assert_eq!(text(&events), "Half an ans");
    assert!(matches!(error, Some(ModelError::Upstream(_))), "{error:?}");
    let (_, error) = collect(&client(&server, Api::Responses)).await;
    assert!(matches!(&error, Some(ModelError::Upstream(m)) if m.contains("server had an error")), "{error:?}");
}

#[tokio::test]
async fn a_stalled_stream_times_out() {
    let events = fixture_events("chat_text")[..2].to_vec();
    let server = MockModel::start(vec![Reply::events(events, Duration::ZERO, Then::Stall)]).await;
    let config = OpenAiConfig::new(&server.base_url, "m").idle_timeout(Duration::from_millis(300));
    let model = OpenAiModel::new(config).unwrap();
    let started = Instant::now();
    let mut stream = model.stream(request()).await.unwrap();
    let mut last = None;
    while let Some(event) = stream.next().await {
        last = Some(event);
    }
    assert!(matches!(last, Some(Err(ModelError::Timeout { phase: "next chunk", .. }))), "{last:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn slow_headers_time_out_and_are_retried() {
    // A server that accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            open.push(socket); // read nothing, answer nothing
        }
    });
    let config = OpenAiConfig::new(url, "m").response_timeout(Duration::from_millis(200)).max_retries(1).initial_backoff(Duration::from_millis(1));
    let err = OpenAiModel::new(config).unwrap().stream(request()).await.err().unwrap();
    assert!(matches!(err, ModelError::Timeout { phase: "response headers", .. }), "{err:?}");
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[tokio::test]
async fn dropping_the_stream_cancels_the_request() {
    let events = fixture_events("chat_text")[..2].to_vec();
    let server = MockModel::start(vec![Reply::events(events, Duration::from_millis(10), Then::KeepAlive)]).await;
    let model = client(&server, Api::ChatCompletions);
    let mut stream = model.stream(request()).await.unwrap();
    assert_eq!(stream.next().await.unwrap().unwrap(), ModelEvent::TextDelta("Hello".into()));
    assert_eq!(server.aborted(), 0);
    drop(stream);
    assert!(server.wait_aborted(1).await, "the server still streams after the client dropped the response");
}
