#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ for a bounded time and fails on any crash.
#
#   bash scripts/fuzz.sh                  # every target, 30 s each
#   FUZZ_SECONDS=300 bash scripts/fuzz.sh wrapper preflight
#
# Needs only the stable toolchain: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass libFuzzer's and
# AddressSanitizer's nightly-only flags (-Zsanitizer=address, sancov passes) to stable rustc.
# libfuzzer-sys compiles libFuzzer itself with the system C++ compiler (g++ or clang++).
#
# Seeds live in fuzz/seeds/<target>/ (committed); the growing corpus in fuzz/corpus/<target>/ and
# crash inputs in fuzz/artifacts/<target>/ are not committed. A crash input becomes a regression
# test in tests/ and its bug goes to the lead.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-30}"
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=(origin_parse origin_match preflight wrapper)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install --locked cargo-fuzz --version "^0.13"
fi
if ! command -v c++ >/dev/null 2>&1 && ! command -v g++ >/dev/null 2>&1 \
    && ! command -v clang++ >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "== installing g++ (libfuzzer-sys builds libFuzzer with it)"
        apt-get update -qq && apt-get install -y -qq g++ >/dev/null
    else
        echo "fuzz.sh: a C++ compiler (g++ or clang++) is needed to build libFuzzer" >&2
        exit 1
    fi
fi

export RUSTC_BOOTSTRAP=1
echo "== cargo fuzz build (AddressSanitizer, release with debug assertions)"
cargo fuzz build

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
failed=()
for target in "${targets[@]}"; do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus"
    if [ -d "fuzz/seeds/$target" ]; then
        cp -n "fuzz/seeds/$target"/* "$corpus"/ 2>/dev/null || true
    fi
    log="$logs/$target.log"
    echo "== fuzz $target for ${seconds}s"
    if cargo fuzz run "$target" "$corpus" -- \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
        coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
        echo "   ok: ${runs:-?} runs, ${speed:-?} exec/s, ${coverage:-cov: ?}"
    else
        failed+=("$target")
        echo "   CRASH in $target:"
        grep -E "panicked at|^thread '|ERROR: (libFuzzer|AddressSanitizer)|Test unit written to" \
            -A3 "$log" | head -40 || true
        echo "   (last lines of the log)"
        tail -25 "$log"
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz.sh: crashes in ${failed[*]}; inputs are in fuzz/artifacts/<target>/" >&2
    echo "reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<crash-file>" >&2
    exit 1
fi
echo "fuzz.sh: no crash in ${targets[*]} (${seconds}s each)"
