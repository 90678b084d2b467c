#!/usr/bin/env python3
"""The tables of docs/REPRODUCTION.md from the runs of experiments/seeds.sh.

Usage: experiments/tables.py RUNS_DIR [TARGET]   (TARGET: the validation accuracy whose first
reaching is reported in optimiser steps and network calls, default 0.5)
Per task and arm, over the seeds present: the test set's exact accuracy at the last step (scored
once; also seed by seed, seeds in order), the last validation accuracy, network calls per sample,
wall time, and the network calls (on each row of the batch) until the validation accuracy first
reached TARGET, with how many seeds reached it. Mean +- sample standard deviation (n-1), n = seeds.
"""
import glob, json, os, re, statistics, sys

from runs import finished

runs_dir = sys.argv[1]
target = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
ARMS = ["dis-paper", "trm-matched", "trm-small", "trm-paper"]


def stat(xs, fmt="%.3f"):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    if len(xs) == 1:
        return (fmt % xs[0]) + " (n=1)"
    return (fmt % statistics.mean(xs)) + " +- " + (fmt % statistics.stdev(xs)) + " (n=%d)" % len(xs)


def read(path):
    lines = [json.loads(l) for l in open(path)]
    train = [l for l in lines if "loss" in l]
    evals = [l for l in lines if "eval" in l]
    return train, evals


RUN = re.compile(r"^(.*)-(%s)-seed\d+$" % "|".join(ARMS))
tasks = sorted({RUN.match(os.path.basename(d)).group(1) for d in glob.glob(os.path.join(runs_dir, "*-seed*"))
                if os.path.isdir(d) and RUN.match(os.path.basename(d)) and finished(d)})
for task in tasks:
    print("\n### %s\n" % task)
    print("| arm | test exact (last step) | per seed | validation (last) | calls/sample | wall s | calls to validation >= %.2f (seeds reaching) |" % target)
    print("|---|---|---|---|---|---|---|")
    for arm in ARMS:
        test, vlast, cps, wall, reach, reached, n = [], [], [], [], [], 0, 0
        for d in sorted(glob.glob(os.path.join(runs_dir, "%s-%s-seed*" % (task, arm)))):
            if not RUN.match(os.path.basename(d)):
                continue
            if not finished(d):
                continue
            train, evals = read(os.path.join(d, "metrics.jsonl"))
            final = [e for e in evals if "test" in e["eval"]]
            n += 1
            test.append(final[-1]["eval"]["test"]["exact_acc"])
            accs = [e["eval"]["exact_acc"] for e in evals]
            vlast.append(accs[-1])
            cps.append(train[-1]["calls_per_sample"])
            wall.append(final[-1]["wall_s"])
            first = next((e for e in evals if e["eval"]["exact_acc"] >= target), None)
            if first is not None:
                reached += 1
                reach.append(first["calls"])   # network calls on each row of the batch until then: steps x T(n+1)
        if n == 0:
            continue
        print("| %s | %s | %s | %s | %s | %s | %s (%d/%d) |" % (arm, stat(test), " ".join("%.3f" % t for t in test), stat(vlast),
                                                          stat(cps, "%.1f"), stat(wall, "%.0f"), stat(reach, "%.0f"), reached, n))
    # Validation accuracy against optimiser steps and network calls (on each row of the batch), at a
    # third, two thirds and all of the task's steps.
    at, calls = {}, {}
    for arm in ARMS:
        for d in sorted(glob.glob(os.path.join(runs_dir, "%s-%s-seed*" % (task, arm)))):
            if not RUN.match(os.path.basename(d)) or not finished(d):
                continue
            train, evals = read(os.path.join(d, "metrics.jsonl"))
            for e in evals:
                at.setdefault(arm, {}).setdefault(e["step"], []).append(e["eval"]["exact_acc"])
                calls[arm] = e["calls"]
    if not at:
        continue
    last = max(max(steps) for steps in at.values())
    marks = [last // 3, 2 * last // 3, last]
    print("\n| arm | " + " | ".join("validation @ step %d" % k for k in marks) + " | network calls per row at step %d |" % last)
    print("|---|---|---|---|---|")
    for arm in ARMS:
        if arm in at:
            print("| %s | %s | %d |" % (arm, " | ".join(stat(at[arm].get(k, [])) for k in marks), calls[arm]))
