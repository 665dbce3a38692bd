//! Update events between two versions of a widget, as the reference computes them.

use serde_json::{Map, Value};

use super::WidgetRoot;
use crate::ThreadItemUpdate;

/// Two widget versions cannot be streamed as an update.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    /// A streaming text component with an id disappeared or appeared.
    #[error("component `{0}` was not present when the widget was first rendered; components with an id must persist across updates")]
    NewComponent(String),
    /// A streaming text changed in a way that is not an append.
    #[error("component `{0}` got a value that does not extend the previous one; streamed text must only grow")]
    NotAnAppend(String),
}

/// The updates that turn `before` into `after`.
///
/// Appends to the `value` of `Text`/`Markdown` components that have an `id` become
/// `widget.streaming_text.value_delta` updates; any other change replaces the whole root
/// (`widget.root.updated`). Identical widgets give no update.
///
/// ```
/// use chatkit::{WidgetRoot, ThreadItemUpdate, widgets::diff_widget};
/// let text = |v: &str| WidgetRoot::from_value(serde_json::json!(
///     {"type":"Card","children":[{"type":"Text","id":"t","value":v,"streaming":true}]})).unwrap();
/// let updates = diff_widget(&text("Hel"), &text("Hello")).unwrap();
/// assert_eq!(updates, vec![ThreadItemUpdate::WidgetTextDelta {
///     component_id: "t".into(), delta: "lo".into(), done: false,
/// }]);
/// ```
pub fn diff_widget(before: &WidgetRoot, after: &WidgetRoot) -> Result<Vec<ThreadItemUpdate>, DiffError> {
    if component_differs(before.as_map(), after.as_map()) {
        return Ok(vec![ThreadItemUpdate::WidgetRootUpdated { widget: after.clone() }]);
    }
    let mut before_texts = Vec::new();
    collect_streaming_texts(before.as_map(), &mut before_texts);
    let mut after_texts = Vec::new();
    collect_streaming_texts(after.as_map(), &mut after_texts);

    let mut updates = Vec::new();
    for (id, node) in after_texts {
        let Some((_, old)) = before_texts.iter().find(|(old_id, _)| *old_id == id) else {
            return Err(DiffError::NewComponent(id.to_owned()));
        };
        let old_value = text_value(old);
        let new_value = text_value(node);
        if old_value == new_value {
            continue;
        }
        let Some(delta) = new_value.strip_prefix(old_value) else {
            return Err(DiffError::NotAnAppend(id.to_owned()));
        };
        let streaming = node.get("streaming").and_then(Value::as_bool).unwrap_or(false);
        updates.push(ThreadItemUpdate::WidgetTextDelta {
            component_id: id.to_owned(),
            delta: delta.to_owned(),
            done: !streaming,
        });
    }
    Ok(updates)
}

fn is_streaming_text(node: &Map<String, Value>) -> bool {
    matches!(node.get("type").and_then(Value::as_str), Some("Text" | "Markdown"))
        && matches!(node.get("value"), Some(Value::String(_)))
}

fn text_value(node: &Map<String, Value>) -> &str {
    node.get("value").and_then(Value::as_str).unwrap_or_default()
}

fn component_differs(before: &Map<String, Value>, after: &Map<String, Value>) -> bool {
    for key in ["type", "id", "key"] {
        if before.get(key) != after.get(key) {
            return true;
        }
    }
    let streaming_texts = is_streaming_text(before) && is_streaming_text(after);
    let keys = before.keys().chain(after.keys().filter(|k| !before.contains_key(*k)));
    for key in keys {
        if streaming_texts && key == "value" && text_value(after).starts_with(text_value(before)) {
            continue;
        }
        if value_differs(before.get(key), after.get(key)) {
            return true;
        }
    }
    false
}

fn value_differs(before: Option<&Value>, after: Option<&Value>) -> bool {
    match (before, after) {
        (Some(Value::Array(b)), Some(Value::Array(a))) => {
            b.len() != a.len() || b.iter().zip(a).any(|(b, a)| value_differs(Some(b), Some(a)))
        }
        // Nested components compare recursively, so their own text may grow.
        (Some(Value::Object(b)), Some(Value::Object(a))) => component_differs(b, a),
        (b, a) => b != a,
    }
}

fn collect_streaming_texts<'a>(node: &'a Map<String, Value>, out: &mut Vec<(&'a str, &'a Map<String, Value>)>) {
    if is_streaming_text(node) {
        if let Some(id) = node.get("id").and_then(Value::as_str).filter(|id| !id.is_empty()) {
            out.push((id, node));
        }
    }
    match node.get("children") {
        Some(Value::Array(children)) => {
            for child in children.iter().filter_map(Value::as_object) {
                collect_streaming_texts(child, out);
            }
        }
        Some(Value::Object(child)) => collect_streaming_texts(child, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn root(value: Value) -> WidgetRoot {
        WidgetRoot::from_value(value).expect("valid widget")
    }

    fn card(text: Value) -> WidgetRoot {
        root(json!({"type": "Card", "children": [text]}))
    }

    #[test]
    fn identical_widgets_have_no_updates() {
        let w = card(json!({"type": "Text", "id": "t", "value": "a"}));
        assert_eq!(diff_widget(&w, &w).unwrap(), vec![]);
    }

    #[test]
    fn append_while_streaming_is_one_delta() {
        let a = card(json!({"type": "Text", "id": "t", "value": "Hel", "streaming": true}));
        let b = card(json!({"type": "Text", "id": "t", "value": "Hello", "streaming": true}));
        assert_eq!(
            diff_widget(&a, &b).unwrap(),
            vec![ThreadItemUpdate::WidgetTextDelta { component_id: "t".into(), delta: "lo".into(), done: false }]
        );
    }

    #[test]
    fn streaming_flag_change_replaces_root() {
        let a = card(json!({"type": "Text", "id": "t", "value": "Hel", "streaming": true}));
        let b = card(json!({"type": "Text", "id": "t", "value": "Hello", "streaming": false}));
        assert_eq!(diff_widget(&a, &b).unwrap(), vec![ThreadItemUpdate::WidgetRootUpdated { widget: b.clone() }]);
    }

    #[test]
    fn non_prefix_change_replaces_root() {
        let a = card(json!({"type": "Text", "value": "abc"}));
        let b = card(json!({"type": "Text", "value": "xyz"}));
        assert!(matches!(diff_widget(&a, &b).unwrap()[..], [ThreadItemUpdate::WidgetRootUpdated { .. }]));
    }

    #[test]
    fn append_without_id_gives_no_event() {
        let a = card(json!({"type": "Text", "value": "ab"}));
        let b = card(json!({"type": "Text", "value": "abc"}));
        assert_eq!(diff_widget(&a, &b).unwrap(), vec![]);
    }

    #[test]
    fn missing_streaming_flag_means_done() {
        let a = card(json!({"type": "Markdown", "id": "m", "value": "a"}));
        let b = card(json!({"type": "Markdown", "id": "m", "value": "ab"}));
        assert_eq!(
            diff_widget(&a, &b).unwrap(),
            vec![ThreadItemUpdate::WidgetTextDelta { component_id: "m".into(), delta: "b".into(), done: true }]
        );
    }

    #[test]
    fn two_streaming_texts_give_two_deltas() {
        let w = |x: &str, y: &str| {
            root(json!({"type": "Card", "children": [
                {"type": "Text", "id": "a", "value": x, "streaming": true},
                {"type": "Col", "children": [{"type": "Text", "id": "b", "value": y, "streaming": true}]}
            ]}))
        };
        let updates = diff_widget(&w("1", "x"), &w("12", "xy")).unwrap();
        assert_eq!(updates.len(), 2);
    }

    #[test]
    fn action_change_replaces_root() {
        let w = |by: i64| {
            root(json!({"type": "Card", "children": [{"type": "Button", "label": "+",
                "onClickAction": {"type": "add", "payload": {"by": by}, "handler": "server"}}]}))
        };
        assert!(matches!(diff_widget(&w(1), &w(2)).unwrap()[..], [ThreadItemUpdate::WidgetRootUpdated { .. }]));
    }
}
