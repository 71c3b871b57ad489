#!/usr/bin/env bash
# Mutation testing of the planning and apply code (README, "Testing"). cargo-mutants changes the
# code one small way at a time (`>` for `>=`, a function body for a constant, a `!` deleted),
# builds it and runs the tests: a mutant that no test notices ("missed") is a place where a bug
# could land unseen. One build and test run per mutant, so it is slow and not part of
# scripts/test.sh.
#
#   bash scripts/mutants.sh                                # every file of src/plan/ and src/apply/
#   bash scripts/mutants.sh --file src/plan/batch.rs       # some files (repeat --file)
#   MUTANTS_TESTS=--lib bash scripts/mutants.sh ...        # unit tests only: faster, a lower bound
#
# With cargo-nextest installed, the tests run under it: it stops at the first failing test, so a
# caught mutant costs seconds instead of the whole suite, and a failing test is run once more
# before it counts (--retries 1), so a test that fails only under load catches nothing.
# MUTANTS_TOOL=cargo forces cargo test.
#
# Other arguments go to cargo-mutants (e.g. --list, --re REGEX). Mutants are tested in a copy of
# the tree (never --in-place), one at a time unless MUTANTS_JOBS says otherwise. Results, with
# each missed mutant and its diff, are in mutants.out/ (missed.txt, caught.txt, timeout.txt,
# unviable.txt). Needs cargo-mutants: cargo install cargo-mutants --locked
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-mutants >/dev/null; then
    echo "error: cargo-mutants is not installed; run: cargo install cargo-mutants --locked" >&2
    exit 1
fi
files=(--file 'src/plan/**' --file 'src/apply/**')
for argument in "$@"; do
    if [[ "$argument" == --file || "$argument" == -f || "$argument" == --file=* ]]; then
        files=()
    fi
done
# The test targets go to every cargo call (--cargo-arg), so that each mutant builds only them.
cargo_args=(--cargo-arg=--locked)
for target in ${MUTANTS_TESTS:---lib --test=integration}; do
    cargo_args+=("--cargo-arg=$target")
done
tool=(--test-tool cargo)
if [[ "${MUTANTS_TOOL:-}" != cargo ]] && cargo nextest --version >/dev/null 2>&1; then
    tool=(--test-tool nextest --cargo-test-arg=--retries=1)
fi
exec cargo mutants --package territoryctl "${files[@]}" "${cargo_args[@]}" "${tool[@]}" \
    --jobs "${MUTANTS_JOBS:-1}" "$@"
