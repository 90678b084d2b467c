#!/usr/bin/env python3
"""The tables of docs/REPRODUCTION.md from the runs of experiments/seeds.sh.

Usage: experiments/tables.py RUNS_DIR
Per task, one row per arm over the seeds present: the test set's exact accuracy at the last step
(scored once), TRM's exact accuracy at the step it halts, the last validation accuracy, and the
cost of a run on three axes together: optimiser steps, samples seen (whose last supervision step
ran) network calls per sample, and network calls per batch row (what a step costs). Mean +- sample sd (n-1), n = seeds. Then the planned
comparisons (dis against each matched TRM arm) and the exploratory ones: the difference of mean
test accuracy with a bootstrap 95% interval (10,000 resamples of the seeds of each arm), Hedges' g,
and Welch's t with its degrees of freedom.
"""
import glob, math, os, random, re, statistics, sys

sys.path.insert(0, os.path.dirname(__file__))
import metrics

ARMS = ["dis", "trm-same-steps", "dis-same-samples", "trm-small", "trm-deep"]
PLANNED = [("dis", "trm-same-steps"), ("dis-same-samples", "trm-same-steps")]
EXPLORATORY = [("dis", "trm-small"), ("dis", "trm-deep"), ("trm-small", "trm-deep")]
RUN = re.compile(r"^(.*)-(%s)-seed(\d+)$" % "|".join(ARMS))
OTHER = re.compile(r"^(.*)-seed(\d+)$")   # runs of other scripts (experiments/demo.sh): the name is the arm


def stat(xs, fmt="%.3f"):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    if len(xs) == 1:
        return (fmt % xs[0]) + " (n=1)"
    return (fmt % statistics.mean(xs)) + " +- " + (fmt % statistics.stdev(xs)) + " (n=%d)" % len(xs)


def bootstrap(a, b, resamples=10000, seed=0):
    """95% interval of mean(a) - mean(b), resampling each arm's seeds with replacement."""
    rnd = random.Random(seed)
    diffs = sorted(statistics.mean(rnd.choices(a, k=len(a))) - statistics.mean(rnd.choices(b, k=len(b))) for _ in range(resamples))
    return diffs[int(0.025 * resamples)], diffs[int(0.975 * resamples) - 1]


def hedges_g(a, b):
    pooled = math.sqrt(((len(a) - 1) * statistics.variance(a) + (len(b) - 1) * statistics.variance(b)) / (len(a) + len(b) - 2))
    if pooled == 0:
        return float("nan")
    d = (statistics.mean(a) - statistics.mean(b)) / pooled
    return d * (1 - 3 / (4 * (len(a) + len(b)) - 9))


def welch(a, b):
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    if va + vb == 0:
        return float("nan"), float("nan")
    t = (statistics.mean(a) - statistics.mean(b)) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1)) if va > 0 and vb > 0 else min(len(a), len(b)) - 1
    return t, df


def collect(runs_dir):
    """task -> arm -> list of (seed, Run), finished runs only."""
    out = {}
    for d in sorted(glob.glob(os.path.join(runs_dir, "*-seed*"))):
        if not os.path.isdir(d) or not metrics.finished(d):
            continue
        m, o = RUN.match(os.path.basename(d)), OTHER.match(os.path.basename(d))
        task, arm, seed = m.groups() if m else (os.path.basename(os.path.normpath(runs_dir)),) + o.groups()
        out.setdefault(task, {}).setdefault(arm, []).append((int(seed), metrics.read(d)))
    for arms in out.values():
        for runs in arms.values():
            runs.sort(key=lambda r: r[0])
    return out


def main(runs_dir):
    studies = collect(runs_dir)
    for task in sorted(studies):
        arms = studies[task]
        print("\n### %s\n" % task)
        print("| arm | test exact (last step) | per seed | TRM: exact at its halting step (mean step) | validation exact (last) "
              "| optimiser steps | samples seen | calls per sample | calls per batch row | commits |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        tests = {}
        for arm in ARMS + sorted(a for a in arms if a not in ARMS):
            if arm not in arms:
                continue
            runs = [r for _, r in arms[arm]]
            test = [metrics.accuracy(r.test()) for r in runs]
            tests[arm] = test
            halt = [r.test().get("halt_exact_acc") for r in runs]
            halt_step = [r.test().get("halt_step") for r in runs]
            val = [metrics.accuracy(r.evals[-1]["eval"]) for r in runs]
            last = [r.train[-1] for r in runs]
            folders = [os.path.join(runs_dir, ("%s-%s-seed%d" % (task, arm, s)) if arm in ARMS else "%s-seed%d" % (arm, s)) for s, _ in arms[arm]]
            commits = sorted({open(os.path.join(f, "COMMIT")).read().strip()[:7] if os.path.exists(os.path.join(f, "COMMIT")) else "?" for f in folders})
            halting = "-" if all(h is None for h in halt) else "%s (%s)" % (stat(halt), stat(halt_step, "%.1f").split(" (")[0])
            print("| `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                arm, stat(test), " ".join("%.3f" % t for t in test), halting, stat(val),
                stat([l["step"] for l in last], "%.0f"), stat([l["samples"] for l in last], "%.0f"),
                stat([l["calls_per_sample"] for l in last], "%.1f"), stat([r.evals[-1].get("calls") for r in runs], "%.0f"), " ".join(commits)))
        for label, pairs in (("planned", PLANNED), ("exploratory", EXPLORATORY)):
            rows = [(a, b) for a, b in pairs if len(tests.get(a, [])) > 1 and len(tests.get(b, [])) > 1]
            if not rows:
                continue
            print("\n%s comparisons (test exact accuracy):\n" % label.capitalize())
            print("| comparison | difference of means | bootstrap 95% interval | Hedges' g | Welch t (df) | seeds |")
            print("|---|---|---|---|---|---|")
            for a, b in rows:
                x, y = tests[a], tests[b]
                lo, hi = bootstrap(x, y)
                t, df = welch(x, y)
                print("| `%s` - `%s` | %+.3f | [%+.3f, %+.3f] | %.2f | %.2f (%.1f) | %d, %d |" % (
                    a, b, statistics.mean(x) - statistics.mean(y), lo, hi, hedges_g(x, y), t, df, len(x), len(y)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "experiments/results/study")
