//! Faults and load against the real binary on SQLite: 100 concurrent server actions on one
//! counter widget count to 100 (and stay 100 after a restart); the server's memory returns to
//! its idle level after storms of 1,000 streams cut by their clients at random points.

mod support;

use std::io::{Read, Write};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{CLEAN_ENV, Server, ask, item_id, message, send};

fn serve(data_dir: &str) -> Server {
    Server::start_with_env(&["serve", "--app", "conformance", "--data-dir", data_dir], CLEAN_ENV)
}

fn counter_text(server: &Server, thread: &str, widget: &str) -> Value {
    let items = ask(server, "alice", &json!({"type": "items.list", "params": {"thread_id": thread, "order": "asc", "limit": 100}})).json();
    let widget = items["data"].as_array().expect("items").iter().find(|i| i["id"] == widget).expect("the counter widget");
    widget["widget"]["children"][0]["value"].clone()
}

#[test]
fn a_hundred_concurrent_actions_on_one_counter_count_to_a_hundred_on_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data_dir = dir.path().to_str().expect("a UTF-8 path").to_owned();
    let server = serve(&data_dir);
    let events = ask(&server, "alice", &json!({"type": "threads.create", "params": {"input": message("widget counter")}})).events();
    let thread = events[0]["thread"]["id"].as_str().expect("a thread id").to_owned();
    let widget = item_id(&events, "widget");

    let action = json!({"type": "threads.custom_action", "params": {"thread_id": thread, "item_id": widget,
        "action": {"type": "counter.increment", "payload": {"by": 1}}}})
    .to_string();
    let start = Arc::new(Barrier::new(100));
    let clients: Vec<_> = (0..100)
        .map(|_| {
            let (base, action, start) = (server.base.clone(), action.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                send(&base, "POST", "/chatkit", &[("content-type", "application/json"), ("x-user-id", "alice")], action.as_bytes())
            })
        })
        .collect();
    for client in clients {
        let exchange = client.join().expect("a client thread").expect("an answer");
        assert_eq!(exchange.status, 200);
        let events = exchange.events();
        assert!(events.iter().any(|e| e["type"] == "thread.item.replaced"), "{events:?}");
    }
    assert_eq!(counter_text(&server, &thread, &widget), "Count: 100");

    // Durable: the same count after a restart on the same database.
    drop(server);
    let server = serve(&data_dir);
    assert_eq!(counter_text(&server, &thread, &widget), "Count: 100");
}

/// The resident set size of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/PID/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/PID/status")
}

/// The RSS once it has stopped changing (two equal readings 500 ms apart, 10 s at most).
fn settled_rss_kib(pid: u32) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut last = rss_kib(pid);
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = rss_kib(pid);
        if now == last || Instant::now() > deadline {
            return now;
        }
        last = now;
    }
}

/// Starts a 20-chunk answer (50 ms per chunk) and hangs up after `keep` bytes of the response
/// (0: right after sending the request).
fn cut_stream(addr: &str, keep: usize) {
    let body = json!({"type": "threads.create", "params": {"input": message("slow 20")}}).to_string();
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else { return };
    let request = format!(
        "POST /chatkit HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nx-user-id: storm\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return;
    }
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut seen = 0;
    let mut buf = [0u8; 512];
    while seen < keep {
        match stream.read(&mut buf[..(keep - seen).min(512)]) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen += n,
        }
    }
    // Dropped: the connection closes with the answer unfinished.
}

/// 1,000 streams, 50 at a time, each cut after a pseudo-random number of bytes (0..=3,000:
/// before the headers, mid-event, after a few chunks).
fn storm(addr: &str, seed: u64) {
    let mut state = seed;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20 {
        let clients: Vec<_> = (0..50)
            .map(|_| {
                let (addr, keep) = (addr.to_owned(), usize::try_from(next() % 3_001).unwrap_or(0));
                std::thread::spawn(move || cut_stream(&addr, keep))
            })
            .collect();
        for client in clients {
            client.join().expect("a client thread");
        }
    }
}

#[test]
fn memory_returns_to_idle_after_storms_of_cut_streams() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let server = serve(dir.path().to_str().expect("a UTF-8 path"));
    let addr = server.base.trim_start_matches("http://").to_owned();
    let pid = server.pid();
    // Warm up: allocator arenas, the connection pool, SQLite's page cache.
    for _ in 0..20 {
        ask(&server, "storm", &json!({"type": "threads.create", "params": {"input": message("slow 3")}}));
    }
    let idle = settled_rss_kib(pid);
    let mut after = Vec::new();
    for seed in [0x9E37_79B9_7F4A_7C15, 0xD1B5_4A32_D192_ED03, 0x2545_F491_4F6C_DD1D] {
        storm(&addr, seed);
        after.push(settled_rss_kib(pid));
    }
    println!("RSS: idle {idle} KiB, after each storm of 1,000 cut streams {after:?} KiB");
    // The first storm grows the allocator's pools to the storm's peak; later storms reuse them.
    // A leak of 8 KiB per stream would add 8 MiB per storm.
    let (first, last) = (after[0], after[after.len() - 1]);
    assert!(last <= first + 8 * 1024, "RSS grows storm after storm: idle {idle} KiB, after storms {after:?} KiB");
    assert!(last <= idle + 64 * 1024, "RSS stays far above idle: idle {idle} KiB, after storms {after:?} KiB");
    // And the server still answers.
    let events = ask(&server, "alice", &json!({"type": "threads.create", "params": {"input": message("echo still here")}})).events();
    assert!(events.iter().any(|e| e["item"]["content"][0]["text"] == "still here"), "{events:?}");
}
