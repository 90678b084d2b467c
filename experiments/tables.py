#!/usr/bin/env python3
"""The tables of docs/REPRODUCTION.md from the runs of experiments/protocol-v3.sh (and of seeds.sh).

Usage: experiments/tables.py RUNS_DIR

Per task, one row per arm over the seeds present (finished runs only): the primary endpoint, the test
set's exact accuracy (ARC: pass@2) after the last supervision step, N_sup, scored once at the run's last
step; the late validation mean and the plateau label of protocol v3 (metrics.trend); the cost of a run on
three axes together: optimiser steps, samples seen (whose last supervision step ran), network calls per
sample and per batch row. Mean +- sample sd (n-1), n = seeds. Then the planned comparisons, with Welch's
95% interval, t, degrees of freedom and two-sided p, the Holm-adjusted p over every planned comparison
in RUNS_DIR, Hedges' g, the probability that a seed of the first arm beats one of the second, and a
percentile bootstrap interval (10,000 resamples of each arm's seeds; it under-covers at 5-10 seeds:
Welch's interval is the one to read). Then, exploratory and labelled so: TRM at the supervision step
chosen on validation and at its halting step against DIS, and the mean test accuracy after each
supervision step. RUNS_DIR/tuning, when present, adds the tuning table (late validation mean of every
setting; the chosen one marked).
"""
import glob, math, os, random, re, statistics, sys

sys.path.insert(0, os.path.dirname(__file__))
import metrics

# protocol v3's arms, then seeds.sh's (its tables are printed by the same code)
ARMS = ["dis", "trm", "dis-same-samples", "trm-same-steps", "trm-small", "trm-deep"]
PLANNED_TASKS = ("sudoku6", "nqueens", "1darc")   # protocol v3: sudoku4 is the demo-scale check, exploratory
V3 = [("dis", "trm"), ("dis-same-samples", "trm")]
V2 = [("dis", "trm-same-steps"), ("dis-same-samples", "trm-same-steps")]   # seeds.sh planned both on every task
EXPLORATORY = [("dis", "trm-small"), ("dis", "trm-deep"), ("trm-small", "trm-deep")]
RUN = re.compile(r"^(.*)-(%s)-seed(\d+)$" % "|".join(ARMS))
OTHER = re.compile(r"^(.*)-seed(\d+)$")   # runs of other scripts (experiments/demo.sh): the name is the arm
TUNING = re.compile(r"^(.*)-(dis|trm)-lr(.+)-warmup(\d+)-seed(\d+)$")


def planned(task, a, b):
    return (a, b) in V2 or ((a, b) in V3 and task in PLANNED_TASKS)


# ---------------------------------------------------------------- statistics

def betainc(a, b, x):
    """The regularised incomplete beta function I_x(a, b), by its continued fraction (modified Lentz)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    if x > (a + 1) / (a + b + 2):   # the fraction converges fast below this point; use the symmetry above it
        return 1 - betainc(b, a, 1 - x)
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x))
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        for num in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)), -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + num * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return front * h / a


def t_two_sided(t, df):
    """P(|T| >= |t|) for Student's t with df degrees of freedom (df need not be whole)."""
    return betainc(df / 2, 0.5, df / (df + t * t))


def t_quantile(p, df):
    """The t with P(T <= t) = p (p > 0.5), by bisection on the two-sided tail."""
    lo, hi = 0.0, 1e6
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_two_sided(mid, df) > 2 * (1 - p):
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def welch(a, b):
    """Welch's t of mean(a) - mean(b) and its Welch-Satterthwaite degrees of freedom (nan when both arms are constant)."""
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    if va + vb == 0:
        return float("nan"), float("nan")
    t = (statistics.mean(a) - statistics.mean(b)) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / ((va ** 2 / (len(a) - 1) if va else 0) + (vb ** 2 / (len(b) - 1) if vb else 0))
    return t, df


def welch_test(a, b, level=0.95):
    """(t, df, two-sided p, low, high): Welch's test and its interval for mean(a) - mean(b)."""
    t, df = welch(a, b)
    if math.isnan(t):
        return (t, df, float("nan"), float("nan"), float("nan"))
    diff = statistics.mean(a) - statistics.mean(b)
    half = t_quantile((1 + level) / 2, df) * math.sqrt(statistics.variance(a) / len(a) + statistics.variance(b) / len(b))
    return t, df, t_two_sided(t, df), diff - half, diff + half


def holm(ps):
    """Holm's step-down adjustment of the p-values ps (in their order); nan stays nan and counts in the family."""
    order = sorted(range(len(ps)), key=lambda i: (math.isnan(ps[i]), ps[i]))
    out, running = [float("nan")] * len(ps), 0.0
    for rank, i in enumerate(order):
        if math.isnan(ps[i]):
            break
        running = max(running, min(1.0, (len(ps) - rank) * ps[i]))
        out[i] = running
    return out


def hedges_g(a, b):
    pooled = math.sqrt(((len(a) - 1) * statistics.variance(a) + (len(b) - 1) * statistics.variance(b)) / (len(a) + len(b) - 2))
    if pooled == 0:
        return float("nan")
    d = (statistics.mean(a) - statistics.mean(b)) / pooled
    return d * (1 - 3 / (4 * (len(a) + len(b)) - 9))


def superiority(a, b):
    """P(a seed of a scores above one of b), ties counted half: the common-language effect size."""
    return sum(1.0 if x > y else 0.5 if x == y else 0.0 for x in a for y in b) / (len(a) * len(b))


def bootstrap(a, b, resamples=10000, seed=0):
    """Percentile 95% interval of mean(a) - mean(b), resampling each arm's seeds with replacement."""
    rnd = random.Random(seed)
    diffs = sorted(statistics.mean(rnd.choices(a, k=len(a))) - statistics.mean(rnd.choices(b, k=len(b))) for _ in range(resamples))
    return diffs[int(0.025 * resamples)], diffs[int(0.975 * resamples) - 1]


# ---------------------------------------------------------------- per run

def chosen_step(run):
    """TRM at the supervision step chosen on validation: the step (1-based) whose validation accuracy at the last
    evaluation is highest (a tie: the earliest), and the test accuracy after that step."""
    last = run.evals[-1]["eval"]
    val = metrics.curve(last)
    s = val.index(max(val))
    return s + 1, metrics.curve(run.test())[s]


def stat(xs, fmt="%.3f"):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    if len(xs) == 1:
        return (fmt % xs[0]) + " (n=1)"
    return (fmt % statistics.mean(xs)) + " +- " + (fmt % statistics.stdev(xs)) + " (n=%d)" % len(xs)


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


def comparison_row(label, x, y, holm_p=None):
    t, df, p, lo, hi = welch_test(x, y)
    blo, bhi = bootstrap(x, y)
    return "| %s | %+.3f | [%+.3f, %+.3f] | %.2f (%.1f) | %s | %s | %.2f | %.2f | [%+.3f, %+.3f] | %d, %d |" % (
        label, statistics.mean(x) - statistics.mean(y), lo, hi, t, df, "%.3g" % p,
        "-" if holm_p is None else "%.3g" % holm_p, hedges_g(x, y), superiority(x, y), blo, bhi, len(x), len(y))


COMPARISON_HEADER = ("| comparison | difference of means | Welch 95% interval | Welch t (df) | p | Holm p | Hedges' g | P(first > second) "
                     "| bootstrap 95% (percentile) | seeds |\n|---|---|---|---|---|---|---|---|---|---|")


def tuning(runs_dir):
    runs = {}
    for d in sorted(glob.glob(os.path.join(runs_dir, "tuning", "*-seed*"))):
        m = TUNING.match(os.path.basename(d))
        if m and os.path.isdir(d) and metrics.finished(d):
            runs.setdefault((m.group(1), m.group(2)), []).append((m.group(3), int(m.group(4)), metrics.read(d)))
    if not runs:
        return
    print("\n### Tuning (validation only; protocol-v3.sh chooses the highest, a tie going to the first it lists)\n")
    print("| task | method | lr | warm-up | validation, mean of the last quarter | plateau (last quarter - the one before) |")
    print("|---|---|---|---|---|---|")
    for (task, method), settings in sorted(runs.items()):
        best = max(metrics.late_mean(r) for _, _, r in settings)
        for lr, warmup, r in settings:
            delta, label = metrics.trend(r)
            print("| %s | `%s` | %s | %d | %.3f%s | %s (%+.3f) |" % (task, method, lr, warmup, metrics.late_mean(r),
                                                               " (highest)" if metrics.late_mean(r) == best else "", label, delta or 0))


def main(runs_dir):
    studies = collect(runs_dir)
    tuning(runs_dir)
    family = [(task, a, b) for task in sorted(studies) for a, b in V3 + V2
              if planned(task, a, b) and len(studies[task].get(a, [])) > 1 and len(studies[task].get(b, [])) > 1]
    tests = lambda task, arm: [metrics.accuracy(r.test()) for _, r in studies[task][arm]]
    adjusted = dict(zip(family, holm([welch_test(tests(*f[:2]), tests(f[0], f[2]))[2] for f in family])))
    for task in sorted(studies):
        arms = studies[task]
        print("\n### %s\n" % task)
        print("| arm | test exact (ARC: pass@2) at N_sup | per seed | validation, mean of the last quarter | plateau (runs) "
              "| optimiser steps | samples seen | calls per sample | calls per batch row | commits |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for arm in ARMS + sorted(a for a in arms if a not in ARMS):
            if arm not in arms:
                continue
            runs = [r for _, r in arms[arm]]
            test = [metrics.accuracy(r.test()) for r in runs]
            labels = [metrics.trend(r)[1] for r in runs]
            last = [r.train[-1] for r in runs]
            folders = [os.path.join(runs_dir, ("%s-%s-seed%d" % (task, arm, s)) if arm in ARMS else "%s-seed%d" % (arm, s)) for s, _ in arms[arm]]
            commits = sorted({open(os.path.join(f, "COMMIT")).read().strip()[:7] if os.path.exists(os.path.join(f, "COMMIT")) else "?" for f in folders})
            print("| `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                arm, stat(test), " ".join("%.3f" % t for t in test), stat([metrics.late_mean(r) for r in runs]),
                ", ".join("%s %d" % (k, labels.count(k)) for k in ("flat", "falling", "rising", "floor", "-") if k in labels),
                stat([l["step"] for l in last], "%.0f"), stat([l["samples"] for l in last], "%.0f"),
                stat([l["calls_per_sample"] for l in last], "%.1f"), stat([r.evals[-1].get("calls") for r in runs], "%.0f"), " ".join(commits)))
        rows = [(a, b) for task_, a, b in family if task_ == task]
        if rows:
            print("\nPlanned comparisons (the primary endpoint; Holm over the %d planned comparisons in this folder):\n" % len(family))
            print(COMPARISON_HEADER)
            for a, b in rows:
                print(comparison_row("`%s` - `%s`" % (a, b), tests(task, a), tests(task, b), adjusted[(task, a, b)]))
        exploratory = [("`%s` - `%s`" % (a, b), tests(task, a), tests(task, b)) for a, b in V3 + V2 + EXPLORATORY
                       if not planned(task, a, b) and len(arms.get(a, [])) > 1 and len(arms.get(b, [])) > 1]
        for trm in ("trm", "trm-same-steps"):
            if len(arms.get(trm, [])) > 1 and len(arms.get("dis", [])) > 1:
                at = [chosen_step(r) for _, r in arms[trm]]
                exploratory.append(("`dis` - `%s` at the step chosen on validation (steps %s)" % (trm, " ".join(str(s) for s, _ in at)),
                                    tests(task, "dis"), [a for _, a in at]))
                halt = [r.test().get("halt_exact_acc") for _, r in arms[trm]]
                if None not in halt:
                    steps = stat([r.test().get("halt_step") for _, r in arms[trm]], "%.1f").split(" (")[0]
                    exploratory.append(("`dis` - `%s` at its halting step (mean step %s)" % (trm, steps), tests(task, "dis"), halt))
        if exploratory:
            print("\nExploratory comparisons (not corrected; read as leads, not results):\n")
            print(COMPARISON_HEADER)
            for label, x, y in exploratory:
                print(comparison_row(label, x, y))
        print("\nExploratory: mean test accuracy after each supervision step (per-step curves)\n")
        print("| arm | after step 1, 2, ... N_sup |")
        print("|---|---|")
        for arm in ARMS + sorted(a for a in arms if a not in ARMS):
            if arm in arms:
                curves = [metrics.curve(r.test()) for _, r in arms[arm]]
                print("| `%s` | %s |" % (arm, " ".join("%.3f" % statistics.mean(c[i] for c in curves) for i in range(len(curves[0])))))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "experiments/results/study")
