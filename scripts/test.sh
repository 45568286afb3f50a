#!/usr/bin/env bash
# Every test of the project, on a fresh machine: installs what the suites need, then runs them.
#
#   bash scripts/test.sh
#
# FUZZ_SECONDS (default 30) bounds each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh

echo "== deploy templates (cfn-lint, HCL parser)"
bash scripts/validate-deploy.sh

echo "== fuzzing (${FUZZ_SECONDS:-30} s a target)"
bash scripts/fuzz.sh

echo "== cargo test --workspace (unit, integration, trybuild, doc, event formats, browser)"
cargo test --workspace
