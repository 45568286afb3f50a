#!/usr/bin/env bash
# Validates the deployments under examples/deploy (SAM, Terraform, CDK) with real tools that need
# no cloud account: installs the tools, then runs the Python package scripts/deploy_check (what it
# checks: its __init__.py), its tests, and ruff on it. Exits non-zero on any problem.
#
# Installed when missing: cfn-lint, python-hcl2 and ruff with pip; @cdktf/hcl2json with npm into
# $VALIDATE_DEPLOY_CACHE (default ~/.cache/cors-lambda/validate-deploy), never into the repo; the
# CDK app's packages with `npm ci` into examples/deploy/cdk/node_modules (git-ignored).
# node and npm must be on PATH; terraform is used when it is.
#
# That the generated parts match the code is tests/deploy_drift.rs's job
# (cargo test -p cors-tests --test deploy_drift).
set -euo pipefail

scripts="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${VALIDATE_DEPLOY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cors-lambda/validate-deploy}"
python="${PYTHON:-python3}"
ruff_version="0.17.6"

fail() { printf 'validate-deploy: %s\n' "$*" >&2; exit 1; }

command -v "$python" >/dev/null || fail "$python not found"
command -v node >/dev/null || fail "node not found (HashiCorp's HCL parser, the CDK app)"
command -v npm >/dev/null || fail "npm not found (@cdktf/hcl2json, the CDK app)"
if ! command -v cfn-lint >/dev/null || ! "$python" -c 'import hcl2' 2>/dev/null \
    || [ "$(ruff --version 2>/dev/null)" != "ruff $ruff_version" ]; then
    "$python" -m pip install --quiet --disable-pip-version-check \
        'cfn-lint>=1.0,<2' 'python-hcl2>=7' "ruff==$ruff_version"
    if command -v pyenv >/dev/null; then pyenv rehash; fi
fi
if [ ! -f "$cache/node_modules/@cdktf/hcl2json/package.json" ]; then
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-save --no-audit --no-fund --silent "@cdktf/hcl2json@0.21.0"
fi

cd "$scripts"
printf '== ruff %s: check and format --check (scripts/deploy_check)\n' "$ruff_version"
ruff check deploy_check
ruff format --check deploy_check
printf '\n== the checks'"'"' own tests\n'
"$python" -m unittest discover --start-directory deploy_check/tests --top-level-directory . --quiet
"$python" -m deploy_check --hcl2json-prefix "$cache"
