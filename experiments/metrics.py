"""A run folder's metrics.jsonl, read as docs/METRICS.md describes it: the one reader the
experiment scripts share (the Java side is trm4j.metrics.MetricsFile)."""
import json, os
from dataclasses import dataclass, field


@dataclass
class Run:
    name: str
    preset: dict
    engine: list = field(default_factory=list)     # engine lines
    train: list = field(default_factory=list)      # training lines
    evals: list = field(default_factory=list)      # evaluation lines

    @property
    def steps(self):
        """The optimiser steps the run's preset asks for."""
        return self.preset["train"]["steps"]

    def test(self):
        """The test set's scores of the run's last step (the `eval` object), or None before it."""
        for e in reversed(self.evals):
            if e["step"] != self.steps:
                continue
            scores = e["eval"]
            return scores.get("test") if scores.get("split") == "validation" else scores
        return None

    def finished(self):
        return self.test() is not None


def curve(scores):
    """The accuracy after each supervision step: step_acc for puzzles, step_pass@2 for ARC."""
    return scores["step_pass@2"] if "tasks" in scores else scores["step_acc"]


def validation(run):
    """(step, accuracy) of every evaluation of the validation puzzles (ARC: tasks), in step order."""
    return [(e["step"], accuracy(e["eval"])) for e in run.evals if e["eval"].get("split") == "validation"]


def late_mean(run):
    """The mean validation accuracy over the evaluations of the last quarter of the run (steps > 3/4 of its
    budget): the figure protocol v3 chooses settings by, less noisy than the last evaluation alone."""
    late = [a for s, a in validation(run) if s > 0.75 * run.steps]
    return sum(late) / len(late) if late else None


def trend(run):
    """Protocol v3's plateau rule: the mean validation accuracy over the last quarter of the run minus that
    over the quarter before, and a label: "rising" (+0.02 or more: not converged), "flat", "falling"
    (-0.02 or less), or "floor" (no evaluation reached 0.05)."""
    v = validation(run)
    q3 = [a for s, a in v if 0.5 * run.steps < s <= 0.75 * run.steps]
    q4 = [a for s, a in v if s > 0.75 * run.steps]
    if not q3 or not q4:
        return None, "-"
    delta = sum(q4) / len(q4) - sum(q3) / len(q3)
    if max(a for _, a in v) < 0.05:
        return delta, "floor"
    return delta, "rising" if delta >= 0.02 else "falling" if delta <= -0.02 else "flat"


def kind(line):
    return "engine" if "engine" in line else "eval" if "eval" in line else "train"


def accuracy(scores):
    """The headline of a scores object: pass@2 for ARC, exact accuracy for puzzles."""
    return scores["pass@2"] if "tasks" in scores else scores["exact_acc"]


def read(run_dir):
    """Every line of RUN_DIR/metrics.jsonl by kind, and its preset.json; an error names the file and line."""
    path = os.path.join(run_dir, "metrics.jsonl")
    with open(os.path.join(run_dir, "preset.json")) as f:
        run = Run(os.path.basename(os.path.normpath(run_dir)), json.load(f))
    with open(path) as f:
        for n, text in enumerate(f, 1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
            except ValueError:
                raise SystemExit("%s: line %d is not JSON" % (path, n))
            {"engine": run.engine, "eval": run.evals, "train": run.train}[kind(line)].append(line)
    return run


def finished(run_dir):
    """The run's test set was scored at the last step its preset asks for."""
    if not os.path.exists(os.path.join(run_dir, "metrics.jsonl")) or not os.path.exists(os.path.join(run_dir, "preset.json")):
        return False
    return read(run_dir).finished()
