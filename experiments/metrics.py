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


def kind(line):
    return "engine" if "engine" in line else "eval" if "eval" in line else "train"


def accuracy(scores):
    """The headline of a scores object: pass@2 for ARC, exact accuracy for puzzles."""
    return scores["pass@2"] if "tasks" in scores else scores["exact_acc"]


def read(run_dir):
    """Every line of RUN_DIR/metrics.jsonl by kind, and its preset.json; an error names the file and line."""
    path = os.path.join(run_dir, "metrics.jsonl")
    run = Run(os.path.basename(os.path.normpath(run_dir)), json.load(open(os.path.join(run_dir, "preset.json"))))
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
