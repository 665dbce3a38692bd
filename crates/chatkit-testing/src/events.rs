//! The parts of a stream of events (as [`TestServer::stream`](crate::TestServer::stream) returns
//! them) that tests look at.
//!
//! ```
//! use serde_json::json;
//! use chatkit_testing::events;
//! let stream = [
//!     json!({"type": "progress_update", "text": "Looking…"}),
//!     json!({"type": "thread.item.done", "item": {"type": "widget", "id": "w1", "widget": {"type": "Card"}}}),
//!     json!({"type": "client_effect", "name": "board.updated", "data": {"n": 1}}),
//!     json!({"type": "thread.item.done", "item": {"type": "assistant_message", "content": [{"text": "Done."}]}}),
//! ];
//! assert_eq!(events::progress(&stream), ["Looking…"]);
//! assert_eq!(events::widget(&stream), ("w1".to_owned(), json!({"type": "Card"})));
//! assert_eq!(events::effects(&stream, "board.updated"), [json!({"n": 1})]);
//! assert_eq!(events::replies(&stream), ["Done."]);
//! ```

use serde_json::Value;

/// The events of type `kind` (e.g. `thread.item.done`).
pub fn of_type<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == kind).collect()
}

/// The finished items of type `item_type` (e.g. `widget`), in order.
pub fn done<'a>(events: &'a [Value], item_type: &str) -> Vec<&'a Value> {
    of_type(events, "thread.item.done").into_iter().map(|e| &e["item"]).filter(|item| item["type"] == item_type).collect()
}

/// The texts of the finished assistant messages (their first part), in order.
pub fn replies(events: &[Value]) -> Vec<String> {
    done(events, "assistant_message").iter().map(|m| m["content"][0]["text"].as_str().unwrap_or_default().to_owned()).collect()
}

/// The text of the last finished assistant message.
///
/// # Panics
///
/// If there is none, showing the events.
pub fn reply(events: &[Value]) -> String {
    replies(events).pop().unwrap_or_else(|| panic!("no assistant message in {events:#?}"))
}

/// The finished widget items: (item id, widget), in order.
pub fn widgets(events: &[Value]) -> Vec<(String, Value)> {
    done(events, "widget").iter().map(|w| (w["id"].as_str().expect("an item has an id").to_owned(), w["widget"].clone())).collect()
}

/// The first finished widget item: (item id, widget).
///
/// # Panics
///
/// If there is none, showing the events.
pub fn widget(events: &[Value]) -> (String, Value) {
    widgets(events).into_iter().next().unwrap_or_else(|| panic!("no widget in {events:#?}"))
}

/// The data of the client effects named `name`, in order.
pub fn effects(events: &[Value], name: &str) -> Vec<Value> {
    of_type(events, "client_effect").into_iter().filter(|e| e["name"] == name).map(|e| e["data"].clone()).collect()
}

/// The texts of the progress updates, in order.
pub fn progress(events: &[Value]) -> Vec<String> {
    of_type(events, "progress_update").iter().filter_map(|e| e["text"].as_str().map(str::to_owned)).collect()
}
