#!/usr/bin/env bash
# Browser tests of the web client (web/): Playwright (playwright-core from npm) drives Debian's
# Chromium against the real `chatkit conformance-app`, the example apps and, in one file, the
# Python reference server. Installs Chromium (apt, as root), the npm packages and the reference's
# venv when missing; fails, never skips, when something cannot be had.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "Chromium is not installed; run this step as root or install the Debian package chromium" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
command -v node >/dev/null 2>&1 || { echo "node is required for the browser tests" >&2; exit 1; }

# The Python reference server (openai-chatkit 1.6.5 in bench/.venv) for python-reference.test.mjs.
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "Python's venv module is missing; run this step as root or install the Debian package python3-venv" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi
# shellcheck source=../../bench/reference-venv.sh
source bench/reference-venv.sh
export REFERENCE_PYTHON="$PWD/bench/.venv/bin/python"

if [ ! -x target/release/chatkit ] || [ -n "$(find web crates -newer target/release/chatkit -type f -not -path 'web/tests/*' -print -quit)" ]; then
  cargo build --release -p chatkit-cli
fi

cd web/tests
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
CHROMIUM="$(command -v chromium)" CHATKIT_BIN="$PWD/../../target/release/chatkit" npm test
