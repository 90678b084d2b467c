#!/usr/bin/env python3
"""Tables of experiments/sampling.sh's evaluations.
  sampling_table.py OUT               per run, and per run name without its -seedN (mean +- sd over seeds): test exact
                                      accuracy against K for each rule, at the sigma chosen on validation, with the samples'
                                      agreement, network calls per answer and milliseconds of answering per answer
  sampling_table.py --best DIR RULE   the sigma with the highest validation exact accuracy at K = 8 for RULE (ties: the smaller)
An ARC model's score (and "exact accuracy" above) is pass@2 (its evaluation votes two attempts per test input): the ARC Prize's
measure, and protocol v3's endpoint for 1D-ARC. Its answer is a test input's: calls and milliseconds count all its versions."""
import glob
import json
import os
import re
import statistics
import sys

NAME = re.compile(r"(validation|test)-k(\d+)-s([0-9.]+)-([a-z-]+)\.json$")


def evaluations(folder):
    out = []
    for f in glob.glob(os.path.join(folder, "*.json")):
        m = NAME.search(os.path.basename(f))
        if m:
            j = json.load(open(f))
            arc = "exact_acc" not in j
            out.append({"split": m.group(1), "k": int(m.group(2)), "sigma": m.group(3), "rule": m.group(4), "arc": arc,
                        "exact": j["pass@2"] if arc else j["exact_acc"], "agree": j.get("agree"), "calls": j["calls_per_answer"] * (j["versions"] if arc else 1),
                        "ms": 1000 * j["seconds"] / (j["test_inputs"] if arc else j["count"])})
    return out


def best(folder, rule):
    tried = [e for e in evaluations(folder) if e["split"] == "validation" and e["k"] == 8 and e["rule"] == rule]
    if not tried:
        sys.exit(f"{folder}: no validation evaluation of rule {rule}")
    return max(tried, key=lambda e: (e["exact"], -float(e["sigma"])))["sigma"]


def mean_sd(v):
    return f"{statistics.mean(v):.3f} +- {statistics.stdev(v):.3f}" if len(v) > 1 else f"{v[0]:.3f}"


def main(out):
    runs = sorted(d for d in glob.glob(os.path.join(out, "*")) if os.path.isdir(d))
    groups = {}
    for run in runs:
        for e in evaluations(run):
            if e["split"] == "test":
                groups.setdefault(re.sub(r"-seed\d+$", "", os.path.basename(run)), {}).setdefault((e["rule"], e["k"]), []).append((os.path.basename(run), e))
    for name, cells in sorted(groups.items()):
        seeds = sorted({r for v in cells.values() for r, _ in v})
        print(f"\n### {name} ({len(seeds)} run(s): {', '.join(seeds)})\n")
        arc = any(e["arc"] for v in cells.values() for _, e in v)
        print(f"| rule | K | sigma (chosen on validation) | test {'pass@2' if arc else 'exact'} | per run | agreement | calls per answer | ms per answer |")
        print("|---|---|---|---|---|---|---|---|")
        for (rule, k), v in sorted(cells.items()):
            es = [e for _, e in v]
            agree = [e["agree"] for e in es if e["agree"] is not None]
            print(f"| {rule} | {k} | {' '.join(sorted({e['sigma'] for e in es}))} | {mean_sd([e['exact'] for e in es])} | "
                  f"{' '.join(format(e['exact'], '.3f') for e in es)} | "
                  f"{mean_sd(agree) if agree else '-'} | {es[0]['calls']} | {statistics.mean(e['ms'] for e in es):.2f} |")


if __name__ == "__main__":
    if sys.argv[1] == "--best":
        print(best(sys.argv[2], sys.argv[3]))
    else:
        main(sys.argv[1])
