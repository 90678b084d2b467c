#!/usr/bin/env python3
"""The matmul rate of this Python's torch at one precision and size, as `trm4j bench matmul` prints
its own: the check that a precision is sound here before a comparison uses it (bench/common.sh)."""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from reference_block import median_ms  # noqa: E402

ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument("--dtype", choices=["fp32", "bf16"], default="fp32")
ap.add_argument("--n", type=int, default=512)
a = ap.parse_args()
x, y = torch.randn(a.n, a.n), torch.randn(a.n, a.n)
with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.dtype == "bf16"):
    ms = median_ms(2, 5, lambda: x @ y)
print("matmul %s %d: median %.2f ms, %.1f GFLOP/s" % (a.dtype, a.n, ms, 2 * a.n ** 3 / ms / 1e6))
