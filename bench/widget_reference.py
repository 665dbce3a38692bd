#!/usr/bin/env python3
"""Times the Python reference's WidgetTemplate (openai-chatkit 1.6.5) on the widget corpus.

Usage: python widget_reference.py [CORPUS_DIR] [--seconds S]

For every case the reference renders (no expected/*.error.txt), compiles the template once,
then times `WidgetTemplate.build(data)` (render, json.loads, DynamicWidgetRoot validation) and
`widget.model_dump_json(by_alias=True, exclude_none=True)` (the wire JSON) in CPU time of
the thread (the machine may be shared), like the Rust side. Prints one line per
case: `RESULT case=NAME render_us=X serialize_us=Y` (medians of batches), the same
measurements as the `render` and `serialize` groups of `cargo bench --bench widgets`.
"""
import argparse
import json
import statistics
import time
from pathlib import Path

from chatkit.widgets import WidgetTemplate


def per_call_us(fn, seconds):
    """Median CPU µs per call over batches of about 20 ms, for about `seconds` in all."""
    fn()
    n, took = 1, 0.0
    while True:  # batch size: enough calls for ~20 ms
        start = time.thread_time()
        for _ in range(n):
            fn()
        took = time.thread_time() - start
        if took >= 0.02:
            break
        n *= 2
    samples = []
    deadline = time.thread_time() + seconds
    while len(samples) < 5 or (time.thread_time() < deadline and len(samples) < 200):
        start = time.thread_time()
        for _ in range(n):
            fn()
        samples.append((time.thread_time() - start) / n * 1e6)
    return statistics.median(samples)


def main():
    default = Path(__file__).resolve().parent.parent / "tests" / "kit" / "widgets"
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(default))
    parser.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    args = parser.parse_args()
    root = Path(args.corpus)
    for expected in sorted(root.glob("expected/*.json")):
        case = expected.name[: -len(".json")]
        name = case.rsplit(".", 1)[0]
        definition = json.loads((root / "corpus" / f"{name}.widget").read_text(encoding="utf-8"))
        data = json.loads((root / "cases" / f"{case}.data.json").read_text(encoding="utf-8"))
        template = WidgetTemplate(definition)
        widget = template.build(data)
        render = per_call_us(lambda: template.build(data), args.seconds)
        serialize = per_call_us(lambda: widget.model_dump_json(by_alias=True, exclude_none=True), args.seconds)
        print(f"RESULT case={case} render_us={render:.3f} serialize_us={serialize:.3f}", flush=True)


if __name__ == "__main__":
    main()
