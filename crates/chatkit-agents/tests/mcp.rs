//! MCP tools in an agent: a stdio server process and a streamable HTTP server, each called by
//! a model (a local server replaying recorded streams) through ChatKit.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chatkit::{ChatKit, ChatKitServer, HandlerResult, MemoryStore, Processed, RequestContext, ThreadItem, Turn, UserMessageItem};
use chatkit_agents::mcp::McpServer;
use chatkit_agents::model::{OpenAiConfig, OpenAiModel};
use chatkit_agents::Agent;
use serde_json::{Value, json};
use support::{MockModel, Reply, Then};

fn stdio_command() -> String {
    format!("python3 -u '{}/tests/fixtures/mcp_server.py'", env!("CARGO_MANIFEST_DIR"))
}

fn chunk(delta: Value, finish: Value) -> String {
    format!("data: {}\n\n", json!({"id": "c", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}))
}

fn tool_reply(name: &str, arguments: &str) -> Reply {
    let call = json!({"index": 0, "id": "call_mcp", "type": "function", "function": {"name": name, "arguments": arguments}});
    let events = vec![chunk(json!({"tool_calls": [call]}), Value::Null), chunk(json!({}), json!("tool_calls")), "data: [DONE]\n\n".to_owned()];
    Reply::events(events, Duration::ZERO, Then::End)
}

fn text_reply(text: &str) -> Reply {
    let events = vec![chunk(json!({"content": text}), Value::Null), chunk(json!({}), json!("stop")), "data: [DONE]\n\n".to_owned()];
    Reply::events(events, Duration::ZERO, Then::End)
}

struct App(Agent<RequestContext>);

impl ChatKitServer for App {
    type Context = RequestContext;
    async fn respond(&self, turn: &mut Turn<RequestContext>, _input: Option<UserMessageItem>) -> HandlerResult {
        self.0.respond(turn).await.map(|_| ())
    }
}

async fn run(mcp: &McpServer, model: &MockModel, text: &str) -> (ChatKit<App>, Vec<Value>) {
    let config = OpenAiConfig::new(&model.base_url, "m").initial_backoff(Duration::from_millis(5));
    let agent = Agent::with_model("mcp", Arc::new(OpenAiModel::new(config).unwrap())).tools(mcp.tools());
    let chatkit = ChatKit::new(App(agent), MemoryStore::new());
    let body = json!({"type": "threads.create", "params": {"input": {"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}}});
    let Processed::Stream(stream) = chatkit.process(body.to_string().as_bytes(), RequestContext::new("u")).await.unwrap() else { panic!() };
    let events = chatkit::sse::parse(&stream.collect().await).iter().map(|f| serde_json::from_str(f).unwrap()).collect();
    (chatkit, events)
}

fn tool_output(model: &MockModel, index: usize) -> Value {
    let body = &model.received()[index].body;
    body["messages"].as_array().unwrap().iter().find(|m| m["role"] == "tool").unwrap()["content"].clone()
}

#[tokio::test]
async fn a_stdio_mcp_tool_result_with_a_widget_shows_it_then_the_answer_follows() {
    let mcp = McpServer::connect(&stdio_command()).await.unwrap();
    assert_eq!(mcp.tool_names(), ["show_card", "add", "fail"]);
    let model = MockModel::start(vec![tool_reply("show_card", r#"{"title":"Hello MCP"}"#), text_reply("There is your card.")]).await;
    let (chatkit, events) = run(&mcp, &model, "card please").await;

    let widget = events.iter().position(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "widget").unwrap();
    let answer = events.iter().position(|e| e["type"] == "thread.item.done" && e["item"]["type"] == "assistant_message").unwrap();
    assert!(widget < answer);
    assert_eq!(events[widget]["item"]["widget"]["children"][0]["value"], "Hello MCP");
    assert_eq!(events[widget]["item"]["copy_text"], "Card 'Hello MCP' shown");
    assert_eq!(tool_output(&model, 1), "Card 'Hello MCP' shown");
    let tools = &model.received()[0].body["tools"];
    assert_eq!(tools[0]["function"]["parameters"]["required"], json!(["title"]));

    let thread = events[0]["thread"]["id"].as_str().unwrap();
    let stored = chatkit.store().load_thread_items(&thread.into(), None, 50, chatkit::Order::Asc, &RequestContext::new("u")).await.unwrap();
    assert!(stored.data.iter().any(|i| matches!(i, ThreadItem::Widget(w) if w.widget.to_value()["children"][0]["value"] == "Hello MCP")));
}

#[tokio::test]
async fn a_failing_mcp_tool_tells_the_model() {
    let mcp = McpServer::connect(&stdio_command()).await.unwrap();
    let model = MockModel::start(vec![tool_reply("fail", "{}"), text_reply("Sorry.")]).await;
    let (_, events) = run(&mcp, &model, "fail").await;
    assert_eq!(tool_output(&model, 1), "Error: this tool always fails");
    assert!(events.iter().any(|e| e["item"]["content"][0]["text"] == "Sorry."));
}

#[tokio::test]
async fn a_bad_command_line_is_an_error() {
    assert!(McpServer::connect("definitely-not-a-program-4242").await.is_err());
    assert!(McpServer::connect("python3 'unclosed").await.is_err());
}

// ---- a streamable HTTP MCP server -------------------------------------------------------------

async fn mcp_http(headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let _ = headers;
    let message: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let Some(id) = message.get("id").cloned() else { return StatusCode::ACCEPTED.into_response() };
    let params = &message["params"];
    let result = match message["method"].as_str() {
        Some("initialize") => json!({"protocolVersion": "2025-06-18", "capabilities": {"tools": {}}, "serverInfo": {"name": "http-test", "version": "1.0.0"}}),
        Some("tools/list") => json!({"tools": [{"name": "add", "description": "Adds two numbers",
            "inputSchema": {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}}}]}),
        Some("tools/call") => {
            let sum = params["arguments"]["a"].as_f64().unwrap_or(0.0) + params["arguments"]["b"].as_f64().unwrap_or(0.0);
            json!({"content": [{"type": "text", "text": format!("{sum}")}], "isError": false})
        }
        _ => return json_response(json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32601, "message": "method not found"}})),
    };
    json_response(json!({"jsonrpc": "2.0", "id": id, "result": result}))
}

fn json_response(body: Value) -> Response {
    ([("content-type", "application/json")], body.to_string()).into_response()
}

fn mcp_router() -> axum::Router {
    axum::Router::new().route(
        "/mcp",
        axum::routing::post(mcp_http).get(|| async { StatusCode::METHOD_NOT_ALLOWED }).delete(|| async { StatusCode::OK }),
    )
}

#[tokio::test]
async fn a_streamable_http_mcp_server_serves_tools() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, mcp_router()).await.unwrap() });

    let mcp = McpServer::connect(&url).await.unwrap();
    assert_eq!(mcp.tool_names(), ["add"]);
    let model = MockModel::start(vec![tool_reply("add", r#"{"a": 2, "b": 40}"#), text_reply("42.")]).await;
    let (_, events) = run(&mcp, &model, "add").await;
    assert_eq!(tool_output(&model, 1), "42");
    assert!(events.iter().any(|e| e["item"]["content"][0]["text"] == "42."));
}

// ---- the same server over https ---------------------------------------------------------------

/// A TLS listener for `axum::serve`: TCP accept, then the rustls handshake (failed handshakes
/// are skipped, as a real server would).
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, addr)) = self.tcp.accept().await else { continue };
            if let Ok(tls) = self.acceptor.accept(stream).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// Serves the MCP router over https on 127.0.0.1 with a fresh self-signed certificate for
/// `localhost`; returns the URL and the certificate (PEM).
async fn https_mcp_server() -> (String, String) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.cert.der().clone()], key)
        .unwrap();
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://localhost:{}/mcp", tcp.local_addr().unwrap().port());
    let listener = TlsListener { tcp, acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)) };
    tokio::spawn(async move { axum::serve(listener, mcp_router()).await.unwrap() });
    (url, cert.cert.pem())
}

#[tokio::test]
async fn an_https_mcp_server_serves_tools() {
    let (url, ca) = https_mcp_server().await;
    let mcp = McpServer::https_with_ca(&url, ca.as_bytes()).await.unwrap();
    assert_eq!(mcp.tool_names(), ["add"]);
    let model = MockModel::start(vec![tool_reply("add", r#"{"a": 1, "b": 2}"#), text_reply("3.")]).await;
    let (_, events) = run(&mcp, &model, "add").await;
    assert_eq!(tool_output(&model, 1), "3");
    assert!(events.iter().any(|e| e["item"]["content"][0]["text"] == "3."));
}

#[tokio::test]
async fn an_https_server_with_an_untrusted_certificate_is_refused() {
    let (url, _) = https_mcp_server().await;
    let err = McpServer::connect(&url).await.unwrap_err().to_string();
    assert!(err.contains(&url), "{err}");
    assert!(McpServer::https_with_ca(&url, b"not a certificate").await.is_err());
}
