//! The widget tree as it travels on the wire.

use std::sync::OnceLock;

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
///
/// A root rendered from a template is held as its wire JSON, which is what serializing it
/// writes; the tree ([`as_map`](Self::as_map)) is parsed from that text the first time it is
/// asked for.
#[derive(Clone)]
pub struct WidgetRoot {
    /// The root type, one of [`ROOT_TYPES`].
    kind: &'static str,
    /// The tree; parsed from `wire` on first use when the root was rendered as text.
    tree: OnceLock<Map<String, Value>>,
    /// The wire JSON (compact, `null`s dropped), when the root was rendered as text.
    wire: Option<Box<str>>,
}

/// The root types a widget item may have.
pub const ROOT_TYPES: &[&str] = &["Card", "ListView", "Basic"];

impl WidgetRoot {
    /// Validates JSON as a widget root: an object whose `type` is a root type.
    pub fn from_value(value: Value) -> Result<Self, InvalidWidget> {
        let Value::Object(mut map) = value else {
            return Err(InvalidWidget("a widget root must be a JSON object".into()));
        };
        let kind = match map.get("type") {
            Some(Value::String(kind)) => match ROOT_TYPES.iter().find(|root| *root == kind) {
                Some(root) => *root,
                None => {
                    return Err(InvalidWidget(format!(
                        "`{kind}` cannot be a widget root; use Card, ListView or Basic"
                    )));
                }
            },
            _ => return Err(InvalidWidget("a widget root needs a string `type` (Card, ListView or Basic)".into())),
        };
        strip_nulls_in_map(&mut map);
        Ok(Self { kind, tree: OnceLock::from(map), wire: None })
    }

    /// A root from its wire JSON, as the template renderer writes it: a compact object whose
    /// `type` is `kind`, already checked and without the `null`s [`from_value`](Self::from_value)
    /// drops.
    pub(crate) fn from_wire(wire: String, kind: &'static str) -> Self {
        Self { kind, tree: OnceLock::new(), wire: Some(wire.into_boxed_str()) }
    }

    /// The root type: `Card`, `ListView` or `Basic`.
    pub fn kind(&self) -> &str {
        self.kind
    }

    /// The tree as a JSON object.
    pub fn as_map(&self) -> &Map<String, Value> {
        self.tree.get_or_init(|| {
            let wire = self.wire.as_deref().unwrap_or("{}");
            serde_json::from_str(wire).expect("the wire JSON of a rendered widget is a JSON object")
        })
    }

    /// The tree as JSON.
    pub fn to_value(&self) -> Value {
        Value::Object(self.as_map().clone())
    }

    /// Unwraps the tree.
    pub fn into_value(mut self) -> Value {
        self.as_map();
        Value::Object(self.tree.take().unwrap_or_default())
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
        walk(self.as_map(), id)
    }
}

impl Serialize for WidgetRoot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (&self.wire, self.tree.get()) {
            (Some(wire), _) => serde_json::value::RawValue::from_string(wire.to_string())
                .map_err(serde::ser::Error::custom)?
                .serialize(s),
            (None, tree) => tree.unwrap_or(&Map::new()).serialize(s),
        }
    }
}

impl PartialEq for WidgetRoot {
    fn eq(&self, other: &Self) -> bool {
        self.as_map() == other.as_map()
    }
}

impl std::fmt::Debug for WidgetRoot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("WidgetRoot").field(self.as_map()).finish()
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
