//! Template render (parse once, render many) and widget JSON serialization on the widget
//! corpus (`tests/kit/widgets`): one benchmark per data case the reference renders.
//!
//! `cargo bench -p chatkit-bench --bench widgets` measures
//! * `render/<case>`: [`WidgetTemplate::build_unchecked`] — render the Jinja, parse the JSON,
//!   check the widget shape — which is what the reference's `WidgetTemplate.build` does;
//! * `render_checked/<case>`: [`WidgetTemplate::build`], which also checks the data against the
//!   template's `jsonSchema` (the reference has no such step);
//! * `serialize/<case>`: the rendered widget to its wire JSON.
//!
//! Time is the benchmark thread's CPU time, not wall time: the machines this runs on are shared,
//! and CPU time leaves out the time other work holds the core (the reference script measures
//! the same way).
//!
//! `bench/widgets.sh` runs it beside the reference (`bench/widget_reference.py`) and writes the
//! ratio table. Cases the reference rejects (an `expected/*.error.txt`) are skipped, and so are
//! cases whose data breaks the schema for `render_checked`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chatkit::widgets::WidgetTemplate;
use cpu_time::ThreadTime;
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;

/// CPU time of the benchmark thread (`CLOCK_THREAD_CPUTIME_ID`).
struct ThreadCpu;

impl Measurement for ThreadCpu {
    type Intermediate = ThreadTime;
    type Value = Duration;

    fn start(&self) -> ThreadTime {
        ThreadTime::now()
    }
    fn end(&self, started: ThreadTime) -> Duration {
        started.elapsed()
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &Micros
    }
}

/// Shows nanosecond values as µs.
struct Micros;

impl ValueFormatter for Micros {
    fn scale_values(&self, _typical: f64, values: &mut [f64]) -> &'static str {
        values.iter_mut().for_each(|v| *v /= 1e3);
        "µs (CPU)"
    }
    fn scale_throughputs(&self, _typical: f64, throughput: &Throughput, values: &mut [f64]) -> &'static str {
        // Elements or bytes per CPU second.
        let per = match throughput {
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) | Throughput::Elements(n) | Throughput::Bits(n) => *n as f64,
            Throughput::ElementsAndBytes { elements, .. } => *elements as f64,
        };
        values.iter_mut().for_each(|v| *v = per * 1e9 / *v);
        "per CPU second"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

/// One data case of the corpus: `<template>.<n>`.
struct Case {
    name: String,
    template: PathBuf,
    data: Value,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/kit/widgets")
}

/// Every case the reference renders, in name order.
fn cases() -> Vec<Case> {
    let root = corpus();
    let mut names: Vec<String> = std::fs::read_dir(root.join("expected"))
        .expect("the widget corpus is in tests/kit/widgets")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|file| file.strip_suffix(".json").map(str::to_owned))
        .filter(|name| !name.ends_with(".error"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let (template, _) = name.rsplit_once('.').expect("cases are named <template>.<n>");
            let data = std::fs::read_to_string(root.join("cases").join(format!("{name}.data.json"))).expect("data file");
            Case {
                template: root.join("corpus").join(format!("{template}.widget")),
                data: serde_json::from_str(&data).expect("data is JSON"),
                name,
            }
        })
        .collect()
}

fn widgets(c: &mut Criterion<ThreadCpu>) {
    let cases = cases();
    let templates: Vec<WidgetTemplate> =
        cases.iter().map(|case| WidgetTemplate::from_file(&case.template).expect("the template compiles")).collect();

    let mut group = c.benchmark_group("render");
    for (case, template) in cases.iter().zip(&templates) {
        template.build_unchecked(&case.data).expect("the case renders");
        group.bench_function(case.name.as_str(), |b| b.iter(|| template.build_unchecked(&case.data)));
    }
    group.finish();

    let mut group = c.benchmark_group("render_checked");
    for (case, template) in cases.iter().zip(&templates) {
        if template.build(&case.data).is_ok() {
            group.bench_function(case.name.as_str(), |b| b.iter(|| template.build(&case.data)));
        }
    }
    group.finish();

    let mut group = c.benchmark_group("serialize");
    for (case, template) in cases.iter().zip(&templates) {
        let widget = template.build_unchecked(&case.data).expect("the case renders");
        group.bench_function(case.name.as_str(), |b| b.iter(|| serde_json::to_string(&widget)));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Short points: ~60 cases × 3 groups. `-- --measurement-time 5` for longer ones.
    config = Criterion::default()
        .with_measurement(ThreadCpu)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30);
    targets = widgets
}
criterion_main!(benches);
