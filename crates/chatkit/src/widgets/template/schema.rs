//! The `jsonSchema` of a template, compiled once; violations name the field they concern.

use serde_json::Value;

use super::WidgetPath;

/// A compiled `jsonSchema`; `None` inside when the schema accepts everything (`{}`).
pub(super) struct DataSchema(Option<jsonschema::Validator>);

impl DataSchema {
    pub(super) fn compile(schema: &Value) -> Result<Self, String> {
        let trivial = |m: &serde_json::Map<String, Value>| {
            m.keys().all(|k| matches!(k.as_str(), "$schema" | "$id" | "$comment" | "title" | "description"))
        };
        if schema.as_object().is_some_and(trivial) || schema == &Value::Bool(true) {
            return Ok(Self(None));
        }
        jsonschema::validator_for(schema).map(|v| Self(Some(v))).map_err(|e| {
            let at = e.instance_path().as_str();
            if at.is_empty() { e.to_string() } else { format!("{e} (at {at})") }
        })
    }

    /// Every way `data` breaks the schema, in document order.
    pub(super) fn violations(&self, data: &Value) -> Vec<SchemaViolation> {
        let Some(validator) = &self.0 else { return Vec::new() };
        validator
            .iter_errors(data)
            .map(|e| SchemaViolation {
                path: pointer_to_path(e.instance_path().as_str(), data),
                message: e.to_string(),
            })
            .collect()
    }
}

/// One way the data given to a template breaks its `jsonSchema`.
///
/// ```
/// use chatkit::widgets::WidgetTemplate;
/// let template = WidgetTemplate::from_str(r#"{"version": "1.0", "name": "n",
///     "template": "{\"type\": \"Card\", \"children\": []}",
///     "jsonSchema": {"type": "object", "properties": {"user": {"type": "object",
///         "properties": {"name": {"type": "string"}}}}}}"#).unwrap();
/// let violations = template.violations(&serde_json::json!({"user": {"name": 7}}));
/// assert_eq!(violations[0].to_string(), "user.name: 7 is not of type \"string\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaViolation {
    /// Where in the data, e.g. `items[2].name` (empty for the data itself).
    pub path: WidgetPath,
    /// What is wrong there.
    pub message: String,
}

impl std::fmt::Display for SchemaViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// `/items/2/name` → `items[2].name`, using the data to tell list indexes from keys.
fn pointer_to_path(pointer: &str, data: &Value) -> WidgetPath {
    let mut path = WidgetPath::default();
    let mut node = Some(data);
    for raw in pointer.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        match (node, segment.parse::<usize>()) {
            (Some(Value::Array(items)), Ok(i)) => {
                node = items.get(i);
                path.push_index(i);
            }
            (Some(Value::Object(map)), _) => {
                node = map.get(&segment);
                path.push_key(&segment);
            }
            _ => {
                node = None;
                path.push_key(&segment);
            }
        }
    }
    path
}
