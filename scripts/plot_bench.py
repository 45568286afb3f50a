#!/usr/bin/env python3
"""Tables and a plot of the CORS benchmarks (see BENCHMARKS.md).

    cargo bench -p cors-bench -- --warm-up-time 1 --measurement-time 3
    python3 benches/callgrind.py
    python3 scripts/plot_bench.py        # needs matplotlib (pip install matplotlib)

Reads criterion's estimates (target/criterion/<case>/<variant>/new/estimates.json, the median
time per request), the instruction counts of benches/results/callgrind.json and the interleaved
timings of benches/results/paired-run*.json (`cors-count paired 3001 200 > ...`). Writes
benches/results/criterion.json (the medians, so the plot can be redrawn without a rerun),
docs/bench-ratios.png, and prints the Markdown tables of BENCHMARKS.md.

For each case: the CORS cost of a variant is its time (or instruction count) minus the bare
handler's; the ratios compare those costs: `#[cors_handler]` over hand-written CORS (target
<= 1.1) and tower-http's CorsLayer over `#[cors_handler]` (target >= 3).
"""
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = ["single", "list3", "wildcard", "any", "disallowed", "preflight", "error"]
VARIANTS = ["bare", "hand", "macro", "tower"]
CRITERION_SUMMARY = os.path.join(ROOT, "benches", "results", "criterion.json")
CALLGRIND = os.path.join(ROOT, "benches", "results", "callgrind.json")
PAIRED = os.path.join(ROOT, "benches", "results", "paired-run*.json")
PNG = os.path.join(ROOT, "docs", "bench-ratios.png")


def criterion_dir():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "criterion")


def read_criterion():
    """Median ns per request by case and variant, from criterion's files or the saved summary."""
    found = {}
    for path in glob.glob(os.path.join(criterion_dir(), "*", "*", "new", "estimates.json")):
        variant_dir = os.path.dirname(os.path.dirname(path))
        case = os.path.basename(os.path.dirname(variant_dir))
        variant = os.path.basename(variant_dir)
        if case in CASES and variant in VARIANTS:
            with open(path) as f:
                estimates = json.load(f)
            found.setdefault(case, {})[variant] = {
                "median_ns": estimates["median"]["point_estimate"],
                "mean_ns": estimates["mean"]["point_estimate"],
                "mean_ci_ns": [
                    estimates["mean"]["confidence_interval"]["lower_bound"],
                    estimates["mean"]["confidence_interval"]["upper_bound"],
                ],
            }
    complete = all(len(found.get(case, {})) == len(VARIANTS) for case in CASES)
    if complete:
        os.makedirs(os.path.dirname(CRITERION_SUMMARY), exist_ok=True)
        with open(CRITERION_SUMMARY, "w") as f:
            json.dump(found, f, indent=2)
            f.write("\n")
        return found
    if os.path.exists(CRITERION_SUMMARY):
        print(f"incomplete criterion results under {criterion_dir()}; using {CRITERION_SUMMARY}",
              file=sys.stderr)
        with open(CRITERION_SUMMARY) as f:
            return json.load(f)
    sys.exit("no criterion results: run `cargo bench -p cors-bench` first")


def read_callgrind():
    if not os.path.exists(CALLGRIND):
        sys.exit("no callgrind results: run `python3 benches/callgrind.py` first")
    with open(CALLGRIND) as f:
        return json.load(f)["instructions_per_request"]


def read_paired():
    """Per case: the median over runs of each run's (median-over-rounds) cost ratios and times."""
    runs = []
    for path in sorted(glob.glob(PAIRED)):
        with open(path) as f:
            runs.append(json.load(f)["cases"])
    if not runs:
        return None

    def mid(values):
        values = sorted(values)
        return values[len(values) // 2]

    return {
        case: {
            "macro_over_hand": mid([r[case]["macro_over_hand"] for r in runs]),
            "tower_over_macro": mid([r[case]["tower_over_macro"] for r in runs]),
            "median_ns": {v: mid([r[case]["median_ns"][v] for r in runs]) for v in VARIANTS},
            "runs": len(runs),
        }
        for case in CASES
    }


def costs(per_variant):
    bare = per_variant["bare"]
    return {v: per_variant[v] - bare for v in ("hand", "macro", "tower")}


def ratio(a, b):
    return a / b if b > 0 else float("nan")


def table(title, unit, values, fmt):
    print(f"\n{title}\n")
    print(f"| case | bare ({unit}) | hand | macro | tower | CORS cost: hand | macro | tower "
          "| macro/hand | tower/macro |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for case in CASES:
        v = values[case]
        c = costs(v)
        print(f"| {case} | {fmt(v['bare'])} | {fmt(v['hand'])} | {fmt(v['macro'])} "
              f"| {fmt(v['tower'])} | {fmt(c['hand'])} | {fmt(c['macro'])} | {fmt(c['tower'])} "
              f"| {ratio(c['macro'], c['hand']):.2f} | {ratio(c['tower'], c['macro']):.2f} |")


def plot(instructions, paired):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8))
    x = range(len(CASES))
    width = 0.26

    # Left: CORS cost over the bare handler, instructions (repeatable), per variant.
    for i, (variant, label, color) in enumerate([
        ("hand", "hand-written", "#4c72b0"),
        ("macro", "#[cors_handler]", "#55a868"),
        ("tower", "tower-http CorsLayer", "#c44e52"),
    ]):
        left.bar([p + (i - 1) * width for p in x],
                 [costs(instructions[c])[variant] for c in CASES], width, label=label, color=color)
    left.set_xticks(list(x), CASES)
    left.set_ylabel("instructions per request over the bare handler")
    left.set_title("CORS cost (callgrind)")
    left.legend()

    # Right: the two ratios, from instructions and from time.
    series = [
        ("macro/hand, instructions", lambda c: ratio(costs(instructions[c])["macro"], costs(instructions[c])["hand"]), "#55a868", "o"),
        ("tower/macro, instructions", lambda c: ratio(costs(instructions[c])["tower"], costs(instructions[c])["macro"]), "#c44e52", "o"),
    ]
    if paired:
        series += [
            ("macro/hand, time (interleaved)", lambda c: paired[c]["macro_over_hand"], "#55a868", "x"),
            ("tower/macro, time (interleaved)", lambda c: paired[c]["tower_over_macro"], "#c44e52", "x"),
        ]
    for label, f, color, marker in series:
        right.plot(list(x), [f(c) for c in CASES], marker=marker, linestyle="-" if marker == "o" else ":",
                   color=color, label=label)
    right.axhline(1.1, color="#55a868", linewidth=0.8, linestyle="--")
    right.axhline(3.0, color="#c44e52", linewidth=0.8, linestyle="--")
    right.text(len(CASES) - 0.5, 1.1, "target ≤ 1.1", va="bottom", ha="right", fontsize=8, color="#55a868")
    right.text(len(CASES) - 0.5, 3.0, "target ≥ 3", va="bottom", ha="right", fontsize=8, color="#c44e52")
    right.set_xticks(list(x), CASES)
    right.set_ylim(0, max(4.0, right.get_ylim()[1]))
    right.set_ylabel("ratio of CORS costs")
    right.set_title("Ratios of CORS costs")
    right.legend(fontsize=8, loc="upper left")

    fig.tight_layout()
    os.makedirs(os.path.dirname(PNG), exist_ok=True)
    fig.savefig(PNG, dpi=110)
    print(f"\nwrote {os.path.relpath(PNG, ROOT)}", file=sys.stderr)


def main():
    criterion = read_criterion()
    times = {c: {v: criterion[c][v]["median_ns"] for v in VARIANTS} for c in CASES}
    instructions = read_callgrind()
    table("Time per request (criterion median, ns)", "ns", times, lambda n: f"{n:.0f}")
    table("Instructions per request (callgrind)", "instr", instructions, lambda n: f"{n:.0f}")
    paired = read_paired()
    if paired:
        print(f"\nInterleaved timing (cors-count paired; median of {paired[CASES[0]]['runs']} runs)\n")
        print("| case | bare (ns) | hand | macro | tower | macro/hand | tower/macro |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for case in CASES:
            p = paired[case]
            t = p["median_ns"]
            print(f"| {case} | {t['bare']:.0f} | {t['hand']:.0f} | {t['macro']:.0f} | {t['tower']:.0f} "
                  f"| {p['macro_over_hand']:.2f} | {p['tower_over_macro']:.2f} |")
    plot(instructions, paired)


if __name__ == "__main__":
    main()
