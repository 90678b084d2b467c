#!/usr/bin/env bash
# The CPU runs a GPU check compares its training runs with (check.sh, step "train"): the demo preset,
# DIS and TRM, in fp32 on one thread, STEPS steps from seed 0, their loss at every log line written to
# bench/gpu/cpu-reference.json. Run here, from the project root, after a build; commit the file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
STEPS=${STEPS:-240}   # a multiple of DIS's N_sup = 6 (whole batches) and of log_every
out=$(mktemp -d)
for method in dis trm; do
  TRM4J_THREADS=1 ./trm4j train --preset demo --out "$out/$method" --set method=$method --set precision=fp32 \
      --set steps="$STEPS" --set log_every=10 --set eval_every="$STEPS" > "$out/$method.log" 2>&1 || { tail -3 "$out/$method.log"; exit 1; }
done
python3 bench/gpu/losses.py write "$out/dis/metrics.jsonl" "$out/trm/metrics.jsonl" > bench/gpu/cpu-reference.json
echo "bench/gpu/cpu-reference.json: $STEPS steps of demo (dis, trm), fp32, one thread, on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
rm -rf "$out"
