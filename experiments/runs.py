#!/usr/bin/env python3
"""`experiments/runs.py DIR` exits 0 if DIR holds a finished run: its test set scored at the last
step its preset asks for (seeds.sh and demo.sh ask it so)."""
import sys

from metrics import finished

if __name__ == "__main__":
    sys.exit(0 if finished(sys.argv[1]) else 1)
