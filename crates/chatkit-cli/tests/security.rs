//! Isolation and CORS, against the real binary: every request type sent with another user's
//! thread, item and attachment ids finds nothing and changes nothing, on the memory and the
//! SQLite store; `--cors-origin` allows exactly the origins given.

mod support;

use std::collections::BTreeMap;

use serde_json::{Value, json};
use support::{CLEAN_ENV, Server, ask, message, seed, send};

/// Everything `user` can read: their threads, each with all its items.
fn view(server: &Server, user: &str) -> Vec<Value> {
    let threads = ask(server, user, &json!({"type": "threads.list", "params": {"limit": 1000, "order": "asc"}})).json();
    let mut all = vec![threads.clone()];
    for thread in threads["data"].as_array().expect("threads") {
        let items = json!({"type": "items.list", "params": {"thread_id": thread["id"], "limit": 1000, "order": "asc"}});
        all.push(ask(server, user, &items).json());
    }
    all
}

/// Every request type, aimed at bob's data by id.
fn attacks(ids: &BTreeMap<String, String>) -> Vec<Value> {
    let thread = &ids["BOB_THREAD"];
    let mut requests = vec![
        json!({"type": "threads.get_by_id", "params": {"thread_id": thread}}),
        json!({"type": "threads.update", "params": {"thread_id": thread, "title": "pwned"}}),
        json!({"type": "threads.delete", "params": {"thread_id": thread}}),
        json!({"type": "items.list", "params": {"thread_id": thread}}),
        json!({"type": "threads.add_user_message", "params": {"thread_id": thread, "input": message("echo hi")}}),
        json!({"type": "threads.add_client_tool_output", "params": {"thread_id": thread, "result": {"ok": true}}}),
        json!({"type": "threads.add_structured_input", "params": {"thread_id": thread, "item_id": ids["BOB_STRUCTURED"], "input": {}}}),
        json!({"type": "threads.retry_after_item", "params": {"thread_id": thread, "item_id": ids["BOB_MESSAGE"]}}),
        json!({"type": "threads.custom_action", "params": {"thread_id": thread, "item_id": ids["BOB_WIDGET"], "action": {"type": "counter.increment", "payload": {"by": 1}}}}),
        json!({"type": "threads.sync_custom_action", "params": {"thread_id": thread, "item_id": ids["BOB_WIDGET"], "action": {"type": "toggle.flip"}}}),
        json!({"type": "items.feedback", "params": {"thread_id": thread, "item_ids": [ids["BOB_ASSISTANT"]], "kind": "negative"}}),
        json!({"type": "attachments.delete", "params": {"attachment_id": ids["BOB_ATTACHMENT"]}}),
        json!({"type": "threads.create", "params": {"input": message("echo hi").as_object().map(|m| {
            let mut m = m.clone();
            m.insert("attachments".into(), json!([ids["BOB_ATTACHMENT"]]));
            m
        })}}),
        json!({"type": "threads.list", "params": {"after": thread}}),
        json!({"type": "items.list", "params": {"thread_id": ids["ALICE_THREAD"], "after": ids["BOB_MESSAGE"]}}),
    ];
    // Bob's item ids inside alice's own thread.
    let own = &ids["ALICE_THREAD"];
    for item in ["BOB_MESSAGE", "BOB_WIDGET", "BOB_STRUCTURED", "BOB_ASSISTANT"] {
        let item = &ids[item];
        requests.push(json!({"type": "threads.retry_after_item", "params": {"thread_id": own, "item_id": item}}));
        requests.push(json!({"type": "threads.add_structured_input", "params": {"thread_id": own, "item_id": item, "input": {}}}));
        requests.push(json!({"type": "threads.custom_action", "params": {"thread_id": own, "item_id": item, "action": {"type": "counter.increment"}}}));
        requests.push(json!({"type": "threads.sync_custom_action", "params": {"thread_id": own, "item_id": item, "action": {"type": "toggle.flip"}}}));
        requests.push(json!({"type": "items.feedback", "params": {"thread_id": own, "item_ids": [item], "kind": "positive"}}));
    }
    requests
}

fn isolation(store: &str) -> usize {
    let server = Server::start_with_env(&["conformance-app", "--store", store], CLEAN_ENV);
    let ids = seed(&server);
    let bob_before = view(&server, "bob");
    let secret = "bob-secret";
    assert!(bob_before.iter().any(|page| page.to_string().contains(secret)), "bob's thread holds the secret");
    let mut tried = 0;
    for user in ["alice", "mallory"] {
        for request in attacks(&ids) {
            let body = request.to_string();
            let headers = [("content-type", "application/json"), ("x-user-id", user)];
            let exchange = send(&server.base, "POST", "/chatkit", &headers, body.as_bytes()).expect("an answer");
            let text = String::from_utf8_lossy(&exchange.body);
            assert_eq!(exchange.status, 404, "{store} {user} {request}: {text}");
            assert_eq!(exchange.json()["error"]["code"], "not_found", "{store} {user} {request}");
            assert!(!text.contains(secret), "{store} {user} {request} leaked: {text}");
            tried += 1;
        }
        let listed = ask(&server, user, &json!({"type": "threads.list", "params": {"limit": 1000}})).json();
        assert!(!listed.to_string().contains(&ids["BOB_THREAD"]), "{user} lists bob's thread");
    }
    assert_eq!(view(&server, "bob"), bob_before, "{store}: bob's data is unchanged");
    tried
}

#[test]
fn no_request_reaches_another_users_data() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sqlite = format!("sqlite:{}", dir.path().join("chatkit.db").display());
    let tried: usize = ["memory", sqlite.as_str()].iter().map(|store| isolation(store)).sum();
    println!("{tried} requests with another user's ids: 0 answered, 0 leaks, 0 changes");
}

#[test]
fn cors_allows_exactly_the_configured_origins() {
    let server = Server::start_with_env(&["conformance-app", "--cors-origin", "https://app.example,https://other.example"], CLEAN_ENV);
    let preflight = |origin: &str| {
        let headers = [("origin", origin), ("access-control-request-method", "POST"), ("access-control-request-headers", "content-type,x-user-id")];
        send(&server.base, "OPTIONS", "/chatkit", &headers, b"").expect("an answer")
    };
    let allowed = preflight("https://app.example");
    assert_eq!(allowed.status, 200);
    assert_eq!(allowed.header("access-control-allow-origin"), Some("https://app.example"));
    assert!(allowed.header("access-control-allow-methods").is_some_and(|m| m.contains("POST")));
    let refused = preflight("https://evil.example");
    assert_eq!(refused.header("access-control-allow-origin"), None, "other origins get no CORS grant");

    let body = br#"{"type":"threads.list","params":{}}"#;
    let headers = [("origin", "https://other.example"), ("content-type", "application/json")];
    let answer = send(&server.base, "POST", "/chatkit", &headers, body).expect("an answer");
    assert_eq!((answer.status, answer.header("access-control-allow-origin")), (200, Some("https://other.example")));

    let plain = Server::start_with_env(&["conformance-app"], CLEAN_ENV);
    let headers = [("origin", "https://app.example"), ("content-type", "application/json")];
    let answer = send(&plain.base, "POST", "/chatkit", &headers, body).expect("an answer");
    assert_eq!(answer.header("access-control-allow-origin"), None, "without --cors-origin, no grant");
}
