//! `chatkit serve --mcp`: the task board's offline model calls an MCP server's tool typed as
//! `/show_card {…}`. The widget the tool returns in `structuredContent.chatkit_widget` is
//! streamed as a widget item and stored, then the model's answer follows. The MCP server is a
//! real process (the test fixture of chatkit-agents), reached over stdio and over streamable
//! HTTP.

mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};
use support::{CLEAN_ENV, Server, ask, http, message};

/// The MCP server of the chatkit-agents tests (Python, standard library only).
fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../chatkit-agents/tests/fixtures/mcp_server.py")
}

/// The fixture serving streamable HTTP on a free port, stopped on drop.
struct HttpMcp {
    child: Child,
    url: String,
}

impl HttpMcp {
    fn start() -> HttpMcp {
        let mut child = Command::new("python3")
            .arg("-u")
            .arg(fixture())
            .args(["--http", "0"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the MCP server (python3)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout is piped")).read_line(&mut line).expect("its address");
        let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("an address, not {line:?}")).to_owned();
        HttpMcp { child, url }
    }
}

impl Drop for HttpMcp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `chatkit serve` on the offline model with one MCP server, its threads in SQLite under `dir`.
fn serve(dir: &tempfile::TempDir, mcp: &str) -> Server {
    let store = format!("sqlite:{}", dir.path().join("chatkit.db").display());
    let data = dir.path().display().to_string();
    let mut env = CLEAN_ENV.to_vec();
    env.push(("CHATKIT_MCP", None));
    Server::start_with_env(&["serve", "--model", "scripted", "--store", &store, "--data-dir", &data, "--mcp", mcp], &env)
}

fn create(text: &str) -> String {
    json!({"type": "threads.create", "params": {"input": message(text)}}).to_string()
}

/// The position and item of the first `thread.item.done` of `kind`.
fn done<'a>(events: &'a [Value], kind: &str) -> (usize, &'a Value) {
    events
        .iter()
        .enumerate()
        .find(|(_, e)| e["type"] == "thread.item.done" && e["item"]["type"] == kind)
        .map(|(i, e)| (i, &e["item"]))
        .unwrap_or_else(|| panic!("a finished {kind} item in {events:#?}"))
}

/// Asks for the MCP tool's card: the widget streams first, then the answer; returns the
/// thread id and the widget item's id.
fn card_then_answer(server: &Server, title: &str) -> (String, String) {
    let typed = format!(r#"/show_card {{"title": "{title}"}}"#);
    let events = http::post(&server.base, "alice", &create(&typed)).events();
    let (widget_at, widget) = done(&events, "widget");
    let (answer_at, answer) = done(&events, "assistant_message");
    assert!(widget_at < answer_at, "the widget comes before the answer: {events:#?}");
    assert_eq!(widget["widget"], json!({"type": "Card", "children": [{"type": "Text", "id": "title", "value": title}]}));
    assert_eq!(widget["copy_text"], format!("Card '{title}' shown"));
    assert_eq!(answer["content"][0]["text"], format!("Card '{title}' shown"));
    let thread = events[0]["thread"]["id"].as_str().expect("a thread id").to_owned();
    (thread, widget["id"].as_str().expect("a widget id").to_owned())
}

/// The items of a thread, oldest first, as `items.list` answers.
fn items(server: &Server, thread: &str) -> Vec<Value> {
    let page = ask(server, "alice", &json!({"type": "items.list", "params": {"thread_id": thread, "order": "asc", "limit": 50}})).json();
    page["data"].as_array().expect("items").clone()
}

#[test]
fn a_stdio_mcp_tool_shows_its_widget_then_the_answer_and_the_widget_is_stored() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let command = format!("python3 -u '{}'", fixture().display());
    let server = serve(&dir, &command);
    let (thread, widget) = card_then_answer(&server, "Hello MCP");
    let kinds = |items: &[Value]| items.iter().map(|i| i["type"].as_str().unwrap_or("").to_owned()).collect::<Vec<_>>();
    let stored = items(&server, &thread);
    assert_eq!(kinds(&stored), ["user_message", "widget", "assistant_message"]);
    assert_eq!(stored[1]["id"], widget.as_str());
    assert_eq!(stored[1]["widget"]["children"][0]["value"], "Hello MCP");

    // A tool the model is not offered, and arguments that are not JSON, are answered in text.
    let add = |text: &str| json!({"type": "threads.add_user_message", "params": {"thread_id": thread, "input": message(text)}});
    let events = ask(&server, "alice", &add("/nope {}")).events();
    assert_eq!(
        done(&events, "assistant_message").1["content"][0]["text"],
        "there is no tool `nope` here; the tools are: list_tasks, add_task, complete_task, assign_task, show_task_form, show_card, add, fail"
    );
    let events = ask(&server, "alice", &add("/add 2 40")).events();
    let answer = done(&events, "assistant_message").1["content"][0]["text"].as_str().unwrap_or("").to_owned();
    assert!(answer.starts_with("the arguments of /add must be a JSON object"), "{answer}");
    // A tool's failure reaches the user as the answer.
    let events = ask(&server, "alice", &add("/fail")).events();
    assert_eq!(done(&events, "assistant_message").1["content"][0]["text"], "this tool always fails");
    drop(server);

    // The widget outlives the process: a new server on the same database lists it.
    let again = serve(&dir, &command);
    let stored = items(&again, &thread);
    assert_eq!(stored[1]["widget"]["children"][0]["value"], "Hello MCP");
    assert_eq!(kinds(&stored).len(), 9);
}

#[test]
fn a_streamable_http_mcp_tool_shows_its_widget_then_the_answer() {
    let mcp = HttpMcp::start();
    let dir = tempfile::tempdir().expect("a temp dir");
    let server = serve(&dir, &mcp.url);
    let (thread, widget) = card_then_answer(&server, "Over HTTP");
    let stored = items(&server, &thread);
    let item = stored.iter().find(|i| i["id"] == widget.as_str()).expect("the widget is stored");
    assert_eq!(item["widget"]["children"][0]["value"], "Over HTTP");

    let add = json!({"type": "threads.add_user_message", "params": {"thread_id": thread, "input": message(r#"/add {"a": 2, "b": 40}"#)}});
    let events = ask(&server, "alice", &add).events();
    assert_eq!(done(&events, "assistant_message").1["content"][0]["text"], "42");
}

#[test]
fn an_unreachable_mcp_server_stops_serve_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_chatkit"))
        .args(["serve", "--store", "memory", "--port", "0", "--mcp", "definitely-not-a-program-4242"])
        .env_remove("CHATKIT_MCP")
        .output()
        .expect("run chatkit");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot connect to the MCP server --mcp \"definitely-not-a-program-4242\""), "{stderr}");
}
