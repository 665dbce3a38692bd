#!/usr/bin/env bash
# Runs every test of chatkit-rs: Rust unit, integration and doc tests, the conformance kit,
# the widget corpus, store tests on SQLite and PostgreSQL, and the browser tests.
# Installs what it needs first (idempotent): see scripts/test.d/*.sh, run in order.
set -euo pipefail
cd "$(dirname "$0")/.."
for step in scripts/test.d/*.sh; do
  echo "==> ${step}"
  bash "${step}"
done
echo "==> all tests passed"
