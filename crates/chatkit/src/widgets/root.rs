//! The widget tree as it travels on the wire.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The root of a widget tree (`Card`, `ListView` or `Basic`), kept as JSON.
///
/// Widget trees are stored and sent verbatim, so props this library does not know survive
/// every round trip. `null` members are dropped, as the reference does, except inside action
/// `payload`s, which reach the app exactly as the widget declared them.
///
/// Build one from typed components (`Card::new()…`), from a `.widget` template, or from JSON:
///
/// ```
/// use chatkit::WidgetRoot;
/// let root = WidgetRoot::from_value(serde_json::json!({
///     "type": "Card",
///     "children": [{"type": "Text", "value": "Hi", "color": null}]
/// })).unwrap();
/// assert_eq!(root.kind(), "Card");
/// assert_eq!(serde_json::to_string(&root).unwrap(), r#"{"type":"Card","children":[{"type":"Text","value":"Hi"}]}"#);
/// assert!(WidgetRoot::from_value(serde_json::json!({"type": "Text"})).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct WidgetRoot(Map<String, Value>);

/// The root types a widget item may have.
pub const ROOT_TYPES: &[&str] = &["Card", "ListView", "Basic"];

impl WidgetRoot {
    /// Validates JSON as a widget root: an object whose `type` is a root type.
    pub fn from_value(value: Value) -> Result<Self, InvalidWidget> {
        let Value::Object(mut map) = value else {
            return Err(InvalidWidget("a widget root must be a JSON object".into()));
        };
        match map.get("type") {
            Some(Value::String(kind)) if ROOT_TYPES.contains(&kind.as_str()) => {}
            Some(Value::String(kind)) => {
                return Err(InvalidWidget(format!(
                    "`{kind}` cannot be a widget root; use Card, ListView or Basic"
                )));
            }
            _ => return Err(InvalidWidget("a widget root needs a string `type` (Card, ListView or Basic)".into())),
        }
        strip_nulls_in_map(&mut map);
        Ok(Self(map))
    }

    /// The root type: `Card`, `ListView` or `Basic`.
    pub fn kind(&self) -> &str {
        self.0.get("type").and_then(Value::as_str).unwrap_or_default()
    }

    /// The tree as a JSON object.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// The tree as JSON.
    pub fn to_value(&self) -> Value {
        Value::Object(self.0.clone())
    }

    /// Unwraps the tree.
    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }

    /// Finds the first component (depth first) with this `id`.
    pub fn find(&self, id: &str) -> Option<&Map<String, Value>> {
        fn walk<'a>(node: &'a Map<String, Value>, id: &str) -> Option<&'a Map<String, Value>> {
            if node.get("id").and_then(Value::as_str) == Some(id) {
                return Some(node);
            }
            match node.get("children") {
                Some(Value::Array(children)) => children
                    .iter()
                    .filter_map(Value::as_object)
                    .find_map(|child| walk(child, id)),
                Some(Value::Object(child)) => walk(child, id),
                _ => None,
            }
        }
        walk(&self.0, id)
    }
}

impl<'de> Deserialize<'de> for WidgetRoot {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        WidgetRoot::from_value(Value::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<Value> for WidgetRoot {
    type Error = InvalidWidget;
    fn try_from(value: Value) -> Result<Self, InvalidWidget> {
        WidgetRoot::from_value(value)
    }
}

/// JSON that is not a valid widget root.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid widget: {0}")]
pub struct InvalidWidget(pub String);

fn strip_nulls_in_map(map: &mut Map<String, Value>) {
    map.retain(|_, v| !v.is_null());
    for (key, value) in map.iter_mut() {
        if key != "payload" {
            strip_nulls(value);
        }
    }
}

fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => strip_nulls_in_map(map),
        Value::Array(items) => {
            items.retain(|v| !v.is_null());
            items.iter_mut().for_each(strip_nulls);
        }
        _ => {}
    }
}
