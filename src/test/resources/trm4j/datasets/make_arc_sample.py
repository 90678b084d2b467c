#!/usr/bin/env python3
"""Makes the ARC sample that ships in trm4j's jar (src/main/resources/trm4j/arc-sample) from copies of
the pinned sets (the layout `trm4j data download` writes): the files are copied byte for byte, so
each keeps its pinned SHA-256 (ArcSampleTest checks it), with each set's licence.
Usage: make_arc_sample.py DATA_ROOT   (a folder holding arc-agi-1, conceptarc and mini-arc)"""
import os, shutil, sys

root = sys.argv[1]
out = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "main", "resources", "trm4j", "arc-sample")

def smallest(folder, n):
    files = sorted(os.listdir(folder))
    return sorted(files, key=lambda f: (os.path.getsize(os.path.join(folder, f)), f))[:n]

picks = {   # folder under the root -> the files taken
    "arc-agi-1/training": smallest(os.path.join(root, "arc-agi-1/training"), 40),
    "arc-agi-1/evaluation": smallest(os.path.join(root, "arc-agi-1/evaluation"), 16),
    "mini-arc/MiniARC": sorted(os.listdir(os.path.join(root, "mini-arc/MiniARC")))[:48],
}
for concept in sorted(os.listdir(os.path.join(root, "conceptarc/corpus"))):
    picks["conceptarc/corpus/" + concept] = smallest(os.path.join(root, "conceptarc/corpus", concept), 1)
for folder, files in picks.items():
    os.makedirs(os.path.join(out, folder), exist_ok=True)
    for f in files:
        shutil.copyfile(os.path.join(root, folder, f), os.path.join(out, folder, f))
for s in ("arc-agi-1", "conceptarc", "mini-arc"):
    shutil.copyfile(os.path.join(root, s, "LICENSE"), os.path.join(out, s, "LICENSE"))
print({k: len(v) for k, v in picks.items() if not k.startswith("conceptarc")}, "conceptarc/corpus:", sum(len(v) for k, v in picks.items() if k.startswith("conceptarc")))
