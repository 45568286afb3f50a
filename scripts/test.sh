#!/usr/bin/env bash
# Every test of the project, on a fresh machine: installs what the suites need, then runs them.
#
#   bash scripts/test.sh
#
# FUZZ_SECONDS (default 30) bounds each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
# Every suite runs: a suite that needs a tool fails without it instead of leaving itself out.
export CORS_REQUIRE_TOOLS=1

echo "== deploy templates (cfn-lint, HCL parser)"
bash scripts/validate-deploy.sh

echo "== fuzzing (${FUZZ_SECONDS:-30} s a target)"
bash scripts/fuzz.sh

echo "== packages (cargo package, then each crate's tests from its package alone)"
bash scripts/package.sh

echo "== cargo test --workspace (unit, integration, trybuild, doc, event formats, browser)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace 2>&1 | tee "$log" || status=$?
echo "== cargo test -p cors-runtime --features metrics --lib (the decision counters)"
cargo test -p cors-runtime --features metrics --lib 2>&1 | tee -a "$log" || status=$?

# One closing line for the whole run: every test binary's `test result:` added up.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^ignored/) s += $i } }
     END { printf "summary: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
