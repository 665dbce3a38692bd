//! Shared helpers for the CLI's process tests: start `chatkit` on a free port, find the kits.

#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The environment a server runs with when a test picks its store and app: nothing inherited
/// that picks a store or a model.
pub const CLEAN_ENV: &[(&str, Option<&str>)] = &[
    ("CHATKIT_STORE", None),
    ("CHATKIT_DATA_DIR", None),
    ("CHATKIT_APP", None),
    ("CHATKIT_MODEL", None),
    ("OPENAI_API_KEY", None),
    ("OPENAI_BASE_URL", None),
];

/// Runs a future to completion on a fresh single-threaded runtime.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(future)
}

/// A running `chatkit` process, killed on drop.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

impl Server {
    /// Starts `chatkit <args> --port 0` and waits until it listens.
    pub fn start(args: &[&str]) -> Server {
        Server::start_with_env(args, &[])
    }

    /// Like [`Server::start`], with environment variables set (`Some`) or removed (`None`).
    pub fn start_with_env(args: &[&str], env: &[(&str, Option<&str>)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_chatkit"));
        for (key, value) in env {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        let mut child = command
            .args(args)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start chatkit");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("listening on ") {
                    let _ = tx.send(addr.to_owned());
                }
            }
        });
        let base = rx.recv_timeout(Duration::from_secs(30)).expect("chatkit did not start listening within 30 s");
        Server { child, base }
    }

    /// The ChatKit endpoint URL.
    pub fn endpoint(&self) -> String {
        format!("{}/chatkit", self.base)
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `timeout` for the process to exit by itself.
    pub fn wait_exit(mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Kills the process the hard way (SIGKILL) and waits for it.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The directory holding `conformance/` and `widgets/` kits (see scripts/kit-dir.sh).
pub fn kit_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    if let Ok(dir) = std::env::var("CHATKIT_KIT_DIR") {
        return PathBuf::from(dir);
    }
    let shared = root.join("../shared");
    if shared.join("conformance/run.py").exists() { shared } else { root.join("tests/kit") }
}

/// Waits until `f` returns true or the timeout passes.
pub fn wait_until(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// A minimal HTTP/1.1 client for process tests: one POST per connection, `Connection: close`.
pub mod http {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;

    /// An open response: status, headers, and the body reader.
    pub struct Response {
        pub status: u16,
        pub headers: Vec<(String, String)>,
        reader: BufReader<TcpStream>,
    }

    /// Sends `body` as a ChatKit request for `user` to `base` (`http://host:port`).
    pub fn post(base: &str, user: &str, body: &str) -> Response {
        let addr = base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let request = format!(
            "POST /chatkit HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nx-user-id: {user}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("send");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).expect("status line");
        let status = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status code");
        let mut headers = Vec::new();
        loop {
            line.clear();
            reader.read_line(&mut line).expect("header");
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            if let Some((k, v)) = trimmed.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        Response { status, headers, reader }
    }

    impl Response {
        fn chunked(&self) -> bool {
            self.headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        }

        /// Reads the next body chunk (decoded); `None` at the end of the body.
        fn next_chunk(&mut self) -> Option<Vec<u8>> {
            if !self.chunked() {
                let mut rest = Vec::new();
                self.reader.read_to_end(&mut rest).ok()?;
                return if rest.is_empty() { None } else { Some(rest) };
            }
            let mut size = String::new();
            self.reader.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim(), 16).ok()?;
            if size == 0 {
                return None;
            }
            let mut chunk = vec![0; size + 2];
            self.reader.read_exact(&mut chunk).ok()?;
            chunk.truncate(size);
            Some(chunk)
        }

        /// The whole body as text.
        pub fn text(mut self) -> String {
            let mut all = Vec::new();
            while let Some(chunk) = self.next_chunk() {
                all.extend(chunk);
            }
            String::from_utf8_lossy(&all).into_owned()
        }

        /// SSE events as JSON, reading until `stop` says so or the body ends.
        pub fn events_until(&mut self, mut stop: impl FnMut(&[serde_json::Value]) -> bool) -> Vec<serde_json::Value> {
            let mut buf = Vec::new();
            let mut events = Vec::new();
            while let Some(chunk) = self.next_chunk() {
                buf.extend(chunk);
                events = chatkit::sse::parse(&buf).iter().filter_map(|f| serde_json::from_str(f).ok()).collect();
                if stop(&events) {
                    break;
                }
            }
            events
        }

        /// All SSE events of the body as JSON.
        pub fn events(mut self) -> Vec<serde_json::Value> {
            self.events_until(|_| false)
        }
    }
}

/// A complete HTTP exchange: status, headers, decoded body.
pub struct Exchange {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Exchange {
    /// The body as JSON (panics with the body when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("JSON body: {}", String::from_utf8_lossy(&self.body)))
    }

    /// The SSE events of the body as JSON.
    pub fn events(&self) -> Vec<serde_json::Value> {
        chatkit::sse::parse(&self.body).iter().map(|frame| serde_json::from_str(frame).expect("JSON event")).collect()
    }

    /// A response header (names are lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on its own connection, read to the end; `Err` when the connection
/// broke before the response ended (the server died). The body is written while the response
/// is read, so a server that answers before reading everything (413) is seen answering.
pub fn send(base: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Exchange, String> {
    let headers: Vec<(&str, &[u8])> = headers.iter().map(|(k, v)| (*k, v.as_bytes())).collect();
    send_bytes(base, method, path, &headers, body)
}

/// [`send`] with header values as bytes, which need not be UTF-8.
pub fn send_bytes(base: &str, method: &str, path: &str, headers: &[(&str, &[u8])], body: &[u8]) -> Result<Exchange, String> {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).map_err(|e| e.to_string())?;
    let mut message =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len()).into_bytes();
    for (k, v) in headers {
        message.extend_from_slice(k.as_bytes());
        message.extend_from_slice(b": ");
        message.extend_from_slice(v);
        message.extend_from_slice(b"\r\n");
    }
    message.extend_from_slice(b"\r\n");
    message.extend_from_slice(body);
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    // A write error is expected when the server answers early and closes; the answer decides.
    let written = std::thread::spawn(move || writer.write_all(&message).is_ok());
    let mut raw = Vec::new();
    let read = stream.read_to_end(&mut raw);
    let written = written.join().unwrap_or(false);
    if let Err(err) = read
        && (raw.is_empty() || written)
    {
        return Err(err.to_string());
    }
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no complete header")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).ok_or("no status")?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest)?
    } else {
        let length: Option<usize> = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok());
        match length {
            Some(n) if rest.len() < n => return Err("body cut short".into()),
            Some(n) => rest[..n].to_vec(),
            None => rest.to_vec(),
        }
    };
    Ok(Exchange { status, headers, body })
}

pub fn ask(server: &Server, user: &str, request: &serde_json::Value) -> Exchange {
    let body = request.to_string();
    let headers = [("content-type", "application/json"), ("x-user-id", user)];
    let exchange = send(&server.base, "POST", "/chatkit", &headers, body.as_bytes()).expect("the server answers");
    assert_eq!(exchange.status, 200, "{request}: {}", String::from_utf8_lossy(&exchange.body));
    exchange
}

pub fn message(text: &str) -> serde_json::Value {
    serde_json::json!({"content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}})
}

/// The id of the last item of `kind` an event stream finished.
pub fn item_id(events: &[serde_json::Value], kind: &str) -> String {
    events
        .iter()
        .rev()
        .find(|e| matches!(e["type"].as_str(), Some("thread.item.done" | "thread.item.replaced")) && e["item"]["type"] == kind)
        .and_then(|e| e["item"]["id"].as_str())
        .unwrap_or_else(|| panic!("a {kind} item in {events:?}"))
        .to_owned()
}

/// Threads, messages, widgets, a structured input, a pending tool call and attachments of
/// two users; the ids by name.
pub fn seed(server: &Server) -> std::collections::BTreeMap<String, String> {
    let mut ids = std::collections::BTreeMap::new();
    for (user, prefix) in [("alice", "ALICE"), ("bob", "BOB")] {
        let events = ask(server, user, &serde_json::json!({"type": "threads.create", "params": {"input": message(&format!("echo {user}-secret"))}})).events();
        let thread = events[0]["thread"]["id"].as_str().expect("a thread id").to_owned();
        ids.insert(format!("{prefix}_MESSAGE"), item_id(&events, "user_message"));
        ids.insert(format!("{prefix}_ASSISTANT"), item_id(&events, "assistant_message"));
        let add = |text: &str| {
            ask(server, user, &serde_json::json!({"type": "threads.add_user_message", "params": {"thread_id": thread, "input": message(text)}}))
                .events()
        };
        ids.insert(format!("{prefix}_WIDGET"), item_id(&add("widget counter"), "widget"));
        let structured = item_id(&add("structured"), "structured_input");
        let answer = serde_json::json!({"type": "threads.add_structured_input", "params": {"thread_id": thread, "item_id": structured,
            "input": {"answers": {"color": {"values": ["Red"]}}}}});
        ask(server, user, &answer);
        ids.insert(format!("{prefix}_STRUCTURED"), structured);
        ids.insert(format!("{prefix}_TOOL"), item_id(&add("tool lookup"), "client_tool_call"));
        let attachment = serde_json::json!({"type": "attachments.create", "params": {"name": "notes.txt", "size": 5, "mime_type": "text/plain"}});
        let attachment = ask(server, user, &attachment).json();
        ids.insert(format!("{prefix}_ATTACHMENT"), attachment["id"].as_str().expect("an attachment id").to_owned());
        ids.insert(format!("{prefix}_THREAD"), thread);
        let second = ask(server, user, &serde_json::json!({"type": "threads.create", "params": {"input": message("echo second")}})).events();
        ids.insert(format!("{prefix}_OTHER_THREAD"), second[0]["thread"]["id"].as_str().expect("a thread id").to_owned());
        ids.insert(format!("{prefix}_OTHER_MESSAGE"), item_id(&second, "user_message"));
    }
    ids
}

/// Decodes a chunked body; `Err` unless it ends with the last (empty) chunk.
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n").ok_or("chunk size cut short")?;
        let size_text = String::from_utf8_lossy(&rest[..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16).map_err(|e| e.to_string())?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        if rest.len() < size + 2 {
            return Err("chunk cut short".into());
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// A PostgreSQL schema for one test, dropped when the test ends (after its servers).
pub struct PgSchema {
    pub url: String,
    pub name: String,
}

impl PgSchema {
    /// A fresh schema on the test server (`CHATKIT_TEST_POSTGRES` or 127.0.0.1:5432/test).
    pub fn create() -> PgSchema {
        let url = std::env::var("CHATKIT_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let name = format!("chatkit_cli_test_{}_{}", std::process::id(), std::time::SystemTime::UNIX_EPOCH.elapsed().map(|d| d.as_nanos()).unwrap_or(0));
        let sql = format!("CREATE SCHEMA {name}");
        use chatkit_store::sqlx::{Connection as _, Executor as _};
        block_on(async {
            let mut conn = chatkit_store::sqlx::PgConnection::connect(&url).await.unwrap_or_else(|err| {
                panic!(
                    "PostgreSQL is needed at {url} ({err}).\nStart it with `scripts/test.d/05-postgres.sh`, \
                     or set CHATKIT_TEST_POSTGRES to another server."
                )
            });
            conn.execute(chatkit_store::sqlx::AssertSqlSafe(sql)).await.expect("create the test schema");
        });
        PgSchema { url, name }
    }

    /// The store URL whose tables live in this schema.
    pub fn store_url(&self) -> String {
        format!("{}?options=-c%20search_path%3D{}", self.url, self.name)
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let sql = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name);
        use chatkit_store::sqlx::{Connection as _, Executor as _};
        block_on(async {
            if let Ok(mut conn) = chatkit_store::sqlx::PgConnection::connect(&self.url).await {
                let _ = conn.execute(chatkit_store::sqlx::AssertSqlSafe(sql)).await;
            }
        });
    }
}

