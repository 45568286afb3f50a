#!/usr/bin/env bash
# The crates as crates.io would receive them: `cargo package` for each, in publishing order
# (cors-rules, cors-macros, cors-runtime, cors-deploy), then every package built and tested from
# its `.crate` alone.
#
#   bash scripts/package.sh
#
# `cargo package` verifies that each package builds from its contents; it does not run their
# tests. So the `.crate` files are unpacked into a workspace of their own, outside this
# repository (no file of the repository is reachable from there), whose `[patch.crates-io]`
# points the packages at one another as crates.io would, and `cargo test` runs there: unit tests
# and doc tests, from the packaged sources only. Versions are pinned by this repository's
# Cargo.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
crates=(cors-rules cors-macros cors-runtime cors-deploy)

target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
version=$(cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
packages = {p["name"]: p["version"] for p in json.load(sys.stdin)["packages"]}
print(packages["cors-runtime"])')

echo "== cargo package ${crates[*]}"
args=()
for crate in "${crates[@]}"; do args+=(-p "$crate"); done
# One invocation: cargo packages them in dependency order and verifies each against the others'
# packages (a local registry overlay), as they will be published. `--allow-dirty`: a contributor's
# uncommitted edits are what `scripts/test.sh` tests (CI runs on a clean clone).
cargo package --locked --allow-dirty "${args[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
members=()
patches=()
for crate in "${crates[@]}"; do
    file="$target/package/$crate-$version.crate"
    [ -f "$file" ] || { echo "no package $file" >&2; exit 1; }
    tar -xzf "$file" -C "$work"
    members+=("\"$crate-$version\"")
    patches+=("$crate = { path = \"$crate-$version\" }")
    echo "-- $crate-$version: $(tar -tzf "$file" | wc -l) files"
done
{
    echo "[workspace]"
    echo "resolver = \"3\""
    echo "members = [$(IFS=,; echo "${members[*]}")]"
    echo
    echo "[patch.crates-io]"
    printf '%s\n' "${patches[@]}"
} > "$work/Cargo.toml"
cp "$root/Cargo.lock" "$work/Cargo.lock"

echo "== cargo test, from the packages alone ($work)"
# The lock file is the repository's: what resolves differs only by the packages' own sources.
# The repository's target directory: what the two workspaces build alike (most dependencies) is
# built once; the packages, whose sources differ, are built apart.
(cd "$work" && CARGO_TARGET_DIR="$target" cargo test --workspace)
echo "packaged: ${crates[*]} ($version), built and tested from their packages"
