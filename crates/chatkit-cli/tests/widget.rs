//! `chatkit widget render` and `chatkit widget check` on the widget corpus of the kit.

mod support;

use std::path::PathBuf;
use std::process::{Command, Output};

fn chatkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chatkit")).args(args).output().expect("chatkit runs")
}

fn corpus(path: &str) -> String {
    let path: PathBuf = support::kit_dir().join("widgets").join(path);
    path.to_string_lossy().into_owned()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn render_prints_the_widget() {
    let out = chatkit(&[
        "widget",
        "render",
        &corpus("corpus/own__task_list.widget"),
        "--data",
        &corpus("cases/own__task_list.0.data.json"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let widget: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(widget["type"], "ListView");
    assert_eq!(widget["children"][1]["children"][0]["children"][1]["value"], "Write \"release\" notes <v2>");
    assert!(out.stderr.is_empty(), "the data fits the schema: {}", text(&out.stderr));
}

#[test]
fn schema_violations_warn_and_fail_with_strict() {
    let args = [
        "widget",
        "render",
        &corpus("corpus/metro-map__line_select.widget"),
        "--data",
        &corpus("cases/metro-map__line_select.3.data.json"),
    ];
    let out = chatkit(&args);
    assert!(out.status.success(), "renders like the reference: {}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("warning: ") && stderr.contains("items[0]: \"label\" is a required property"), "{stderr}");

    let mut strict = args.to_vec();
    strict.push("--strict");
    let out = chatkit(&strict);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing printed on failure");
    assert!(text(&out.stderr).contains("error: 6 schema violation(s)"), "{}", text(&out.stderr));
}

#[test]
fn render_errors_are_clear() {
    let out = chatkit(&[
        "widget",
        "render",
        &corpus("corpus/news-guide__author_preview.widget"),
        "--data",
        &corpus("cases/news-guide__author_preview.1.data.json"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error: template \"Author preview\" failed to render: undefined value"), "{stderr}");

    let out = chatkit(&["widget", "render", "no-such.widget"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read no-such.widget"), "{}", text(&out.stderr));
}

#[test]
fn check_flags_templates_that_disagree_with_their_preview() {
    let out = chatkit(&["widget", "check", &corpus("corpus")]);
    let stdout = text(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    // Two upstream templates are inconsistent: line_select reads `item.name` where its schema
    // and preview data have `label`; event_list's preview predates a color change.
    let failed: Vec<&str> = stdout.lines().filter_map(|l| l.strip_prefix("FAIL ")).collect();
    assert_eq!(failed.len(), 2, "{stdout}");
    assert!(failed[0].ends_with("metro-map__line_select.widget"), "{stdout}");
    assert!(failed[1].ends_with("news-guide__event_list.widget"), "{stdout}");
    assert!(stdout.contains("tojson: an undefined value is not JSON serializable"), "{stdout}");
    assert!(stdout.contains(".color: expected \"info\", rendered \"secondary\""), "{stdout}");
    assert!(stdout.contains("20 passed, 2 failed"), "{stdout}");
}

#[test]
fn check_accepts_good_templates_and_their_previews() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["chatkit-python__card_with_data", "own__filters", "cat-lounge__cat_profile"] {
        std::fs::copy(corpus(&format!("corpus/{name}.widget")), dir.path().join(format!("{name}.widget")))
            .expect("copy");
    }
    let out = chatkit(&["widget", "check", &dir.path().to_string_lossy()]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("3 passed, 0 failed"));

    std::fs::write(dir.path().join("broken.widget"), r#"{"version": "1.0", "name": "b", "template": "{% for %}"}"#)
        .expect("write");
    let out = chatkit(&["widget", "check", &dir.path().to_string_lossy()]);
    assert!(!out.status.success());
    assert!(text(&out.stdout).contains("template \"b\" does not compile"), "{}", text(&out.stdout));
}
