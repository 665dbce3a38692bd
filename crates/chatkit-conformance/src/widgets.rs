//! The widget catalogue of APP.md §11.

use chatkit::WidgetRoot;
use serde_json::{Map, Value, json};

/// The colors of the list widget: key and label.
pub(crate) const COLORS: [(&str, &str); 3] = [("red", "Red"), ("green", "Green"), ("blue", "Blue")];
/// Steps of the wizard.
pub(crate) const WIZARD_STEPS: i64 = 3;
/// Names offered when `widget names` has none.
pub(crate) const DEFAULT_NAMES: [&str; 3] = ["Mochi", "Biscuit", "Pepper"];

fn root(value: Value) -> WidgetRoot {
    // Every builder below produces a Card or ListView object.
    WidgetRoot::from_value(value).expect("catalogue widgets are valid roots")
}

/// A typed action config with every default written out, as typed widgets serialize it.
fn action(kind: &str, payload: Option<Value>, handler: &str, streaming: bool) -> Value {
    let mut config = Map::new();
    config.insert("type".into(), kind.into());
    if let Some(payload) = payload {
        config.insert("payload".into(), payload);
    }
    config.insert("handler".into(), handler.into());
    config.insert("loadingBehavior".into(), "auto".into());
    config.insert("streaming".into(), streaming.into());
    Value::Object(config)
}

pub(crate) fn counter(count: i128) -> WidgetRoot {
    root(json!({
        "type": "Card", "key": "counter",
        "children": [
            {"type": "Text", "id": "count", "value": format!("Count: {count}")},
            {"type": "Button", "label": "Increment", "onClickAction": action("counter.increment", Some(json!({"by": 1})), "server", true)}
        ]
    }))
}

pub(crate) fn color_list(selected: Option<&str>) -> WidgetRoot {
    let children: Vec<Value> = COLORS
        .iter()
        .map(|(key, label)| {
            let chosen = selected == Some(*key);
            let mut text = json!({"type": "Text", "value": label});
            if chosen {
                text["weight"] = "semibold".into();
            }
            json!({
                "type": "ListViewItem", "key": key,
                "onClickAction": action("item.select", Some(json!({"id": key})), "server", true),
                "children": [{"type": "Row", "gap": 2, "children": [
                    {"type": "Icon", "name": if chosen { "check" } else { "dot" }}, text
                ]}]
            })
        })
        .collect();
    let status = match selected.and_then(|s| COLORS.iter().find(|(k, _)| *k == s)) {
        Some((_, label)) => format!("Selected: {label}"),
        None => "Pick a color".to_owned(),
    };
    root(json!({"type": "ListView", "key": "colors", "status": {"text": status}, "children": children}))
}

pub(crate) fn form() -> WidgetRoot {
    root(json!({
        "type": "Card", "key": "form",
        "children": [{
            "type": "Form", "direction": "col", "gap": 2,
            "onSubmitAction": action("form.submit", None, "server", true),
            "children": [
                {"type": "Input", "name": "name", "placeholder": "Your name", "required": true},
                {"type": "Select", "name": "size", "placeholder": "Size", "options": [
                    {"value": "s", "label": "Small"}, {"value": "m", "label": "Medium"}, {"value": "l", "label": "Large"}
                ]},
                {"type": "Button", "label": "Submit", "submit": true}
            ]
        }]
    }))
}

/// The card that replaces a submitted form: one line per field, sorted by name.
pub(crate) fn submitted(values: &[(String, String)]) -> WidgetRoot {
    let mut children = vec![json!({"type": "Title", "value": "Submitted"})];
    children.extend(values.iter().map(|(k, v)| json!({"type": "Text", "value": format!("{k}: {v}")})));
    root(json!({"type": "Card", "key": "form", "children": children}))
}

pub(crate) fn wizard(step: Option<i64>) -> WidgetRoot {
    let children = match step {
        None => vec![json!({"type": "Title", "value": "Done"})],
        Some(k) => vec![
            json!({"type": "Title", "value": format!("Step {k} of {WIZARD_STEPS}")}),
            json!({"type": "Button", "label": if k == WIZARD_STEPS { "Finish" } else { "Next" },
                   "onClickAction": action("wizard.next", Some(json!({"step": k})), "server", true)}),
        ],
    };
    root(json!({"type": "Card", "key": "wizard", "children": children}))
}

pub(crate) fn toggle(on: bool) -> WidgetRoot {
    root(json!({
        "type": "Card", "key": "toggle",
        "children": [
            {"type": "Text", "id": "light", "value": if on { "Light: on" } else { "Light: off" }},
            {"type": "Button", "label": "Flip", "onClickAction": action("toggle.flip", None, "server", false)}
        ]
    }))
}

pub(crate) fn typewriter(value: &str, streaming: bool) -> WidgetRoot {
    root(json!({
        "type": "Card", "key": "typewriter",
        "children": [{"type": "Text", "id": "tw", "value": value, "streaming": streaming}]
    }))
}

/// The names widget's template (`widgets/names.widget`, a version-1.0 widget template),
/// compiled once.
pub(crate) struct NamesTemplate(chatkit::widgets::WidgetTemplate);

impl NamesTemplate {
    pub(crate) fn load() -> Self {
        let template = chatkit::widgets::WidgetTemplate::from_str(include_str!("../widgets/names.widget"))
            .expect("names.widget is a valid template");
        Self(template)
    }

    /// The list of `names`, with `selected` marked (and every action removed) once chosen.
    /// Names must be non-empty strings (the template's jsonSchema); anything else is an error.
    pub(crate) fn render(&self, names: &[Value], selected: Option<&str>) -> Result<WidgetRoot, String> {
        self.0.build(&json!({"names": names, "selected": selected})).map_err(|e| e.to_string())
    }
}

/// The first component (depth first, root included) whose member `key` equals `value`.
pub(crate) fn find<'a>(widget: &'a WidgetRoot, key: &str, value: &str) -> Option<&'a Map<String, Value>> {
    fn walk<'a>(node: &'a Map<String, Value>, key: &str, value: &str) -> Option<&'a Map<String, Value>> {
        if node.get(key).and_then(Value::as_str) == Some(value) {
            return Some(node);
        }
        node.get("children")?.as_array()?.iter().filter_map(Value::as_object).find_map(|c| walk(c, key, value))
    }
    walk(widget.as_map(), key, value)
}
