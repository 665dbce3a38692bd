//! The lenient shape check the reference applies to rendered templates (its
//! `DynamicWidgetRoot`): every component is an object with a string `type`, `key` and `id` are
//! strings when present, and `children` is one component or a list of them. Unknown component
//! types and props pass through.

use serde_json::{Map, Value};

use super::WidgetPath;
use crate::widgets::ROOT_TYPES;

/// Checks a rendered tree; the error names the path of the first offending member.
pub(super) fn check_root(value: &Value) -> Result<(), (WidgetPath, String)> {
    let mut path = WidgetPath::default();
    let Value::Object(root) = value else {
        return Err((path, format!("a widget root must be a JSON object, not {}", kind(value))));
    };
    match root.get("type") {
        Some(Value::String(t)) if ROOT_TYPES.contains(&t.as_str()) => {}
        Some(Value::String(t)) => {
            path.push_name("type");
            return Err((path, format!("`{t}` cannot be a widget root; use Card, ListView or Basic")));
        }
        other => {
            path.push_name("type");
            return Err((path, missing_type(other)));
        }
    }
    check_members(root, &mut path)
}

fn check_component(value: &Value, path: &mut WidgetPath) -> Result<(), (WidgetPath, String)> {
    let Value::Object(node) = value else {
        return Err((path.clone(), format!("a component must be a JSON object, not {}", kind(value))));
    };
    match node.get("type") {
        Some(Value::String(_)) => {}
        other => {
            path.push_name("type");
            return Err((path.clone(), missing_type(other)));
        }
    }
    check_members(node, path)
}

fn check_members(node: &Map<String, Value>, path: &mut WidgetPath) -> Result<(), (WidgetPath, String)> {
    // One pass over the (few) members instead of three hashed look-ups; the checks still run
    // in the order key, id, children.
    let (mut key, mut id, mut children) = (None, None, None);
    for (name, value) in node {
        match name.as_str() {
            "key" => key = Some(value),
            "id" => id = Some(value),
            "children" => children = Some(value),
            _ => {}
        }
    }
    for (name, value) in [("key", key), ("id", id)] {
        match value {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(other) => {
                path.push_name(name);
                return Err((path.clone(), format!("must be a string, not {}", kind(other))));
            }
        }
    }
    match children {
        None | Some(Value::Null) => Ok(()),
        Some(child @ Value::Object(_)) => {
            path.push_name("children");
            check_component(child, path)?;
            path.pop();
            Ok(())
        }
        Some(Value::Array(children)) => {
            path.push_name("children");
            for (i, child) in children.iter().enumerate() {
                path.push_index(i);
                check_component(child, path)?;
                path.pop();
            }
            path.pop();
            Ok(())
        }
        Some(other) => {
            path.push_name("children");
            Err((path.clone(), format!("must be a component or a list of components, not {}", kind(other))))
        }
    }
}

fn missing_type(found: Option<&Value>) -> String {
    match found {
        None => "every component needs a `type`".to_owned(),
        Some(other) => format!("`type` must be a string, not {}", kind(other)),
    }
}

/// The JSON kind of a value, for messages.
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn error(value: Value) -> String {
        let (path, reason) = check_root(&value).expect_err("invalid");
        format!("{path}: {reason}")
    }

    #[test]
    fn lenient_like_the_reference() {
        check_root(&json!({"type": "Card", "children": [{"type": "NoSuchThing", "odd": [1]}], "extra": {"x": null}}))
            .expect("unknown types and props pass");
        check_root(&json!({"type": "Basic", "children": {"type": "Text", "value": "one child"}})).expect("one child");
    }

    #[test]
    fn errors_name_the_path() {
        assert_eq!(error(json!([])), "(root): a widget root must be a JSON object, not a list");
        assert_eq!(error(json!({"type": "Text"})), "type: `Text` cannot be a widget root; use Card, ListView or Basic");
        assert_eq!(
            error(json!({"type": "Card", "children": [{"type": "Row", "children": [{"type": "Text"}, {"value": 1}]}]})),
            "children[0].children[1].type: every component needs a `type`"
        );
        assert_eq!(error(json!({"type": "Card", "children": [1]})), "children[0]: a component must be a JSON object, not a number");
        assert_eq!(error(json!({"type": "Card", "id": 3})), "id: must be a string, not a number");
        assert_eq!(error(json!({"type": "Card", "children": "x"})), "children: must be a component or a list of components, not a string");
    }
}
