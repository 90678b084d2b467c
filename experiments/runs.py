#!/usr/bin/env python3
"""What the experiments' scripts agree a finished run is. `experiments/runs.py DIR` exits 0 if DIR
holds one (seeds.sh and extend.sh ask it so)."""
import json, os, sys


def finished(run_dir):
    """The run's test set was scored at the last step its preset asks for (a run continued by
    experiments/extend.sh also holds the test score of the shorter run it was copied from)."""
    metrics, preset = os.path.join(run_dir, "metrics.jsonl"), os.path.join(run_dir, "preset.json")
    if not os.path.exists(metrics) or not os.path.exists(preset):
        return False
    steps = json.load(open(preset))["train"]["steps"]
    return any('"test"' in l and json.loads(l).get("step") == steps for l in open(metrics))


if __name__ == "__main__":
    sys.exit(0 if finished(sys.argv[1]) else 1)
