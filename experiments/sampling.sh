#!/usr/bin/env bash
# Sampled recursion trajectories (docs/REPRODUCTION.md, "More accuracy from a trained model"): for each trained run
# folder given, sigma is chosen on the run's validation puzzles, then the test set is scored once per (K, rule).
#   1. validation: K = 8 samples, sigma in SIGMAS, each rule the model can follow (vote and confidence; TRM also halt and
#      first-halt); the sigma with the highest validation exact accuracy per rule (ties: the smaller sigma).
#   2. test: K in KS at that sigma, each rule; K = 1 (no noise) is the deterministic pass.
# Every evaluation writes OUT/<run>/<split>-k<K>-s<sigma>-<rule>.json (accuracy, agreement, seconds of answering);
# experiments/sampling_table.py OUT prints the table with network calls and wall time per answer.
# Usage: experiments/sampling.sh OUT RUN_DIR...   (TRM4J_CMD: a frozen build; one thread per evaluation)
#   AUGMENT=1: every sample but the first under its own symmetry of the puzzle (--augment; SIGMAS then starts at 0, the
#   symmetries alone); RULES: the rules to try (default: every rule the model can follow). Give such a study its own OUT.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: experiments/sampling.sh OUT RUN_DIR...}; shift
CMD=${TRM4J_CMD:-./trm4j}
AUGMENT=${AUGMENT:+--augment}
SIGMAS=${SIGMAS:-${AUGMENT:+0 }0.05 0.1 0.25 0.5 1.0}
KS=${KS:-"1 2 4 8 16 32"}
export TRM4J_THREADS=${TRM4J_THREADS:-1}
evaluate() {  # RUN NAME SPLIT K SIGMA RULE
  local run=$1 name=$2 split=$3 k=$4 sigma=$5 rule=$6 f="$OUT/$2/$3-k$4-s$5-$6.json"
  [ -s "$f" ] && return 0
  $CMD eval --checkpoint "$run" --split "$split" --samples "$k" --noise "$sigma" --select "$rule" $AUGMENT --seed 1 --out "$f" > /dev/null 2>> "$OUT/$name/eval.log" \
    || { echo "failed: $f (see $OUT/$name/eval.log)"; tail -2 "$OUT/$name/eval.log"; exit 1; }
}
for run in "$@"; do
  name=$(basename "$run")
  mkdir -p "$OUT/$name"
  method=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["train"]["method"]["kind"])' "$run/preset.json")
  kind=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["kind"])' "$run/preset.json")
  rules="vote confidence"; [ "$method" = trm ] && rules="vote confidence halt first-halt"
  [ "$kind" = arc ] && rules="vote"   # ARC: every sample of every version votes
  [ -n "${RULES:-}" ] && rules=$RULES
  echo "== $(date +%H:%M:%S) $name ($method): validation"
  for rule in $rules; do for sigma in $SIGMAS; do evaluate "$run" "$name" validation 8 "$sigma" "$rule"; done; done
  for rule in $rules; do
    best=$(python3 experiments/sampling_table.py --best "$OUT/$name" "$rule")
    echo "== $(date +%H:%M:%S) $name: test, $rule at sigma $best"
    for k in $KS; do
      if [ "$k" = 1 ]; then evaluate "$run" "$name" test 1 0 "$rule"; else evaluate "$run" "$name" test "$k" "$best" "$rule"; fi
    done
  done
done
python3 experiments/sampling_table.py "$OUT"
