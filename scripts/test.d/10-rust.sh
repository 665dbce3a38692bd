#!/usr/bin/env bash
# Lints, then every Rust test of the workspace (unit, integration over HTTP, doc tests).
set -euo pipefail
cargo build --release --workspace --locked 2>/dev/null || cargo build --release --workspace
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace --release
