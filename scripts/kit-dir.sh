#!/usr/bin/env bash
# Prints the directory of the conformance and widget kits: ../shared next to the checkout
# when present (the maintained copy), else the copy vendored in tests/kit.
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${CHATKIT_KIT_DIR:-}" ]; then echo "$CHATKIT_KIT_DIR"
elif [ -f "$root/../shared/conformance/run.py" ]; then (cd "$root/../shared" && pwd)
else echo "$root/tests/kit"; fi
