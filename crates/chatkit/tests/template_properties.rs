//! Property tests of widget templates: loading any text and rendering every template of the
//! corpus with any data never panics; what renders is a widget that reads back as itself.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::OnceLock;

use chatkit::WidgetRoot;
use chatkit::widgets::WidgetTemplate;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// The `.widget` files of the vendored corpus, parsed once.
fn corpus() -> &'static [(String, WidgetTemplate)] {
    static CORPUS: OnceLock<Vec<(String, WidgetTemplate)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/kit/widgets/corpus");
        let mut templates: Vec<(String, WidgetTemplate)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("reading {}: {err}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "widget"))
            .filter_map(|path| {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                // Some corpus files are broken on purpose; they must fail to load, not panic.
                WidgetTemplate::from_file(&path).ok().map(|template| (name, template))
            })
            .collect();
        templates.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(templates.len() >= 15, "the corpus has its templates: {}", templates.len());
        templates
    })
}

/// Any JSON, including the shapes templates expect (lists of objects with common keys).
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1.0e6f64..1.0e6).prop_map(|f| json!(f)),
        "[a-z]{0,8}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..6).prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Keys the corpus templates read, and any others.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "items", "title", "name", "label", "id", "status", "tasks", "done", "selected", "value", "articles",
            "events", "flights", "options", "suggestions", "image", "url", "description", "date", "count",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z_]{1,10}",
    ]
}

fn data() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(key(), json_value(), 0..8)
        .prop_map(|map| Value::Object(map.into_iter().collect::<Map<String, Value>>()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn rendering_any_data_never_panics_and_widgets_read_back(index in any::<prop::sample::Index>(), data in data()) {
        let (name, template) = &corpus()[index.index(corpus().len())];
        let checked = template.build(&data);
        let unchecked = template.build_unchecked(&data);
        if checked.is_ok() {
            prop_assert!(unchecked.is_ok(), "{name}: data the schema accepts renders unchecked too");
        }
        for widget in [checked, unchecked].into_iter().flatten() {
            let json = serde_json::to_value(&widget).unwrap();
            let again = WidgetRoot::from_value(json.clone());
            prop_assert!(again.is_ok(), "{name}: a rendered widget reads back: {again:?}");
            prop_assert_eq!(serde_json::to_value(again.unwrap()).unwrap(), json);
        }
    }

    #[test]
    fn loading_any_text_never_panics(source in any::<String>()) {
        let _ = WidgetTemplate::from_str(&source);
    }

    #[test]
    fn loading_damaged_definitions_never_panics(
        version in json_value(), name in json_value(), template in "[{}%#a-z\" :,\\[\\]|~.()]{0,80}", schema in json_value()
    ) {
        let definition = json!({"version": version, "name": name, "template": template, "jsonSchema": schema});
        if let Ok(loaded) = WidgetTemplate::from_definition(definition) {
            let _ = loaded.build_unchecked(&json!({}));
            let _ = loaded.render(&json!({"items": [1, "a", null]}));
        }
    }
}
