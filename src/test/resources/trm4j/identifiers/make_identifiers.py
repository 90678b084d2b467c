#!/usr/bin/env python3
"""A reference-built identifiers.json for IdentifiersTest: two small tasks (written here, no ARC data) augmented
by the reference's own dataset/build_arc_dataset.py (aug: a dihedral tid and a colour mapping, as its puzzle
identifiers name them), and the grids it made. With REF_DIR a checkout of SamsungSAILMontreal/TinyRecursiveModels
at e7b68717f0a6c4cbb4ce6fbef787b14f42083bd9 (refused otherwise); argdantic is stubbed (only its decorator is used).
Usage: /usr/bin/python3 make_identifiers.py REF_DIR OUT_DIR"""
import json, os, subprocess, sys, types

ref, out = sys.argv[1], sys.argv[2]
COMMIT = "e7b68717f0a6c4cbb4ce6fbef787b14f42083bd9"
if subprocess.run(["git", "-C", ref, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip() != COMMIT:
    sys.exit(ref + " is not at " + COMMIT)
argdantic = types.ModuleType("argdantic")
class ArgParser:
    def command(self, *a, **k):
        return lambda f: f
    def __call__(self, *a, **k):
        pass
argdantic.ArgParser = ArgParser
sys.modules["argdantic"] = argdantic
sys.path.insert(0, ref)
import numpy as np  # noqa: E402
from dataset.build_arc_dataset import aug, inverse_aug  # noqa: E402

tasks = {"alpha": [([[1, 2, 0], [3, 4, 5]], [[5, 4, 3], [0, 2, 1]])],
         "beta": [([[6, 7], [8, 9], [0, 1]], [[1, 0], [9, 8], [7, 6]]), ([[2]], [[3]])]}
np.random.seed(42)
ids, grids = ["<blank>"], {}
for name, pairs in tasks.items():
    ids.append(name)
    grids[name] = [[i, o] for i, o in pairs]
    for _ in range(5):
        identifier, map_grid = aug(name)
        ids.append(identifier)
        grids[identifier] = [[map_grid(np.array(i)).tolist(), map_grid(np.array(o)).tolist()] for i, o in pairs]
        _, back = inverse_aug(identifier)
        assert all(back(np.array(a)).tolist() == i for (i, _), (a, _) in zip(pairs, grids[identifier]))
json.dump(ids, open(os.path.join(out, "identifiers.json"), "w"), indent=1)
json.dump({"reference": {"repo": "SamsungSAILMontreal/TinyRecursiveModels", "commit": COMMIT}, "tasks": tasks, "augmented": grids},
          open(os.path.join(out, "augmented.json"), "w"), indent=1)
