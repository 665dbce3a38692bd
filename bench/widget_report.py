#!/usr/bin/env python3
"""Writes the widget benchmark table (ours vs the Python reference) into bench/RESULTS.md.

Reads criterion's estimates (`--criterion DIR`, the CRITERION_HOME of the run) and the lines
of bench/widget_reference.py (`--reference FILE`), and replaces the part of `--results`
between `<!-- widgets -->` and `<!-- /widgets -->` (appending it when missing). Figures are
medians; ratios are reference / ours from the same run. Prints a one-line summary.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
from pathlib import Path

BEGIN, END = "<!-- widgets -->", "<!-- /widgets -->"
TARGET = 30.0


def ours(criterion_home):
    """{(group, case): median µs} from criterion's output directory."""
    found = {}
    for bench in Path(criterion_home).glob("*/*/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        found[(meta["group_id"], meta["function_id"])] = estimates["median"]["point_estimate"] / 1000.0
    return found


def reference(path):
    """{case: {"render": µs, "serialize": µs}} from widget_reference.py's RESULT lines."""
    found = {}
    for line in Path(path).read_text().splitlines():
        if line.startswith("RESULT "):
            fields = dict(pair.split("=", 1) for pair in line.split()[1:])
            found[fields["case"]] = {"render": float(fields["render_us"]), "serialize": float(fields["serialize_us"])}
    return found


def us(value):
    if value is None:
        return "–"
    return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def ratio(ref, mine):
    if ref is None or not mine:
        return None
    return ref / mine


def fmt_ratio(r):
    return "–" if r is None else f"{r:,.0f}×" if r >= 10 else f"{r:.1f}×"


def geomean(values):
    values = [v for v in values if v]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--criterion", required=True)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--seconds", default="1")
    parser.add_argument("--load", action="append", default=[])
    args = parser.parse_args()

    mine, ref = ours(args.criterion), reference(args.reference)
    cases = sorted(ref)
    rows, render_ratios, serialize_ratios = [], [], []
    for case in cases:
        r_render = ratio(ref[case]["render"], mine.get(("render", case)))
        r_serialize = ratio(ref[case]["serialize"], mine.get(("serialize", case)))
        render_ratios.append(r_render)
        serialize_ratios.append(r_serialize)
        rows.append(
            f"| {case} | {us(ref[case]['render'])} | {us(mine.get(('render', case)))} | **{fmt_ratio(r_render)}** |"
            f" {us(mine.get(('render_checked', case)))} | {us(ref[case]['serialize'])} |"
            f" {us(mine.get(('serialize', case)))} | {fmt_ratio(r_serialize)} |"
        )
    measured = [r for r in render_ratios if r is not None]
    below = [c for c, r in zip(cases, render_ratios) if r is not None and r < TARGET]
    missing = [c for c, r in zip(cases, render_ratios) if r is None]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = " → ".join(args.load) if args.load else "unknown"
    summary = (
        f"render: {len(measured)} cases, min {fmt_ratio(min(measured) if measured else None)}, "
        f"geometric mean {fmt_ratio(geomean(measured))}, {len(below)} below {TARGET:.0f}×; "
        f"serialize: min {fmt_ratio(min((r for r in serialize_ratios if r), default=None))}, "
        f"geometric mean {fmt_ratio(geomean(serialize_ratios))}"
    )
    section = [
        BEGIN,
        "## Widget templates: render and serialize, per corpus case (criterion vs the reference)",
        "",
        f"Run {now} on {os.cpu_count()} cores ({cpu()}), load average {load} (1/5/15 min, before → after)."
        f" Command: `bench/widgets.sh` ({args.seconds} s per case and measurement).",
        "Ours: `cargo bench -p chatkit-bench --bench widgets` (criterion, median). Reference:",
        "`bench/widget_reference.py`, openai-chatkit 1.6.5's `WidgetTemplate` (median of ~20 ms batches).",
        "Both measure the CPU time of the benchmarking thread, so other work on the machine",
        "inflates neither side much (cache and frequency effects remain).",
        "Both compile each template once and render many times with the same data, from",
        "`tests/kit/widgets` (cases the reference rejects are left out).",
        "**render** = ours `build_unchecked` (Jinja → JSON → widget shape check) vs the reference's",
        "`WidgetTemplate.build` (Jinja → `json.loads` → `DynamicWidgetRoot`); **+schema** = ours `build`,",
        "which also checks the data against `jsonSchema` (the reference has no such step);",
        "**serialize** = the widget to its wire JSON (ours `serde_json::to_string`, the reference's",
        "`model_dump_json(by_alias=True, exclude_none=True)`). Target: render ≥ 30× the reference per case.",
        "",
        f"Summary: {summary}.",
        "",
        "| case | reference render µs | ours render µs | render ratio | ours +schema µs | reference serialize µs | ours serialize µs | serialize ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
    ]
    if below and len(below) <= 10:
        section.insert(-1, f"Below {TARGET:.0f}×: {', '.join(below)}.")
    if missing:
        section.insert(-1, f"Not measured on our side: {', '.join(missing)}.")
    section.append(END)
    text = "\n".join(section) + "\n"

    results = Path(args.results)
    old = results.read_text() if results.exists() else ""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.S)
    new = pattern.sub(lambda _: text, old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + text
    results.write_text(new)
    print(summary)


if __name__ == "__main__":
    main()
