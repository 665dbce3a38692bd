//! `.widget` templates: Jinja source that renders widget JSON, with a `jsonSchema` for its data.
//!
//! A `.widget` file (as written by the widget studio) is JSON:
//! `{"version": "1.0", "name": …, "template": …, "jsonSchema": {…}, "outputJsonPreview": {…},
//! "encodedWidget": …}`. [`WidgetTemplate`] compiles the template and the schema once; each
//! [`build`](WidgetTemplate::build) renders with the data, parses the JSON and checks it is a
//! widget tree, reporting the first problem with its place. Templates that are JSON with holes
//! (the usual kind) render straight into the widget's wire JSON (see `direct`); the others,
//! and every render that fails, go through minijinja.

mod data;
mod direct;
mod jinja;
mod reload;
mod schema;
mod shape;

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;

pub use self::reload::WatchedTemplate;
pub use self::schema::SchemaViolation;
use self::schema::DataSchema;
use super::{WidgetPath, WidgetRoot};

/// The name the compiled template has inside its environment.
const TEMPLATE: &str = "widget";

/// A compiled `.widget` template: parse once, render many.
///
/// Rendering follows the Python reference (`jinja2` with strict undefined and no autoescape):
/// a missing variable fails when used, `tojson` makes strings safe inside the JSON, and the
/// rendered JSON is checked as leniently as the reference does (unknown components and props
/// pass). Unlike the reference, [`build`](Self::build) first checks the data against the
/// template's `jsonSchema`; [`build_unchecked`](Self::build_unchecked) renders as the reference
/// does, without that check.
///
/// ```
/// use chatkit::widgets::WidgetTemplate;
/// use serde_json::json;
///
/// // Usually `WidgetTemplate::from_str(include_str!("greeting.widget"))` or `from_file`.
/// let template = WidgetTemplate::from_definition(json!({
///     "version": "1.0",
///     "name": "Greeting",
///     "template": r#"{"type": "Card", "children": [{"type": "Text", "value": {{ name|tojson }}}]}"#,
///     "jsonSchema": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
/// })).unwrap();
///
/// let card = template.build(&json!({"name": "Ada"})).unwrap();
/// assert_eq!(serde_json::to_string(&card).unwrap(),
///            r#"{"type":"Card","children":[{"type":"Text","value":"Ada"}]}"#);
///
/// let err = template.build(&json!({"name": 7})).unwrap_err();
/// assert_eq!(err.to_string(), "data does not match the jsonSchema of \"Greeting\": name: 7 is not of type \"string\"");
/// // The reference renders it anyway; so does build_unchecked.
/// assert!(template.build_unchecked(&json!({"name": 7})).is_ok());
/// ```
pub struct WidgetTemplate {
    name: String,
    env: minijinja::Environment<'static>,
    direct: Option<direct::Program>,
    json_schema: Value,
    schema: DataSchema,
    preview: Option<Value>,
    encoded: Option<String>,
}

impl std::fmt::Debug for WidgetTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WidgetTemplate").field("name", &self.name).finish_non_exhaustive()
    }
}

impl WidgetTemplate {
    /// Compiles the text of a `.widget` file, e.g. `include_str!("cards/order.widget")`.
    #[allow(clippy::should_implement_trait)] // FromStr is implemented too; this needs no import.
    pub fn from_str(source: &str) -> Result<Self, TemplateError> {
        let definition: Value = serde_json::from_str(source).map_err(|e| {
            TemplateError::Definition(format!("not JSON (line {}, column {}): {e}", e.line(), e.column()))
        })?;
        Self::from_definition(definition)
    }

    /// Reads and compiles a `.widget` file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, TemplateError> {
        let path = path.as_ref();
        let source =
            std::fs::read_to_string(path).map_err(|source| TemplateError::Io { path: path.to_owned(), source })?;
        Self::from_str(&source).map_err(|e| e.in_file(path))
    }

    /// Compiles a parsed `.widget` definition. Only `version` (`"1.0"`), `name`, `template` and
    /// `jsonSchema` matter for rendering; `outputJsonPreview` and `encodedWidget` are kept for
    /// [`preview`](Self::preview) and [`preview_data`](Self::preview_data).
    pub fn from_definition(definition: Value) -> Result<Self, TemplateError> {
        let Value::Object(mut fields) = definition else {
            return Err(TemplateError::Definition("a .widget file is a JSON object".into()));
        };
        match fields.get("version") {
            Some(Value::String(v)) if v == "1.0" => {}
            Some(other) => return Err(TemplateError::Version(other.to_string())),
            None => return Err(TemplateError::Definition("`version` is missing (use \"1.0\")".into())),
        }
        let name = match fields.remove("name") {
            Some(Value::String(name)) => name,
            _ => return Err(TemplateError::Definition("`name` must be a string".into())),
        };
        let Some(Value::String(source)) = fields.remove("template") else {
            return Err(TemplateError::Definition(format!("{name:?}: `template` must be a string of Jinja source")));
        };
        let json_schema = match fields.remove("jsonSchema") {
            None | Some(Value::Null) => Value::Object(Default::default()),
            Some(schema) => schema,
        };
        let schema =
            DataSchema::compile(&json_schema).map_err(|detail| TemplateError::Schema { name: name.clone(), detail })?;
        let direct = direct::Program::compile(&source);
        let mut env = jinja::environment();
        env.add_template_owned(TEMPLATE, source)
            .map_err(|e| TemplateError::Syntax { name: name.clone(), detail: describe(&e) })?;
        let preview = fields.remove("outputJsonPreview").filter(|v| !v.is_null());
        let encoded = match fields.remove("encodedWidget") {
            Some(Value::String(s)) => Some(s),
            _ => None,
        };
        Ok(Self { name, env, direct, json_schema, schema, preview, encoded })
    }

    /// The template's `name`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The template's `jsonSchema` (`{}` when it has none).
    pub fn json_schema(&self) -> &Value {
        &self.json_schema
    }

    /// The widget the authoring tool showed for this template (`outputJsonPreview`), if any.
    pub fn preview(&self) -> Option<&Value> {
        self.preview.as_ref()
    }

    /// The data the authoring tool rendered the preview with (`defaultState` inside
    /// `encodedWidget`), if the file carries it.
    pub fn preview_data(&self) -> Option<Value> {
        let encoded = self.encoded.as_deref()?.trim_end_matches('=');
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(encoded)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded))
            .ok()?;
        let mut decoded: Value = serde_json::from_slice(&bytes).ok()?;
        decoded.get_mut("defaultState").map(Value::take)
    }

    /// Every way `data` breaks the template's `jsonSchema` (empty when it fits).
    pub fn violations(&self, data: &impl Serialize) -> Vec<SchemaViolation> {
        match serde_json::to_value(data) {
            Ok(value) => self.schema.violations(&value),
            Err(e) => vec![SchemaViolation { path: WidgetPath::default(), message: format!("not JSON data: {e}") }],
        }
    }

    /// Checks `data` against the `jsonSchema`, then renders the widget.
    pub fn build(&self, data: &impl Serialize) -> Result<WidgetRoot, TemplateError> {
        let violations = match serde_json::to_value(data) {
            Ok(value) => {
                let violations = self.schema.violations(&value);
                if violations.is_empty()
                    && let Some(root) = self.build_direct(&value)
                {
                    return Ok(root);
                }
                violations
            }
            Err(e) => vec![SchemaViolation { path: WidgetPath::default(), message: format!("not JSON data: {e}") }],
        };
        if !violations.is_empty() {
            return Err(TemplateError::Data { name: self.name.clone(), violations });
        }
        self.build_rendered(data)
    }

    /// Renders the widget without checking the data against the `jsonSchema`, as the reference
    /// does.
    pub fn build_unchecked(&self, data: &impl Serialize) -> Result<WidgetRoot, TemplateError> {
        if let Some(root) = self.build_direct(data) {
            return Ok(root);
        }
        self.build_rendered(data)
    }

    /// The widget rendered straight into the tree, when the template allows it and the render
    /// succeeds; `None` leaves the render (and any error) to minijinja. Data the direct renderer
    /// does not read as it is (rare: see `data`) is converted by `serde_json::to_value` first.
    fn build_direct(&self, data: &(impl Serialize + ?Sized)) -> Option<WidgetRoot> {
        let program = self.direct.as_ref()?;
        let data = match program.data(data) {
            Some(data) => data,
            None => program.data(&serde_json::to_value(data).ok()?)?,
        };
        let rendered = program.render(&data);
        direct::recycle(data);
        let (wire, kind) = rendered.ok()?;
        Some(WidgetRoot::from_wire(wire, kind))
    }

    /// Renders through minijinja, parses the text and checks the widget.
    fn build_rendered(&self, data: &impl Serialize) -> Result<WidgetRoot, TemplateError> {
        let text = self.render(data)?;
        self.decode(&text)
    }

    /// Renders the template to text, without parsing it.
    pub fn render(&self, data: &impl Serialize) -> Result<String, TemplateError> {
        let context = minijinja::Value::from_serialize(data);
        let context = match context.kind() {
            minijinja::value::ValueKind::Map => context,
            minijinja::value::ValueKind::None | minijinja::value::ValueKind::Undefined => {
                minijinja::Value::from_iter(std::iter::empty::<(String, minijinja::Value)>())
            }
            other => {
                return Err(TemplateError::Render {
                    name: self.name.clone(),
                    detail: format!("the data must be a JSON object (its members are the template's variables), not {other}"),
                });
            }
        };
        let template = self.env.get_template(TEMPLATE).map_err(|e| self.render_error(&e, ""))?;
        template.render(context).map_err(|e| self.render_error(&e, template.source()))
    }

    /// Parses rendered text into a widget root, checking its shape.
    fn decode(&self, text: &str) -> Result<WidgetRoot, TemplateError> {
        let value: Value = serde_json::from_str(text).map_err(|e| TemplateError::Json {
            name: self.name.clone(),
            line: e.line(),
            column: e.column(),
            reason: e.to_string(),
            excerpt: excerpt(text, e.line(), e.column()),
        })?;
        shape::check_root(&value).map_err(|(path, reason)| TemplateError::Widget { name: self.name.clone(), path, reason })?;
        WidgetRoot::from_value(value)
            .map_err(|e| TemplateError::Widget { name: self.name.clone(), path: WidgetPath::default(), reason: e.0 })
    }

    fn render_error(&self, err: &minijinja::Error, source: &str) -> TemplateError {
        let mut detail = describe(err);
        if let Some(code) = err.range().and_then(|r| source.get(r)) {
            let code: String = code.chars().take(80).collect();
            detail.push_str(&format!(", in `{code}`"));
        }
        TemplateError::Render { name: self.name.clone(), detail }
    }
}

impl std::str::FromStr for WidgetTemplate {
    type Err = TemplateError;
    fn from_str(source: &str) -> Result<Self, TemplateError> {
        WidgetTemplate::from_str(source)
    }
}

/// A minijinja error with its line and its cause, on one line.
fn describe(err: &minijinja::Error) -> String {
    let mut text = match err.detail() {
        Some(detail) => format!("{}: {detail}", err.kind()),
        None => err.kind().to_string(),
    };
    if let Some(line) = err.line() {
        text.push_str(&format!(" (template line {line})"));
    }
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// Up to 30 characters either side of a position in the rendered text.
fn excerpt(text: &str, line: usize, column: usize) -> String {
    let Some(row) = text.lines().nth(line.saturating_sub(1)) else { return String::new() };
    let chars: Vec<char> = row.chars().collect();
    // serde_json counts columns in bytes; near enough for an excerpt of mostly-ASCII JSON.
    let at = column.min(chars.len());
    let start = at.saturating_sub(30);
    let end = (at + 30).min(chars.len());
    chars[start..end].iter().collect()
}

/// Why a `.widget` template could not be loaded, or could not render a widget.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a `.widget` definition.
    #[error("not a .widget file: {0}")]
    Definition(String),
    /// The file is in another format version.
    #[error("unsupported widget spec version {0}; only \"1.0\" is supported")]
    Version(String),
    /// The `.widget` file at `path` is invalid.
    #[error("{}: {inner}", path.display())]
    InFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        inner: Box<TemplateError>,
    },
    /// The Jinja source does not compile.
    #[error("template {name:?} does not compile: {detail}")]
    Syntax {
        /// The template's name.
        name: String,
        /// The compiler's message, with the line.
        detail: String,
    },
    /// `jsonSchema` is not a valid JSON Schema.
    #[error("template {name:?}: jsonSchema is not a valid JSON Schema: {detail}")]
    Schema {
        /// The template's name.
        name: String,
        /// What is wrong with the schema.
        detail: String,
    },
    /// The data breaks the template's `jsonSchema`.
    #[error("data does not match the jsonSchema of {name:?}: {}", list(violations))]
    Data {
        /// The template's name.
        name: String,
        /// Every violation, with the field it concerns.
        violations: Vec<SchemaViolation>,
    },
    /// Rendering failed (an undefined variable, a filter error, …).
    #[error("template {name:?} failed to render: {detail}")]
    Render {
        /// The template's name.
        name: String,
        /// The engine's message, with the template line.
        detail: String,
    },
    /// The rendered text is not JSON (often a value interpolated without `|tojson`).
    #[error("template {name:?} rendered invalid JSON at line {line}, column {column}: {reason}; near `{excerpt}`")]
    Json {
        /// The template's name.
        name: String,
        /// Line in the rendered text (1-based).
        line: usize,
        /// Column in the rendered text (1-based).
        column: usize,
        /// The parser's message.
        reason: String,
        /// The rendered text around the error.
        excerpt: String,
    },
    /// The rendered JSON is not a widget tree.
    #[error("template {name:?} rendered an invalid widget at {path}: {reason}")]
    Widget {
        /// The template's name.
        name: String,
        /// Where in the rendered tree.
        path: WidgetPath,
        /// What is wrong there.
        reason: String,
    },
}

impl TemplateError {
    fn in_file(self, path: &Path) -> Self {
        match self {
            e @ (TemplateError::Io { .. } | TemplateError::InFile { .. }) => e,
            e => TemplateError::InFile { path: path.to_owned(), inner: Box::new(e) },
        }
    }
}

fn list(violations: &[SchemaViolation]) -> String {
    violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn template(source: &str) -> WidgetTemplate {
        WidgetTemplate::from_definition(json!({"version": "1.0", "name": "t", "template": source})).expect("compiles")
    }

    #[test]
    fn definition_errors() {
        let err = WidgetTemplate::from_definition(json!({"version": "2.0", "name": "t", "template": "{}"})).unwrap_err();
        assert_eq!(err.to_string(), "unsupported widget spec version \"2.0\"; only \"1.0\" is supported");
        let err = WidgetTemplate::from_definition(json!({"version": "1.0", "name": "t", "template": "{% if %}"})).unwrap_err();
        assert!(matches!(err, TemplateError::Syntax { .. }), "{err}");
        let err = WidgetTemplate::from_definition(json!({"version": "1.0", "name": "t", "template": "{}", "jsonSchema": {"type": 5}}))
            .unwrap_err();
        assert!(matches!(err, TemplateError::Schema { .. }), "{err}");
        assert!(WidgetTemplate::from_str("{").is_err());
    }

    #[test]
    fn render_errors_say_where() {
        let t = template("{\"type\": \"Card\",\n \"children\": [{\"type\": \"Text\", \"value\": \"{{ v }}\"}]}");
        let err = t.build_unchecked(&json!({"v": "say \"hi\""})).unwrap_err();
        assert!(matches!(err, TemplateError::Json { line: 2, .. }), "{err}");
        assert!(err.to_string().contains("near `"), "{err}");

        let err = t.build_unchecked(&json!({})).unwrap_err();
        assert!(matches!(err, TemplateError::Render { .. }), "{err}");
        assert!(err.to_string().contains("undefined"), "{err}");
        assert!(err.to_string().contains("in `v`"), "the failing expression is quoted: {err}");

        let t = template(r#"{"type": "Card", "children": [{"type": "Row", "children": [{{ c|tojson }}]}]}"#);
        let err = t.build_unchecked(&json!({"c": {"value": 1}})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "template \"t\" rendered an invalid widget at children[0].children[0].type: every component needs a `type`"
        );
        let err = t.render(&json!([1])).unwrap_err();
        assert!(err.to_string().contains("must be a JSON object"), "{err}");
    }

    #[test]
    fn nulls_are_dropped_and_unknown_props_kept() {
        let t = template(r#"{"type": "Card", "children": [{"type": "Fancy", "glow": {{ g|tojson }}, "x": null}], "size": null}"#);
        let root = t.build_unchecked(&json!({"g": [1, null]})).expect("renders");
        assert_eq!(serde_json::to_value(&root).expect("json"), json!({"type": "Card", "children": [{"type": "Fancy", "glow": [1]}]}));
    }

    #[test]
    fn no_data_is_an_empty_context() {
        let t = template(r#"{"type": "Basic", "children": []}"#);
        assert_eq!(t.build(&()).expect("renders").kind(), "Basic");
        assert_eq!(t.build(&Value::Null).expect("renders").kind(), "Basic");
    }

    #[test]
    fn preview_data_is_decoded() {
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"defaultState": {"name": "Ada"}}"#);
        let t = WidgetTemplate::from_definition(json!({"version": "1.0", "name": "t", "template": "{}",
            "encodedWidget": encoded, "outputJsonPreview": {"type": "Card", "children": []}}))
        .expect("compiles");
        assert_eq!(t.preview_data(), Some(json!({"name": "Ada"})));
        assert_eq!(t.preview(), Some(&json!({"type": "Card", "children": []})));
    }
}
