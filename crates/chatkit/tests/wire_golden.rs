//! Wire compatibility: JSON recorded from the Python reference must parse into our types and
//! serialize back to the same JSON.
//!
//! Sources: every event and response body of the conformance kit's goldens (ids and
//! timestamps there are placeholders; timestamps are replaced by a real one first), and the
//! exact bytes quoted in the protocol notes.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use chatkit::{Attachment, Page, Thread, ThreadItem, ThreadStreamEvent};
use serde_json::Value;

fn kit_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared/conformance");
    if shared.join("golden").exists() { shared } else { root.join("tests/kit/conformance") }
}

/// Replaces the runner's `<ts>` placeholder with a timestamp in our output format.
fn with_real_timestamps(value: &mut Value) {
    match value {
        Value::String(s) if s == "<ts>" => *s = "2025-01-02T03:04:05.123456Z".into(),
        Value::Array(items) => items.iter_mut().for_each(with_real_timestamps),
        Value::Object(map) => map.values_mut().for_each(with_real_timestamps),
        _ => {}
    }
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value, what: &str) {
    let parsed: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{what}: does not parse: {e}\n{value}"));
    let back = serde_json::to_value(&parsed).unwrap();
    assert_eq!(&back, value, "{what}: serializes differently");
}

#[test]
fn every_golden_event_and_body_round_trips() {
    let dir = kit_dir().join("golden");
    let mut events = 0;
    let mut bodies = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mut golden: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        with_real_timestamps(&mut golden);
        for step in golden["steps"].as_array().unwrap() {
            for event in step["events"].as_array().into_iter().flatten() {
                round_trip::<ThreadStreamEvent>(event, &format!("{name} step {} event", step["step"]));
                events += 1;
            }
            let Some(body) = step.get("body") else { continue };
            if step["expect"] == "error-status" || step["status"] != 200 {
                continue;
            }
            let what = format!("{name} step {} body", step["step"]);
            if body.get("items").is_some() {
                round_trip::<Thread>(body, &what);
            } else if body.get("data").is_some() {
                let first = body["data"].as_array().and_then(|d| d.first());
                if first.is_some_and(|t| t.get("items").is_some()) {
                    round_trip::<Page<Thread>>(body, &what);
                } else {
                    round_trip::<Page<ThreadItem>>(body, &what);
                }
            } else if body.get("updated_item").is_some() {
                round_trip::<ThreadItem>(&body["updated_item"], &what);
            } else if body.get("mime_type").is_some() {
                round_trip::<Attachment>(body, &what);
            } else {
                continue;
            }
            bodies += 1;
        }
    }
    assert!(events > 300, "expected the goldens to hold hundreds of events, found {events}");
    assert!(bodies > 20, "expected many JSON bodies, found {bodies}");
}

/// Bytes quoted from the reference in the protocol notes.
#[test]
fn probed_reference_json_round_trips() {
    let events = [
        r#"{"type":"thread.created","thread":{"id":"thr_5eb084cc","created_at":"2026-11-25T03:01:45.271298Z","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}}}"#,
        r#"{"type":"thread.item.updated","item_id":"m","update":{"type":"assistant_message.content_part.added","content_index":0,"content":{"annotations":[],"text":"","type":"output_text"}}}"#,
        r#"{"type":"thread.item.updated","item_id":"m","update":{"type":"assistant_message.content_part.text_delta","content_index":0,"delta":"Hi"}}"#,
        r#"{"type":"thread.item.updated","item_id":"m","update":{"type":"assistant_message.content_part.annotation_added","content_index":0,"annotation_index":0,"annotation":{"type":"annotation","source":{"title":"X","type":"url","url":"https://x.com"},"index":2}}}"#,
        r#"{"type":"thread.item.updated","item_id":"m","update":{"type":"assistant_message.content_part.done","content_index":0,"content":{"annotations":[],"text":"Hi","type":"output_text"}}}"#,
        r#"{"type":"thread.item.updated","item_id":"w","update":{"type":"widget.streaming_text.value_delta","component_id":"t","delta":"llo","done":true}}"#,
        r#"{"type":"thread.item.updated","item_id":"w","update":{"type":"widget.root.updated","widget":{"type":"Card","children":[]}}}"#,
        r#"{"type":"thread.item.updated","item_id":"w","update":{"type":"widget.component.updated","component_id":"c1","component":{"id":"c1","type":"Text","value":"x"}}}"#,
        r#"{"type":"thread.item.updated","item_id":"wf","update":{"type":"workflow.task.added","task_index":0,"task":{"status_indicator":"none","type":"web_search","title_query":"q","queries":["a"],"sources":[]}}}"#,
        r#"{"type":"thread.item.updated","item_id":"wf","update":{"type":"workflow.task.updated","task_index":1,"task":{"status_indicator":"loading","type":"custom","title":"t","icon":"search"}}}"#,
        r#"{"type":"thread.item.updated","item_id":"i","update":{"type":"generated_image.updated","image":{"id":"i","url":"data:x"},"progress":0.5}}"#,
        r#"{"type":"thread.item.done","item":{"id":"wf","thread_id":"t","created_at":"2025-01-01T00:00:00Z","type":"workflow","workflow":{"type":"reasoning","tasks":[{"status_indicator":"none","type":"thought","content":"c"}],"summary":{"duration":3},"expanded":false}}}"#,
        r#"{"type":"stream_options","stream_options":{"allow_cancel":true}}"#,
        r#"{"type":"error","code":"stream.error","allow_retry":true}"#,
        r#"{"type":"error","code":"custom","message":"m","allow_retry":false}"#,
        r#"{"type":"notice","level":"info","message":"**hi**","title":"T"}"#,
        r#"{"type":"client_effect","name":"e","data":{"k":null}}"#,
        r#"{"type":"progress_update","icon":"sparkle","text":"p"}"#,
        r#"{"type":"thread.item.removed","item_id":"m"}"#,
    ];
    for (i, text) in events.iter().enumerate() {
        round_trip::<ThreadStreamEvent>(&serde_json::from_str(text).unwrap(), &format!("probed event {i}"));
    }
    let attachment = r#"{"id":"atc_9f0c62ff","name":"cat.png","mime_type":"image/png","upload_descriptor":{"url":"https://up.example.com/x?y=1","method":"PUT","headers":{}},"type":"image","preview_url":"https://cdn.example.com/"}"#;
    round_trip::<Attachment>(&serde_json::from_str(attachment).unwrap(), "probed attachment");
}

/// Naive timestamps from the reference parse and are written back in UTC.
#[test]
fn reference_timestamps_are_accepted() {
    let item = r#"{"id":"msg_1","thread_id":"thr_1","created_at":"2026-11-25T03:01:45.271298","type":"end_of_turn"}"#;
    let parsed: ThreadItem = serde_json::from_str(item).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap()["created_at"], "2026-11-25T03:01:45.271298Z");
}

/// Null members are dropped on output; `null` inside free-form data is kept.
#[test]
fn nulls_follow_the_reference() {
    let event = r#"{"type":"thread.item.done","item":{"id":"tc_1","thread_id":"t","created_at":"2025-01-01T00:00:00Z","type":"client_tool_call","status":"completed","call_id":"c","name":"n","arguments":{"a":null},"output":[1,null]}}"#;
    round_trip::<ThreadStreamEvent>(&serde_json::from_str(event).unwrap(), "nulls in free-form data");
    let widget = r#"{"type":"Card","children":[{"type":"Text","value":"x","color":null}]}"#;
    let root: chatkit::WidgetRoot = serde_json::from_str(widget).unwrap();
    assert_eq!(serde_json::to_string(&root).unwrap(), r#"{"type":"Card","children":[{"type":"Text","value":"x"}]}"#);
}
