#!/usr/bin/env python3
"""Copies the metrics of finished runs into experiments/results/NAME/, thinned to keep the
repository small: the engine and evaluation lines, every training line whose step is a multiple
of 96, and the last line; and each run's preset.json. Usage: experiments/keep.py RUNS_DIR NAME"""
import glob, json, os, shutil, sys

from runs import finished

runs, name = sys.argv[1], sys.argv[2]
out = os.path.join(os.path.dirname(__file__), "results", name)
for d in sorted(glob.glob(os.path.join(runs, "*-seed*"))):
    if not os.path.isdir(d) or not finished(d):
        continue   # its test set was not scored at its last step
    lines = open(os.path.join(d, "metrics.jsonl")).read().splitlines()
    kept = [l for i, l in enumerate(lines) if "engine" in l or '"eval"' in l or i == len(lines) - 1
            or json.loads(l).get("step", 1) % 96 == 0]
    target = os.path.join(out, os.path.basename(d))
    os.makedirs(target, exist_ok=True)
    open(os.path.join(target, "metrics.jsonl"), "w").write("\n".join(kept) + "\n")
    shutil.copy(os.path.join(d, "preset.json"), target)
    print(target, len(kept), "lines")
