#!/usr/bin/env python3
"""The training losses a GPU check compares (bench/gpu/check.sh):
  losses.py write DIS_METRICS TRM_METRICS       the CPU reference as JSON: {"dis": [[step, loss], ...], "trm": [...]}
  losses.py compare REFERENCE METHOD METRICS BAND  one run against the reference's METHOD; exit 0 when every logged
                                                   loss is within BAND (relative) of the reference's at the same step"""
import json
import sys


def losses(path):
    out = []
    for line in open(path):
        r = json.loads(line)
        if "loss" in r and "eval" not in r:   # a training line
            out.append([r["step"], r["loss"]])
    return out


if sys.argv[1] == "write":
    json.dump({"dis": losses(sys.argv[2]), "trm": losses(sys.argv[3])}, sys.stdout)
    print()
elif sys.argv[1] == "compare":
    ref = dict((s, l) for s, l in json.load(open(sys.argv[2]))[sys.argv[3]])
    band, worst, n = float(sys.argv[5]), 0.0, 0
    for step, loss in losses(sys.argv[4]):
        if step not in ref:
            continue
        d = abs(loss - ref[step]) / max(abs(ref[step]), 1e-12)
        worst, n = max(worst, d), n + 1
        print(f"  step {step:5d}  loss {loss:.5f}  cpu {ref[step]:.5f}  relative difference {d:.2e}")
    ok = n > 0 and worst <= band
    print(f"{sys.argv[3]}: {n} logged losses, largest relative difference {worst:.2e} (band {band:g}): {'within' if ok else 'OUTSIDE'}")
    sys.exit(0 if ok else 1)
