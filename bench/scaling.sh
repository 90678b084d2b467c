#!/usr/bin/env bash
# Data-parallel on one machine: N processes x (cores/N) threads against 1 process x all cores,
# interleaved (A B A B) so that both see the same machine. Prints the training samples/s of the
# last logging window of each run (the first window holds the warm-up).
# Usage: bench/scaling.sh PRESET NPROC ROUNDS [--set KEY=VALUE ...]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=$1 nproc=$2 rounds=$3; shift 3
cores=$(nproc)
out=$(mktemp -d)
rate() { python3 -c "import json,sys; l=[json.loads(x) for x in open(sys.argv[1]) if '\"loss\"' in x]; print('%.1f' % l[-1]['samples_per_s'])" "$1/metrics.jsonl"; }
for r in $(seq 1 "$rounds"); do
  TRM4J_THREADS=$cores ./trm4j train --preset "$preset" --out "$out/one-$r" "$@" > /dev/null 2>&1
  TRM4J_THREADS=$((cores / nproc)) ./trm4j train --preset "$preset" --out "$out/many-$r" "$@" --nproc "$nproc" > /dev/null 2>&1
  echo "round $r: 1 process x $cores threads $(rate "$out/one-$r") samples/s; $nproc processes x $((cores / nproc)) threads $(rate "$out/many-$r") samples/s"
done
rm -rf "$out"
