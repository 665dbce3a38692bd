//! Property tests: the request parser, widget JSON and SSE framing never panic on any input,
//! and what they produce reads back as itself.

#![allow(clippy::unwrap_used)]

use chatkit::{
    AssistantMessageItem, ErrorEvent, NoticeLevel, OutputText, Request, ThreadStreamEvent, WidgetRoot, sse,
};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Any JSON without floats (serde_json writes floats that may not read back bit for bit).
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((any::<String>(), json_value()), 0..4).prop_map(|m| m.into_iter().collect())
}

const TYPES: &[&str] = &[
    "threads.create", "threads.add_user_message", "threads.add_client_tool_output", "threads.add_structured_input",
    "threads.retry_after_item", "threads.custom_action", "threads.sync_custom_action", "threads.get_by_id",
    "threads.list", "threads.update", "threads.delete", "items.list", "items.feedback", "attachments.create",
    "attachments.delete", "input.transcribe",
];

fn input() -> impl Strategy<Value = Value> {
    (prop::collection::vec(any::<String>(), 0..3), prop::collection::vec("atc_[a-z0-9]{1,8}", 0..3), any::<Option<String>>(), any::<Option<String>>())
        .prop_map(|(texts, attachments, quoted, model)| {
            let content: Vec<Value> = texts.into_iter().map(|t| json!({"type": "input_text", "text": t})).collect();
            let mut input = json!({"content": content, "attachments": attachments, "inference_options": {}});
            if let Some(q) = quoted {
                input["quoted_text"] = json!(q);
            }
            if let Some(m) = model {
                input["inference_options"]["model"] = json!(m);
            }
            input
        })
}

/// Valid requests of every family, with arbitrary strings, numbers and payloads.
fn valid_request() -> impl Strategy<Value = Value> {
    let id = any::<String>();
    let order = prop_oneof![Just("asc"), Just("desc")];
    prop_oneof![
        (prop::option::of(0i64..=1000), order.clone(), any::<Option<String>>())
            .prop_map(|(limit, order, after)| json!({"type": "threads.list", "params": {"limit": limit, "order": order, "after": after}})),
        (id, prop::option::of(0i64..=1000), order)
            .prop_map(|(t, limit, order)| json!({"type": "items.list", "params": {"thread_id": t, "limit": limit, "order": order}})),
        (id, any::<String>()).prop_map(|(t, title)| json!({"type": "threads.update", "params": {"thread_id": t, "title": title}})),
        input().prop_map(|input| json!({"type": "threads.create", "params": {"input": input}})),
        (id, input()).prop_map(|(t, input)| json!({"type": "threads.add_user_message", "params": {"thread_id": t, "input": input}})),
        (id, json_value()).prop_map(|(t, result)| json!({"type": "threads.add_client_tool_output", "params": {"thread_id": t, "result": result}})),
        (id, any::<Option<String>>(), any::<String>(), json_value()).prop_map(|(t, item, kind, payload)| {
            json!({"type": "threads.custom_action", "params": {"thread_id": t, "item_id": item, "action": {"type": kind, "payload": payload}}})
        }),
        (id, prop::collection::vec(any::<String>(), 0..4), any::<bool>()).prop_map(|(t, items, up)| {
            json!({"type": "items.feedback", "params": {"thread_id": t, "item_ids": items, "kind": if up { "positive" } else { "negative" }}})
        }),
        (any::<String>(), any::<u64>(), any::<String>())
            .prop_map(|(name, size, mime)| json!({"type": "attachments.create", "params": {"name": name, "size": size, "mime_type": mime}})),
        (any::<String>(), any::<String>())
            .prop_map(|(audio, mime)| json!({"type": "input.transcribe", "params": {"audio_base64": audio, "mime_type": mime}})),
    ]
    .prop_flat_map(|request| (Just(request), json_object()))
    .prop_map(|(mut request, metadata)| {
        // Explicit nulls stand for "absent": drop them so the request reads back identically.
        if let Some(params) = request["params"].as_object_mut() {
            params.retain(|k, v| !v.is_null() || k == "result");
        }
        request["metadata"] = Value::Object(metadata);
        request
    })
}

/// Where serde_json and our own checks report problems: never an empty path or reason.
fn assert_useful(err: &chatkit::ParseError) {
    assert!(!err.path.is_empty() && !err.reason.is_empty(), "{err:?}");
    assert!(err.reason.len() < 2048, "{err:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_parser_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Err(err) = Request::parse(&body) {
            assert_useful(&err);
        }
    }

    #[test]
    fn the_parser_never_panics_on_any_params(kind in prop::sample::select(TYPES), params in json_value(), metadata in json_value()) {
        let body = json!({"type": kind, "params": params, "metadata": metadata}).to_string();
        match Request::parse(body.as_bytes()) {
            Ok(request) => prop_assert_eq!(request.kind(), kind),
            Err(err) => assert_useful(&err),
        }
    }

    #[test]
    fn damaged_requests_are_refused_or_parsed_never_panic(request in valid_request(), at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<bool>()) {
        let mut body = request.to_string().into_bytes();
        let at = at.index(body.len());
        if cut { body.truncate(at) } else { body[at] = byte }
        if let Err(err) = Request::parse(&body) {
            assert_useful(&err);
        }
    }

    #[test]
    fn requests_round_trip(request in valid_request()) {
        let parsed = Request::parse(request.to_string().as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}: {request}")))?;
        let written = serde_json::to_vec(&parsed).unwrap();
        let again = Request::parse(&written).unwrap();
        prop_assert_eq!(&again, &parsed);
        prop_assert_eq!(serde_json::to_vec(&again).unwrap(), written);
    }

    #[test]
    fn widget_roots_validate_and_round_trip(
        kind in prop::sample::select(&["Card", "ListView", "Basic", "Text", "Button", ""][..]),
        members in json_object(),
        children in prop::collection::vec(json_value(), 0..4),
    ) {
        let mut tree = members;
        tree.insert("type".into(), json!(kind));
        tree.insert("children".into(), Value::Array(children));
        match WidgetRoot::from_value(Value::Object(tree)) {
            Ok(root) => {
                prop_assert!(["Card", "ListView", "Basic"].contains(&root.kind()));
                assert_no_nulls(&root.to_value());
                let text = serde_json::to_string(&root).unwrap();
                let again: WidgetRoot = serde_json::from_str(&text).unwrap();
                prop_assert_eq!(&again, &root);
                prop_assert_eq!(WidgetRoot::from_value(root.to_value()).unwrap(), root);
            }
            Err(err) => prop_assert!(!["Card", "ListView", "Basic"].contains(&kind), "{err}"),
        }
    }

    #[test]
    fn widget_json_of_any_shape_never_panics(value in json_value()) {
        let _ = WidgetRoot::from_value(value);
    }

    #[test]
    fn sse_frames_round_trip(events in prop::collection::vec(event(), 1..6)) {
        let mut stream = Vec::new();
        for event in &events {
            let frame = sse::encode(event);
            prop_assert!(frame.starts_with(b"data: ") && frame.ends_with(b"\n\n"));
            let inner = &frame[..frame.len() - 2];
            prop_assert!(!inner.contains(&b'\n') && !inner.contains(&b'\r'), "one line per frame, whatever the text");
            stream.extend_from_slice(&frame);
        }
        let payloads = sse::parse(&stream);
        prop_assert_eq!(payloads.len(), events.len());
        for (payload, event) in payloads.iter().zip(&events) {
            let back: ThreadStreamEvent = serde_json::from_str(payload).unwrap();
            prop_assert_eq!(&back, event);
        }
    }

    #[test]
    fn sse_parse_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        for payload in sse::parse(&bytes) {
            prop_assert!(!payload.contains('\r') || bytes.contains(&b'\r'));
        }
    }
}

fn event() -> impl Strategy<Value = ThreadStreamEvent> {
    let level = prop_oneof![Just(NoticeLevel::Info), Just(NoticeLevel::Warning), Just(NoticeLevel::Danger)];
    prop_oneof![
        any::<String>().prop_map(ThreadStreamEvent::progress),
        (level, any::<String>(), any::<Option<String>>())
            .prop_map(|(level, message, title)| ThreadStreamEvent::Notice { level, message, title }),
        (any::<String>(), json_object()).prop_map(|(name, data)| ThreadStreamEvent::ClientEffect { name, data }),
        (any::<String>(), any::<bool>()).prop_map(|(m, retry)| ThreadStreamEvent::Error(ErrorEvent::custom(m, retry))),
        (any::<String>(), prop::collection::vec(any::<String>(), 0..3)).prop_map(|(id, texts)| {
            let content = texts.into_iter().map(OutputText::new).collect();
            ThreadStreamEvent::done(AssistantMessageItem::new(format!("msg_{id}"), "thr_1", content))
        }),
    ]
}

fn assert_no_nulls(value: &Value) {
    match value {
        Value::Null => panic!("a null outside a payload"),
        Value::Array(items) => items.iter().for_each(assert_no_nulls),
        Value::Object(map) => map.iter().filter(|(k, _)| k.as_str() != "payload").for_each(|(_, v)| assert_no_nulls(v)),
        _ => {}
    }
}
