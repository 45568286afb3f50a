#!/usr/bin/env python3
"""Instruction counts per request of every variant on every case, under callgrind.

    python3 benches/callgrind.py            # builds cors-count (release), runs 2 x 72 callgrind runs

Only `cors_count::measured` (one request answered) is collected (`--toggle-collect`). Each pair
runs twice, with N1 and N2 iterations, and the difference divided by N2 - N1 is the count per
request: one-time costs (a tracing call site registering itself, first-touch of statics) cancel
out. Counts are repeatable to the instruction on a given build, unlike time on a shared machine.

Writes benches/results/callgrind.json and prints a Markdown table.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = ["bare", "floor", "hand", "macro", "shared", "service", "layer", "tower"]
CASES = ["single", "list2", "list3", "wildcard", "any", "disallowed", "preflight", "preflight2", "error", "write"]
N1, N2 = 200, 1200
# `LambdaEvent<ApiGatewayProxyRequest>` handlers (benches/src/typed.rs), on the list of three.
TYPED_VARIANTS = ["typed-bare", "typed-floor", "typed-macro"]
TYPED_CASES = ["list3", "disallowed", "preflight", "error"]


def target_dir():
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    return json.loads(meta.stdout)["target_directory"]


def collected(binary, variant, case, n):
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out",
             "--toggle-collect=cors_count::measured*", binary, variant, case, str(n)],
            check=True, capture_output=True, text=True,
        )
    match = re.search(r"Collected : (\d+)", out.stderr)
    if not match:
        sys.exit(f"no count from callgrind:\n{out.stderr}")
    return int(match.group(1))


def main():
    subprocess.run(
        ["cargo", "build", "--release", "-p", "cors-bench", "--bin", "cors-count"],
        cwd=ROOT, check=True,
    )
    binary = os.path.join(target_dir(), "release", "cors-count")
    results = {}
    for case in CASES:
        results[case] = {}
        for variant in VARIANTS:
            a = collected(binary, variant, case, N1)
            b = collected(binary, variant, case, N2)
            results[case][variant] = (b - a) / (N2 - N1)
            print(f"{case:<11} {variant:<6} {results[case][variant]:>9.1f} instructions/request",
                  file=sys.stderr)
    typed = {}
    for case in TYPED_CASES:
        typed[case] = {}
        for variant in TYPED_VARIANTS:
            a = collected(binary, variant, case, N1)
            b = collected(binary, variant, case, N2)
            typed[case][variant] = (b - a) / (N2 - N1)
            print(f"{case:<11} {variant:<11} {typed[case][variant]:>9.1f} instructions/request",
                  file=sys.stderr)
    path = os.path.join(ROOT, "benches", "results", "callgrind.json")
    with open(path, "w") as f:
        json.dump({"iterations": [N1, N2], "instructions_per_request": results,
                   "typed_instructions_per_request": typed}, f, indent=2)
        f.write("\n")
    print("Instructions per request:\n")
    print("| case | " + " | ".join(VARIANTS) + " |")
    print("| --- |" + " ---: |" * len(VARIANTS))
    for case in CASES:
        print(f"| {case} | " + " | ".join(f"{results[case][v]:.0f}" for v in VARIANTS) + " |")
    print("\nRatios (CORS cost: above `bare` for the wrappers, above `service` for the layers):\n")
    print("| case | macro / floor | macro / floor, CORS cost | shared / macro | tower / layer, CORS cost |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for case in CASES:
        r = results[case]
        print(f"| {case} | {r['macro'] / r['floor']:.3f}"
              f" | {(r['macro'] - r['bare']) / (r['floor'] - r['bare']):.2f}"
              f" | {r['shared'] / r['macro']:.3f}"
              f" | {(r['tower'] - r['service']) / (r['layer'] - r['service']):.2f} |")

    print("\nTyped events (`LambdaEvent<ApiGatewayProxyRequest>`), instructions per request:\n")
    print("| case | typed-bare | typed-floor | typed-macro | macro / floor | macro / floor, CORS cost |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for case in TYPED_CASES:
        r = typed[case]
        print(f"| {case} | {r['typed-bare']:.0f} | {r['typed-floor']:.0f} | {r['typed-macro']:.0f}"
              f" | {r['typed-macro'] / r['typed-floor']:.3f}"
              f" | {(r['typed-macro'] - r['typed-bare']) / (r['typed-floor'] - r['typed-bare']):.2f} |")


if __name__ == "__main__":
    main()
