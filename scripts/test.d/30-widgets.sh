#!/usr/bin/env bash
# The widget corpus: `chatkit widget render` must match every golden of the Python reference
# (kit: ../shared/widgets, else tests/kit/widgets). `chatkit widget check` is tested in
# crates/chatkit-cli/tests/widget.rs.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
kit="$(bash scripts/kit-dir.sh)/widgets"
[ -f "$kit/check.py" ] || { echo "widget kit not found at $kit" >&2; exit 1; }
cargo build --release -p chatkit-cli
bin="$PWD/target/release/chatkit"
python3 "$kit/check.py" --render-cmd "$bin widget render"
