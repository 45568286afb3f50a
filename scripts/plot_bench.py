#!/usr/bin/env python3
"""Tables and the plot of BENCHMARKS.md.

    python3 benches/callgrind.py                                    # instructions (the reference)
    cargo bench -p cors-bench -- --warm-up-time 1 --measurement-time 2   # criterion (optional)
    python3 scripts/plot_bench.py                                   # needs matplotlib

Reads benches/results/callgrind.json and, when present, criterion's estimates
(target/criterion/<case>/<variant>/new/estimates.json, the median time per request), which it
saves to benches/results/criterion.json. Writes docs/bench-ratios.png and prints the Markdown
tables of BENCHMARKS.md.

CORS cost: a wrapper's count minus the bare handler's (`bare`); a layer's minus the bare handler
called as a tower service (`service`).
"""
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = ["single", "list2", "list3", "wildcard", "any", "disallowed", "preflight", "preflight2", "error"]
VARIANTS = ["bare", "floor", "hand", "macro", "shared", "service", "layer", "tower"]
CALLGRIND = os.path.join(ROOT, "benches", "results", "callgrind.json")
CRITERION_SUMMARY = os.path.join(ROOT, "benches", "results", "criterion.json")
PNG = os.path.join(ROOT, "docs", "bench-ratios.png")


def base(variant):
    return "service" if variant in ("layer", "tower") else "bare"


def cost(values, variant):
    return values[variant] - values[base(variant)]


def read_callgrind():
    with open(CALLGRIND) as f:
        return json.load(f)["instructions_per_request"]


def read_criterion():
    """Median ns per request by case and variant, from criterion's files or the saved summary."""
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    found = {}
    for path in glob.glob(os.path.join(target, "criterion", "*", "*", "new", "estimates.json")):
        variant_dir = os.path.dirname(os.path.dirname(path))
        case = os.path.basename(os.path.dirname(variant_dir))
        variant = os.path.basename(variant_dir)
        if case in CASES and variant in VARIANTS:
            with open(path) as f:
                found.setdefault(case, {})[variant] = json.load(f)["median"]["point_estimate"]
    if all(len(found.get(case, {})) == len(VARIANTS) for case in CASES):
        with open(CRITERION_SUMMARY, "w") as f:
            json.dump(found, f, indent=2)
            f.write("\n")
        return found
    if os.path.exists(CRITERION_SUMMARY):
        with open(CRITERION_SUMMARY) as f:
            saved = json.load(f)
        if all(set(VARIANTS) <= set(saved.get(case, {})) for case in CASES):
            return saved
    return None


def table(values, fmt):
    print("| case | " + " | ".join(VARIANTS) + " |")
    print("| --- |" + " ---: |" * len(VARIANTS))
    for case in CASES:
        print(f"| {case} | " + " | ".join(fmt(values[case][v]) for v in VARIANTS) + " |")


def ratios(values):
    print("| case | macro / floor | macro / floor, CORS cost | shared / macro | layer / macro, CORS cost "
          "| tower / layer, CORS cost |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for case in CASES:
        v = values[case]
        print(f"| {case} | {v['macro'] / v['floor']:.3f} | {cost(v, 'macro') / cost(v, 'floor'):.2f} "
              f"| {v['shared'] / v['macro']:.3f} | {cost(v, 'layer') / cost(v, 'macro'):.2f} "
              f"| {cost(v, 'tower') / cost(v, 'layer'):.2f} |")


def plot(instructions):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5))
    x = list(range(len(CASES)))
    bars = [
        ("floor", "floor (least code, no guarantees)", "#8c8c8c"),
        ("hand", "hand-written, every guarantee", "#4c72b0"),
        ("macro", "#[cors_handler]", "#55a868"),
        ("layer", "cors_runtime::CorsLayer", "#8172b2"),
        ("tower", "tower-http CorsLayer", "#c44e52"),
    ]
    width = 0.16
    for i, (variant, label, color) in enumerate(bars):
        left.bar([p + (i - 2) * width for p in x], [cost(instructions[c], variant) for c in CASES],
                 width, label=label, color=color)
    left.set_xticks(x, CASES, rotation=20)
    left.set_ylabel("instructions per request above the bare handler")
    left.set_title("CORS cost (callgrind)")
    left.set_ylim(0, 1.45 * max(cost(instructions[c], "tower") for c in CASES))
    left.legend(fontsize=8, ncol=2, loc="upper left")

    total = [instructions[c]["macro"] / instructions[c]["floor"] for c in CASES]
    above = [cost(instructions[c], "macro") / cost(instructions[c], "floor") for c in CASES]
    tower = [cost(instructions[c], "tower") / cost(instructions[c], "layer") for c in CASES]
    right.plot(x, total, marker="o", color="#55a868", label="#[cors_handler] / floor, instructions")
    right.plot(x, above, marker="o", linestyle=":", color="#55a868",
               label="#[cors_handler] / floor, CORS cost")
    right.plot(x, tower, marker="s", color="#c44e52", label="tower-http / our layer, CORS cost")
    right.axhline(1.1, color="#55a868", linewidth=0.8, linestyle="--")
    right.axhline(3.0, color="#c44e52", linewidth=0.8, linestyle="--")
    right.text(len(CASES) - 0.6, 1.1, "target ≤ 1.1", va="bottom", ha="right", fontsize=8, color="#55a868")
    right.text(len(CASES) - 0.6, 3.0, "target ≥ 3 (lists)", va="bottom", ha="right", fontsize=8,
               color="#c44e52")
    right.set_xticks(x, CASES, rotation=20)
    right.set_ylim(0, 4.5)
    right.set_ylabel("ratio")
    right.set_title("Ratios")
    right.legend(fontsize=8, loc="upper left")

    fig.tight_layout()
    os.makedirs(os.path.dirname(PNG), exist_ok=True)
    fig.savefig(PNG, dpi=100)
    print(f"\nwrote {os.path.relpath(PNG, ROOT)}", file=sys.stderr)


def main():
    instructions = read_callgrind()
    print("Instructions per request (callgrind):\n")
    table(instructions, lambda n: f"{n:.0f}")
    print("\nRatios:\n")
    ratios(instructions)
    criterion = read_criterion()
    if criterion:
        print("\nTime per request (criterion median, ns):\n")
        table(criterion, lambda n: f"{n:.0f}")
    plot(instructions)


if __name__ == "__main__":
    main()
