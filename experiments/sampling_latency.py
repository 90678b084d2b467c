#!/usr/bin/env python3
"""The time of one puzzle's answer against K, over HTTP to a running `trm4j serve` of a puzzle model:
the same generated board asked with samples 1, 8 and 16 (noise 0.5), 20 warm-up rounds, then 100 rounds
interleaved; prints the CPU, each K's median and 10th/90th percentiles in ms, and the medians' ratios to K = 1.
  sampling_latency.py URL     (e.g. http://127.0.0.1:8080)"""
import json
import statistics
import sys
import time
import urllib.request


def main(url):
    grid = json.load(urllib.request.urlopen(url + "/v1/puzzle"))["grid"]
    bodies = {1: {"grid": grid}, 8: {"grid": grid, "samples": 8, "noise": 0.5}, 16: {"grid": grid, "samples": 16, "noise": 0.5}}

    def ask(body):
        req = urllib.request.Request(url + "/v1/solve", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        t = time.perf_counter()
        urllib.request.urlopen(req).read()
        return 1000 * (time.perf_counter() - t)

    for _ in range(20):
        for b in bodies.values():
            ask(b)
    ms = {k: [] for k in bodies}
    for _ in range(100):
        for k, b in bodies.items():
            ms[k].append(ask(b))
    info = open("/proc/cpuinfo").read().splitlines()
    cpu = next((l.split(":", 1)[1].strip() for l in info if l.startswith("model name")), "unknown CPU")
    flags = next((l.split(":", 1)[1].split() for l in info if l.startswith("flags")), [])
    isa = [f for f in ("amx_bf16", "avx512_bf16", "avx512f", "avx2") if f in flags]
    print(f"cpu: {cpu} ({', '.join(isa) or 'no AVX2'}), {len([l for l in info if l.startswith('processor')])} cores")
    for k, v in ms.items():
        v.sort()
        print(f"K={k:<2} median {statistics.median(v):7.2f} ms  p10 {v[10]:7.2f}  p90 {v[90]:7.2f}  x{statistics.median(v) / statistics.median(ms[1]):.2f} of K=1")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1].rstrip("/"))
