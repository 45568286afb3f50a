#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian machine (run as root):
#   chromium + chromium-driver  the browser suite (tests/browser.rs)
#   cargo-lambda (pip)          serves the examples: `cargo lambda watch --disable-cors`
# Tools used by one script only (cargo-fuzz, cfn-lint, python-hcl2) are installed by that script.
# Anything that cannot be installed fails the run: no suite is skipped for want of a tool.
set -euo pipefail

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "installing ${need_apt[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! cargo lambda --version >/dev/null 2>&1; then
    echo "installing cargo-lambda with pip"
    python3 -m pip install --quiet --disable-pip-version-check cargo-lambda
    hash -r
    if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi
fi

chromium --version
chromedriver --version
cargo lambda --version
