#!/usr/bin/env python3
"""Checks the pins of `trm4j data download` against the repositories themselves: for each set, the
pinned commit exists in a clone of its repository, and every pinned file, read from that commit
under the set's folder, has its pinned SHA-256. Tests cannot reach GitHub; this is run by hand.
Usage: check_pins.py NAME CLONE [NAME CLONE ...]   (NAME: arc-agi-1, arc-agi-2, conceptarc, 1d-arc, mini-arc)"""
import gzip, hashlib, json, os, subprocess, sys

here = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "main", "resources", "trm4j", "datasets")
sources = json.load(open(os.path.join(here, "sources.json")))
status = 0
for name, clone in zip(sys.argv[1::2], sys.argv[2::2]):
    s = sources[name]
    pins = dict(reversed(l.split(None, 1)) for l in gzip.open(os.path.join(here, name + ".sha256.gz"), "rt").read().splitlines() if l.strip())
    listing = subprocess.run(["git", "-C", clone, "ls-tree", "-r", "--name-only", s["commit"]], capture_output=True, text=True)
    if listing.returncode != 0:
        print("%s: commit %s is not in %s" % (name, s["commit"], clone)); status = 1; continue
    bad = [f for f, h in pins.items() if hashlib.sha256(subprocess.run(["git", "-C", clone, "show", "%s:%s%s" % (s["commit"], s["from"], f)],
                                                                      capture_output=True).stdout).hexdigest() != h]
    print("%s: %s@%s, %d pinned files, %d differ%s" % (name, s["repo"], s["commit"][:7], len(pins), len(bad), (": " + ", ".join(bad[:5])) if bad else ""))
    status |= 1 if bad else 0
sys.exit(status)
