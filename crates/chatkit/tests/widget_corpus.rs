//! Every golden widget of the kit's corpus (rendered by the Python reference) parses into typed
//! components and serializes back to the same JSON, directly and through `WidgetRoot`.

use std::path::PathBuf;

use chatkit::WidgetRoot;
use chatkit::widgets::{Component, Widget};
use serde_json::Value;

/// The widget kit: `CHATKIT_KIT_DIR`, else `../shared` next to the checkout, else the vendored copy.
fn kit_widgets() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let kit = match std::env::var("CHATKIT_KIT_DIR") {
        Ok(dir) => PathBuf::from(dir),
        Err(_) if root.join("../shared/conformance/run.py").exists() => root.join("../shared"),
        Err(_) => root.join("tests/kit"),
    };
    kit.join("widgets")
}

fn goldens() -> Vec<(String, Value)> {
    let dir = kit_widgets().join("expected");
    let mut goldens: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("reading {}: {err}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a readable golden");
            let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).expect("a golden is JSON"))
        })
        .collect();
    goldens.sort_by(|a, b| a.0.cmp(&b.0));
    goldens
}

fn count(value: &Value, kinds: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(kind)) = map.get("type") {
                if map.contains_key("value") || map.contains_key("children") || kind.chars().next().is_some_and(char::is_uppercase) {
                    kinds.insert(kind.clone());
                }
            }
            map.iter().filter(|(k, _)| *k != "payload").for_each(|(_, v)| count(v, kinds));
        }
        Value::Array(items) => items.iter().for_each(|v| count(v, kinds)),
        _ => {}
    }
}

#[test]
fn every_golden_round_trips_through_typed_components() {
    let goldens = goldens();
    assert!(goldens.len() >= 50, "found only {} goldens in {}", goldens.len(), kit_widgets().display());
    let failures: Vec<String> = goldens
        .iter()
        .filter_map(|(name, golden)| Widget::from_value(golden.clone()).err().map(|err| format!("{name}: {err}")))
        .collect();
    assert!(failures.is_empty(), "goldens that do not parse:\n{}", failures.join("\n"));
    let mut kinds = std::collections::BTreeSet::new();
    for (name, golden) in &goldens {
        let widget = Widget::from_value(golden.clone()).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(&widget.to_value(), golden, "{name}: typed round trip");
        assert_eq!(serde_json::to_value(&widget).expect("serializes"), *golden, "{name}: serde round trip");

        let root = WidgetRoot::from_value(golden.clone()).expect("a golden is a valid root");
        let typed = Widget::try_from(&root).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(WidgetRoot::from(typed), root, "{name}: WidgetRoot round trip");

        let as_component: Component = serde_json::from_value(golden.clone()).expect("a root is a component");
        assert_eq!(serde_json::to_value(&as_component).expect("serializes"), *golden, "{name}: component round trip");
        count(golden, &mut kinds);
    }
    // The corpus exercises most families; the custom fallback keeps the unknown one.
    for kind in ["Card", "ListView", "Basic", "ListViewItem", "Box", "Row", "Col", "Form", "Text", "Button", "Icon", "Image", "NoSuchComponent"] {
        assert!(kinds.contains(kind), "the corpus no longer has a {kind}");
    }
}

#[test]
fn goldens_with_a_broken_member_are_rejected_with_its_path() {
    let goldens = goldens();
    let (name, golden) = goldens
        .iter()
        .find(|(name, _)| name.starts_with("customer-support__flight_options"))
        .expect("the flight options golden");
    let mut broken = golden.clone();
    // The first Box of the first row gets an invalid border style.
    let border = find_member(&mut broken, "border").unwrap_or_else(|| panic!("{name} has a border"));
    let path = border.0.clone();
    border.1["style"] = Value::String("wavy".into());
    let err = Widget::from_value(broken).expect_err("an invalid border style");
    assert!(err.to_string().starts_with(&format!("{path}: ")), "{err} (expected the path {path})");
}

/// The first member called `key` (depth first), with its path as errors print it.
fn find_member<'a>(value: &'a mut Value, key: &str) -> Option<(String, &'a mut Value)> {
    fn walk<'a>(value: &'a mut Value, key: &str, path: String) -> Option<(String, &'a mut Value)> {
        match value {
            Value::Object(map) => {
                if map.contains_key(key) {
                    let path = if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
                    return map.get_mut(key).map(|v| (path, v));
                }
                for (k, v) in map.iter_mut() {
                    let child = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    if let Some(found) = walk(v, key, child) {
                        return Some(found);
                    }
                }
                None
            }
            Value::Array(items) => {
                items.iter_mut().enumerate().find_map(|(i, v)| walk(v, key, format!("{path}[{i}]")))
            }
            _ => None,
        }
    }
    walk(value, key, String::new())
}
