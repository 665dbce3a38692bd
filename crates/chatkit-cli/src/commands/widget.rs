//! `chatkit widget`: render and check `.widget` templates.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use chatkit::widgets::WidgetTemplate;
use serde_json::Value;

/// Arguments of `chatkit widget`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Render a template with data and print the widget JSON, as the Python reference would.
    ///
    /// Data that breaks the template's jsonSchema is reported on stderr (an error with --strict).
    Render(RenderArgs),
    /// Check every .widget file of a directory: it compiles, its jsonSchema is valid, and its
    /// preview data fits the schema and renders the preview.
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
struct RenderArgs {
    /// The .widget file.
    file: PathBuf,
    /// JSON object whose members are the template's variables (`-` reads stdin); none means `{}`.
    #[arg(long, value_name = "DATA.json")]
    data: Option<PathBuf>,
    /// Use the data the file's preview was made with (`defaultState` of `encodedWidget`).
    #[arg(long, conflicts_with = "data")]
    preview_data: bool,
    /// Fail when the data breaks the template's jsonSchema instead of warning.
    #[arg(long)]
    strict: bool,
    /// Indent the output.
    #[arg(long)]
    pretty: bool,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Directory of .widget files (searched recursively).
    dir: PathBuf,
    /// Also check data cases `<template>.<n>.data.json` in this directory against the schema
    /// of `<template>.widget`, and render them.
    #[arg(long, value_name = "DIR")]
    cases: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Render(args) => render(args),
        Command::Check(args) => check(args),
    }
}

fn render(args: RenderArgs) -> anyhow::Result<()> {
    let template = WidgetTemplate::from_file(&args.file)?;
    let data = match (&args.data, args.preview_data) {
        (Some(path), _) => read_json(path)?,
        (None, true) => template
            .preview_data()
            .with_context(|| format!("{} carries no preview data (no encodedWidget)", args.file.display()))?,
        (None, false) => Value::Object(Default::default()),
    };
    let violations = template.violations(&data);
    if !violations.is_empty() {
        let what = if args.strict { "error" } else { "warning" };
        for violation in &violations {
            eprintln!("{what}: data does not match the jsonSchema of {:?}: {violation}", template.name());
        }
        if args.strict {
            bail!("{} schema violation(s); fix the data or drop --strict", violations.len());
        }
    }
    let widget = template.build_unchecked(&data)?;
    let mut out = std::io::stdout().lock();
    if args.pretty {
        serde_json::to_writer_pretty(&mut out, &widget)?;
    } else {
        serde_json::to_writer(&mut out, &widget)?;
    }
    writeln!(out)?;
    Ok(())
}

fn read_json(path: &Path) -> anyhow::Result<Value> {
    let text = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).context("cannot read the data from stdin")?
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
    };
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

fn check(args: CheckArgs) -> anyhow::Result<()> {
    let mut files = Vec::new();
    collect_widgets(&args.dir, &mut files).with_context(|| format!("cannot read {}", args.dir.display()))?;
    if files.is_empty() {
        bail!("no .widget files in {}", args.dir.display());
    }
    files.sort();
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let problems = check_file(file, args.cases.as_deref());
        if problems.is_empty() {
            passed += 1;
            println!("ok   {}", file.display());
        } else {
            failed += 1;
            println!("FAIL {}", file.display());
            for problem in problems {
                println!("     {problem}");
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        bail!("{failed} of {} templates failed the check", files.len());
    }
    Ok(())
}

fn collect_widgets(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_widgets(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "widget") {
            files.push(path);
        }
    }
    Ok(())
}

/// Everything wrong with one template (empty when it passes).
fn check_file(file: &Path, cases: Option<&Path>) -> Vec<String> {
    let template = match WidgetTemplate::from_file(file) {
        Ok(template) => template,
        Err(err) => return vec![err.to_string()],
    };
    let mut problems = Vec::new();
    if let Some(data) = template.preview_data() {
        problems.extend(template.violations(&data).iter().map(|v| format!("preview data: {v}")));
        match template.build_unchecked(&data) {
            Err(err) => problems.push(format!("preview data: {err}")),
            Ok(widget) => {
                if let Some(preview) = template.preview()
                    && let Some(diff) = first_difference(preview, &widget.to_value())
                {
                    problems.push(format!("the preview data does not render outputJsonPreview: {diff}"));
                }
            }
        }
    } else if let Some(preview) = template.preview()
        && let Err(err) = chatkit::WidgetRoot::from_value(preview.clone())
    {
        problems.push(format!("outputJsonPreview: {err}"));
    }
    if let Some(cases) = cases {
        problems.extend(check_cases(&template, file, cases));
    }
    problems
}

fn check_cases(template: &WidgetTemplate, file: &Path, dir: &Path) -> Vec<String> {
    let Some(stem) = file.file_stem().and_then(|s| s.to_str()) else { return Vec::new() };
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![format!("cannot read {}", dir.display())] };
    let mut cases: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".data.json"))
                .and_then(|n| n.rsplit_once('.'))
                .is_some_and(|(t, _)| t == stem)
        })
        .collect();
    cases.sort();
    let mut problems = Vec::new();
    for case in cases {
        let name = case.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let data = match read_json(&case) {
            Ok(data) => data,
            Err(err) => {
                problems.push(format!("{name}: {err:#}"));
                continue;
            }
        };
        let violations = template.violations(&data);
        problems.extend(violations.iter().map(|v| format!("{name}: {v}")));
        if violations.is_empty()
            && let Err(err) = template.build_unchecked(&data)
        {
            problems.push(format!("{name}: {err}"));
        }
    }
    problems
}

/// The first place where two JSON trees differ (nulls count as absent), as `path: a ≠ b`.
fn first_difference(want: &Value, got: &Value) -> Option<String> {
    fn walk(want: &Value, got: &Value, path: &mut String) -> Option<String> {
        match (want, got) {
            (Value::Object(a), Value::Object(b)) => {
                let keys = a.iter().filter(|(_, v)| !v.is_null()).map(|(k, _)| k);
                let keys = keys.chain(b.keys().filter(|k| !a.contains_key(*k)));
                for key in keys {
                    let (x, y) = (a.get(key).unwrap_or(&Value::Null), b.get(key).unwrap_or(&Value::Null));
                    let len = path.len();
                    path.push_str(if path.is_empty() { "" } else { "." });
                    path.push_str(key);
                    if let Some(diff) = walk(x, y, path) {
                        return Some(diff);
                    }
                    path.truncate(len);
                }
                None
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    if let Some(diff) = walk(x, y, path) {
                        return Some(diff);
                    }
                    path.truncate(len);
                }
                None
            }
            (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => None,
            (a, b) if a == b => None,
            (a, b) => {
                let at = if path.is_empty() { "(root)" } else { path.as_str() };
                Some(format!("{at}: expected {}, rendered {}", short(a), short(b)))
            }
        }
    }
    walk(want, got, &mut String::new())
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 { format!("{}…", text.chars().take(60).collect::<String>()) } else { text }
}
