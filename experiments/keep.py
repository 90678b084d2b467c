#!/usr/bin/env python3
"""Copies the metrics of finished runs into experiments/results/NAME/, thinned to keep the
repository small: the engine and evaluation lines, every training line whose step is a multiple
of 96, and the last training line; and each run's preset.json and COMMIT. The runs of RUNS_DIR/tuning
(protocol-v3.sh) go to NAME/tuning, and RUNS_DIR/PROTOCOL comes along. Usage: experiments/keep.py RUNS_DIR NAME"""
import glob, json, os, shutil, sys

import metrics

runs, name = sys.argv[1], sys.argv[2]
out = os.path.join(os.path.dirname(__file__), "results", name)
if os.path.exists(os.path.join(runs, "PROTOCOL")):
    os.makedirs(out, exist_ok=True)
    shutil.copy(os.path.join(runs, "PROTOCOL"), out)
for d in sorted(glob.glob(os.path.join(runs, "*-seed*")) + glob.glob(os.path.join(runs, "tuning", "*-seed*"))):
    if not os.path.isdir(d) or not metrics.finished(d):
        continue   # its test set was not scored at its last step
    lines = [json.loads(l) for l in open(os.path.join(d, "metrics.jsonl")) if l.strip()]
    last_train = max((i for i, l in enumerate(lines) if metrics.kind(l) == "train"), default=-1)
    kept = [l for i, l in enumerate(lines) if metrics.kind(l) != "train" or i == last_train or l["step"] % 96 == 0]
    target = os.path.join(out, os.path.relpath(d, runs))
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "metrics.jsonl"), "w") as f:
        f.writelines(json.dumps(l, separators=(",", ":")) + "\n" for l in kept)
    for f in ("preset.json", "COMMIT"):
        if os.path.exists(os.path.join(d, f)):
            shutil.copy(os.path.join(d, f), target)
    print(target, len(kept), "lines")
