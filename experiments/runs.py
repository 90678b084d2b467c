#!/usr/bin/env python3
"""What the experiment scripts ask of run folders (seeds.sh, demo.sh, protocol-v3.sh):

  experiments/runs.py DIR                   exits 0 if DIR holds a finished run: its test set scored at
                                            the last step its preset asks for
  experiments/runs.py choose DIR...         prints the 0-based index of the run with the highest mean
                                            validation accuracy over the last quarter of its steps
                                            (metrics.late_mean; a tie goes to the first); exits 1 if one
                                            of them has not finished
  experiments/runs.py matched DIR N_SUP     the optimiser steps at which DIS, N_SUP steps per batch of the
                                            run's batch size, has seen the samples the finished run DIR
                                            saw: N_SUP x ceil(samples / batch)
"""
import math, sys

import metrics


def choose(dirs):
    best = None
    for i, d in enumerate(dirs):
        if not metrics.finished(d):
            sys.exit("choose: %s has not finished" % d)
        score = metrics.late_mean(metrics.read(d))
        if score is None:
            sys.exit("choose: %s has no validation evaluation in the last quarter of its steps" % d)
        if best is None or score > best[1]:
            best = (i, score)
    return best[0]


def matched(d, n_sup):
    if not metrics.finished(d):
        sys.exit("matched: %s has not finished" % d)
    run = metrics.read(d)
    return n_sup * math.ceil(run.train[-1]["samples"] / run.preset["train"]["batch"])


if __name__ == "__main__":
    if sys.argv[1] == "choose":
        print(choose(sys.argv[2:]))
    elif sys.argv[1] == "matched":
        print(matched(sys.argv[2], int(sys.argv[3])))
    else:
        sys.exit(0 if metrics.finished(sys.argv[1]) else 1)
