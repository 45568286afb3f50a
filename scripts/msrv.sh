#!/usr/bin/env bash
# The declared MSRV (`rust-version` in the workspace's Cargo.toml), checked as far as a machine
# with one toolchain allows:
#   1. no package in the resolved dependency graph declares a `rust-version` newer than ours
#      (resolver 3 prefers such versions, this makes sure Cargo.lock holds none);
#   2. clippy's `incompatible_msrv` lint, which refuses any standard-library item stabilized after
#      our `rust-version`, on every target of the workspace (CI's clippy run enforces it too, with
#      `-D warnings`; here it is named explicitly, so that it stays on whatever the lint groups do).
#
#   bash scripts/msrv.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo metadata --format-version 1 --locked | python3 -c '
import json, sys

def version(text):
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))

metadata = json.load(sys.stdin)
ours = {p["name"]: p for p in metadata["packages"] if p["id"] in metadata["workspace_members"]}
msrv = ours["cors-runtime"]["rust_version"]
newer = sorted(
    "{} {} (rust-version {})".format(p["name"], p["version"], p["rust_version"])
    for p in metadata["packages"]
    if p.get("rust_version") and version(p["rust_version"]) > version(msrv)
)
if newer:
    sys.exit(f"dependencies newer than our MSRV {msrv}: " + ", ".join(newer))
print("MSRV {}: none of the {} resolved packages declares a newer rust-version".format(msrv, len(metadata["packages"])))
'
cargo clippy --workspace --all-targets --locked -- -D clippy::incompatible_msrv
