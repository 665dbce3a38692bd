//! The bad-input corpus (`tests/bad_input/*.jsonl`, format in its README.md) against the real
//! `chatkit serve --app conformance` over HTTP, with a seeded SQLite store and again with a
//! seeded PostgreSQL store: every request gets a 4xx JSON error with the expected code and a
//! message naming the problem, and the store (every row of every table, and the attachment
//! files) is byte for byte what it was before.
//!
//! The PostgreSQL run needs the server of `scripts/test.d/05-postgres.sh` (or
//! `CHATKIT_TEST_POSTGRES`); it fails without it.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chatkit_store::sqlx::{self, Connection, Row};
use serde::Deserialize;
use serde_json::{Value, json};
use support::{PgSchema, Server, ask, seed, send_bytes};

/// One malformed request and the answer it must get.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// A JSON body (ids written as `$NAME` are replaced by seeded ids).
    #[serde(default)]
    body: Option<Value>,
    /// A body sent verbatim (after `$NAME` replacement).
    #[serde(default)]
    raw: Option<String>,
    /// A body of bytes: each character (U+0000..=U+00FF) is one byte, for invalid UTF-8.
    #[serde(default)]
    raw_bytes: Option<String>,
    /// A generated body: `prefix`, `open` × `times`, `close` × `times`, `suffix`.
    #[serde(default)]
    generate: Option<Generate>,
    /// The caller (`x-user-id`), `alice` unless given.
    #[serde(default)]
    user: Option<String>,
    /// The caller as bytes, one character (U+0000..U+00FF) per byte: ids that are not UTF-8.
    #[serde(default)]
    user_bytes: Option<String>,
    /// The method, `POST` unless given.
    #[serde(default)]
    method: Option<String>,
    /// The content type; `null` sends none; `application/json` unless given.
    #[serde(default = "json_type")]
    content_type: Option<String>,
    status: u16,
    code: String,
    /// Must appear in the error message (ASCII case-insensitive).
    message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generate {
    #[serde(default)]
    prefix: String,
    open: String,
    #[serde(default)]
    close: String,
    times: usize,
    #[serde(default)]
    suffix: String,
}

fn json_type() -> Option<String> {
    Some("application/json".into())
}

impl Case {
    fn body(&self, ids: &BTreeMap<String, String>) -> Vec<u8> {
        let text = match (&self.body, &self.raw, &self.raw_bytes, &self.generate) {
            (Some(body), None, None, None) => body.to_string(),
            (None, Some(raw), None, None) => raw.clone(),
            (None, None, Some(bytes), None) => return self.bytes(bytes),
            (None, None, None, Some(g)) => {
                format!("{}{}{}{}", g.prefix, g.open.repeat(g.times), g.close.repeat(g.times), g.suffix)
            }
            _ => panic!("{}: give exactly one of body, raw, raw_bytes, generate", self.name),
        };
        substitute(&text, ids).into_bytes()
    }

    /// The `x-user-id` header.
    fn user(&self) -> Vec<u8> {
        match (&self.user, &self.user_bytes) {
            (None, Some(bytes)) => self.bytes(bytes),
            (user, None) => user.as_deref().unwrap_or("alice").as_bytes().to_vec(),
            (Some(_), Some(_)) => panic!("{}: give user or user_bytes, not both", self.name),
        }
    }

    /// Characters U+0000..=U+00FF as bytes.
    fn bytes(&self, text: &str) -> Vec<u8> {
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or_else(|_| panic!("{}: a byte string holds {c:?}", self.name)))
            .collect()
    }
}

/// Replaces `$NAME` with seeded ids, longest names first.
fn substitute(text: &str, ids: &BTreeMap<String, String>) -> String {
    let mut names: Vec<&String> = ids.keys().collect();
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    names.into_iter().fold(text.to_owned(), |text, name| text.replace(&format!("${name}"), &ids[name]))
}

fn corpus() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/bad_input")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a UTF-8 corpus file");
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with("//") {
                continue;
            }
            let case: Case = serde_json::from_str(line)
                .unwrap_or_else(|err| panic!("{}:{}: {err}", file.display(), n + 1));
            cases.push(case);
        }
    }
    cases
}

/// Where the seeded server keeps its data.
enum Store {
    /// `DATA_DIR/chatkit.db`.
    Sqlite,
    /// A PostgreSQL schema.
    Postgres(PgSchema),
}

/// Every row of every table, and the names and sizes of the attachment files.
fn snapshot(store: &Store, data_dir: &Path) -> Vec<String> {
    let mut rows: Vec<String> = support::block_on(async {
        let mut rows = Vec::new();
        match store {
            Store::Sqlite => {
                let db = format!("sqlite:{}", data_dir.join("chatkit.db").display());
                let mut conn = sqlx::SqliteConnection::connect(&db).await.expect("open the database");
                for sql in [
                    "SELECT json_array(pk, owner, id, data) FROM chatkit_threads ORDER BY pk",
                    "SELECT json_array(seq, thread_pk, id, type, data) FROM chatkit_items ORDER BY seq",
                    "SELECT json_array(owner, id, data) FROM chatkit_attachments ORDER BY owner, id",
                ] {
                    for row in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut conn).await.expect("read a table") {
                        rows.push(row.get::<String, _>(0));
                    }
                }
            }
            Store::Postgres(schema) => {
                let mut conn = sqlx::PgConnection::connect(&schema.store_url()).await.expect("connect to PostgreSQL");
                for sql in [
                    "SELECT json_build_array(pk, owner, id, last_seq, data)::text FROM chatkit_threads ORDER BY pk",
                    "SELECT json_build_array(thread_pk, seq, id, type, data)::text FROM chatkit_items ORDER BY thread_pk, seq",
                    "SELECT json_build_array(owner, id, data)::text FROM chatkit_attachments ORDER BY owner, id",
                ] {
                    for row in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut conn).await.expect("read a table") {
                        rows.push(row.get::<String, _>(0));
                    }
                }
            }
        }
        rows
    });
    if let Ok(files) = std::fs::read_dir(data_dir.join("attachments")) {
        let mut files: Vec<String> = files
            .map(|f| f.expect("a directory entry"))
            .map(|f| format!("file {:?} {}", f.file_name(), f.metadata().map(|m| m.len()).unwrap_or(0)))
            .collect();
        files.sort();
        rows.extend(files);
    }
    rows
}

#[test]
fn every_bad_request_is_a_4xx_json_error_that_changes_nothing() {
    run_corpus(&Store::Sqlite);
}

#[test]
fn every_bad_request_is_refused_on_postgres_too() {
    run_corpus(&Store::Postgres(PgSchema::create()));
}

fn run_corpus(store: &Store) {
    let cases = corpus();
    assert!(cases.len() >= 200, "the corpus holds {} requests; it should hold at least 200", cases.len());
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data_dir = dir.path().to_str().expect("a UTF-8 path").to_owned();
    let mut args = vec!["serve".to_owned(), "--app".into(), "conformance".into(), "--data-dir".into(), data_dir];
    if let Store::Postgres(schema) = store {
        args.extend(["--store".to_owned(), schema.store_url()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let server = Server::start_with_env(&args, support::CLEAN_ENV);
    let ids = seed(&server);
    let rows = || snapshot(store, dir.path());
    // The seeding streams end with a last write after their final event: wait for quiet.
    let mut before = rows();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(300));
        let again = rows();
        if again == before {
            break;
        }
        before = again;
    }
    assert!(before.len() > 20, "the store is seeded: {before:#?}");

    let mut failures = Vec::new();
    for case in &cases {
        let body = case.body(&ids);
        let user = case.user();
        let mut headers: Vec<(&str, &[u8])> = vec![("x-user-id", &user)];
        if let Some(content_type) = &case.content_type {
            headers.push(("content-type", content_type.as_bytes()));
        }
        let method = case.method.as_deref().unwrap_or("POST");
        let exchange = match send_bytes(&server.base, method, "/chatkit", &headers, &body) {
            Ok(exchange) => exchange,
            Err(err) => {
                failures.push(format!("{}: no answer ({err})", case.name));
                continue;
            }
        };
        let text = String::from_utf8_lossy(&exchange.body);
        let shown: String = text.chars().take(300).collect();
        let error: Option<Value> = serde_json::from_slice(&exchange.body).ok();
        let code = error.as_ref().and_then(|e| e["error"]["code"].as_str()).unwrap_or_default();
        let message = error.as_ref().and_then(|e| e["error"]["message"].as_str()).unwrap_or_default();
        if exchange.status != case.status || code != case.code {
            failures.push(format!("{}: got {} {shown}; expected {} {}", case.name, exchange.status, case.status, case.code));
        } else if exchange.header("content-type") != Some("application/json") {
            failures.push(format!("{}: content type {:?}", case.name, exchange.header("content-type")));
        } else if !message.to_ascii_lowercase().contains(&case.message.to_ascii_lowercase()) {
            failures.push(format!("{}: message {message:?} lacks {:?}", case.name, case.message));
        } else if message.len() > 1024 {
            failures.push(format!("{}: a {} byte message; messages stay short", case.name, message.len()));
        }
        let after = rows();
        if after != before {
            let changed: Vec<&String> = after.iter().filter(|row| !before.contains(row)).collect();
            let gone: Vec<&String> = before.iter().filter(|row| !after.contains(row)).collect();
            failures.push(format!("{} changed the store: new or changed rows {changed:#?}, rows gone {gone:#?}", case.name));
            before = after;
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    // The seeded data still reads back for its owners.
    let thread = json!({"type": "threads.get_by_id", "params": {"thread_id": ids["ALICE_THREAD"]}});
    assert_eq!(ask(&server, "alice", &thread).json()["id"], ids["ALICE_THREAD"].as_str());
    let store = match store {
        Store::Sqlite => "SQLite",
        Store::Postgres(_) => "PostgreSQL",
    };
    println!("{} bad requests on {store}: all refused with 4xx JSON errors, store unchanged", cases.len());
}
