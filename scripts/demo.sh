#!/usr/bin/env bash
# The demo: the example APIs under `cargo lambda watch --disable-cors`, and demo/ (a page that calls
# them) served on a second origin, plus the same page on a third origin the API does not allow.
# Open the URL it prints, press "Run all". Ctrl-C stops everything.
#
#   bash scripts/demo.sh
#
# Ports (override with the environment): DEMO_PORT=8080 (the page), DEMO_OTHER_PORT=8081 (the
# disallowed origin), DEMO_API_PORT=9000 (cargo lambda). Needs cargo, python3 and cargo-lambda
# (installed with pip, after saying so, when missing). Everything listens on 127.0.0.1 only.
set -euo pipefail

PAGE_PORT="${DEMO_PORT:-8080}"
OTHER_PORT="${DEMO_OTHER_PORT:-8081}"
API_PORT="${DEMO_API_PORT:-9000}"
BUILD_WAIT="${DEMO_BUILD_WAIT:-900}" # seconds: the first call of each function compiles it

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo is not on PATH: install Rust from https://rustup.rs"
command -v python3 >/dev/null || die "python3 is not on PATH: it serves the page (python3 -m http.server)"

if ! cargo lambda --version >/dev/null 2>&1; then
    say "cargo-lambda is missing; installing it now with: python3 -m pip install cargo-lambda"
    python3 -m pip install cargo-lambda || die "pip could not install cargo-lambda; see https://www.cargo-lambda.info/guide/installation.html"
    hash -r
    cargo lambda --version >/dev/null 2>&1 || die "cargo-lambda was installed but \`cargo lambda\` does not run: is pip's bin directory on PATH?"
fi
say "using $(cargo lambda --version)"

port_free() {
    python3 -c 'import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)' "$1"
}
for port in "$PAGE_PORT" "$OTHER_PORT" "$API_PORT"; do
    port_free "$port" || die "port $port on 127.0.0.1 is taken (another demo running?); set DEMO_PORT, DEMO_OTHER_PORT or DEMO_API_PORT"
done

PAGE="http://127.0.0.1:$PAGE_PORT"
OTHER="http://127.0.0.1:$OTHER_PORT"
API="http://127.0.0.1:$API_PORT"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cors-demo.XXXXXX")"
PIDS=()
cleanup() {
    local status=$?
    trap - INT TERM EXIT
    if ((${#PIDS[@]})); then
        say "stopping the demo"
        kill -TERM "${PIDS[@]}" 2>/dev/null || true
        for _ in $(seq 30); do
            kill -0 "${PIDS[@]}" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "${PIDS[@]}" 2>/dev/null || true
        wait 2>/dev/null || true
    fi
    if ((status == 0 || status == 130)); then
        rm -rf "$WORK"
    else
        for log in "$WORK"/*.log; do
            printf -- '--- %s (last lines)\n' "$log" >&2
            tail -n 15 "$log" >&2
        done
        printf 'the logs stay in %s\n' "$WORK" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# `--env-var` would split the list on its commas: the allowed origins go through a file.
printf 'DEMO_ALLOWED_ORIGINS=%s,http://localhost:%s\nPARTNER_ORIGINS=%s,http://localhost:%s\n' \
    "$PAGE" "$PAGE_PORT" "$PAGE" "$PAGE_PORT" >"$WORK/demo.env"

say "starting cargo lambda watch --disable-cors on $API (log: $WORK/api.log)"
cargo lambda watch --disable-cors -A 127.0.0.1 -P "$API_PORT" --env-file "$WORK/demo.env" \
    >"$WORK/api.log" 2>&1 &
PIDS+=($!)
say "serving demo/ on $PAGE (allowed) and $OTHER (not allowed)"
python3 -m http.server --bind 127.0.0.1 --directory demo "$PAGE_PORT" >"$WORK/page.log" 2>&1 &
PIDS+=($!)
python3 -m http.server --bind 127.0.0.1 --directory demo "$OTHER_PORT" >"$WORK/other.log" 2>&1 &
PIDS+=($!)

# Waits until `url` answers with a status below 500 (sent with `Origin: $PAGE`), or gives up.
wait_for() {
    local url="$1" seconds="$2" what="$3"
    python3 - "$url" "$seconds" "$PAGE" <<'EOF' || die "$what did not answer within ${seconds}s; see the logs in $WORK"
import sys, time, urllib.request, urllib.error
url, seconds, origin = sys.argv[1], float(sys.argv[2]), sys.argv[3]
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        request = urllib.request.Request(url, headers={"Origin": origin})
        with urllib.request.urlopen(request, timeout=max(1, deadline - time.monotonic())):
            sys.exit(0)
    except urllib.error.HTTPError as error:
        if error.code < 500:
            sys.exit(0)
    except Exception:
        pass
    time.sleep(0.5)
sys.exit(1)
EOF
}

wait_for "$PAGE/index.html" 30 "the page server"
wait_for "$OTHER/probe.html" 30 "the second page server"
say "building and starting demo-api, axum-api, demo-public, orders, accounts and streaming (the first build takes a few minutes)"
wait_for "$API/lambda-url/demo-api/hello" "$BUILD_WAIT" "demo-api"
wait_for "$API/lambda-url/axum-api/hello" "$BUILD_WAIT" "axum-api"
wait_for "$API/lambda-url/demo-public/hello" "$BUILD_WAIT" "demo-public"
wait_for "$API/lambda-url/orders/partner/orders" "$BUILD_WAIT" "orders"
wait_for "$API/lambda-url/accounts/partner/accounts" "$BUILD_WAIT" "accounts"
wait_for "$API/lambda-url/streaming/answer" "$BUILD_WAIT" "streaming"

URL="$PAGE/index.html?api=$API&other=$OTHER"
printf '\n  Open \033[1m%s\033[0m and press "Run all".\n  Ctrl-C stops the demo.\n\n' "$URL"

# Stop when any of the three stops (or on Ctrl-C).
while kill -0 "${PIDS[@]}" 2>/dev/null; do
    sleep 1
done
die "a demo process stopped; see the logs in $WORK"
