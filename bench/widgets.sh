#!/usr/bin/env bash
# Widget template benchmark: ours (criterion, bench/benches/widgets.rs) and the Python
# reference's WidgetTemplate (bench/widget_reference.py) on the same corpus and data, in one
# run; writes the ratio table into bench/RESULTS.md (between its widget markers).
#
#   bench/widgets.sh                          1 s per case and measurement
#   BENCH_WIDGET_SECONDS=3 bench/widgets.sh   longer points
#
# Also run by bench/run.sh (workload `widgets`). Raw outputs go to bench/out/.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=bench/out
mkdir -p "$OUT"
SECONDS_PER_CASE="${BENCH_WIDGET_SECONDS:-1}"
log() { printf '== %s\n' "$*" >&2; }

source bench/reference-venv.sh

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "criterion: render, render_checked, serialize (${SECONDS_PER_CASE} s per case)"
rm -rf "$OUT/criterion"
CRITERION_HOME="$PWD/$OUT/criterion" cargo bench -q -p chatkit-bench --bench widgets -- \
  --warm-up-time 0.3 --measurement-time "$SECONDS_PER_CASE" --noplot >"$OUT/widgets-criterion.txt"
log "reference: WidgetTemplate.build and model_dump_json"
"$VENV/bin/python" bench/widget_reference.py --seconds "$SECONDS_PER_CASE" >"$OUT/widgets-reference.txt"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 bench/widget_report.py --criterion "$OUT/criterion" --reference "$OUT/widgets-reference.txt" \
  --results bench/RESULTS.md --seconds "$SECONDS_PER_CASE" --load "$load_before" --load "$load_after"
log "wrote the widget table into bench/RESULTS.md"
