#!/usr/bin/env bash
# The demo preset's spread over seeds, and a cheaper variant chosen on validation puzzles alone.
#   base      the demo as it is: seeds 0-2, 6,000 steps (its test accuracy over 3 seeds is the spread to stay within)
#   prefix0   the same without the 16 puzzle-embedding positions (the demo has one puzzle id: the prefix is a learned
#             constant), seeds 0-2, 6,000 steps; its validation curve (every 1,000 steps; the schedule is constant
#             after warm-up, so a shorter run is this one's beginning) chooses the step budget
#   final     prefix0 at the chosen budget, seeds 0-2: the test set scored once, at the end. The budget (fixed
#             before prefix0's curves were seen): the fewest of 1000, 2000, ..., 6000 steps at which prefix0's mean
#             validation exact accuracy over its seeds reaches 95% of its mean at 6,000 steps. STEPS=N overrides.
#   fast      for a demo under 3 minutes: prefix0 at 2,500 steps with lr 2e-3 and with 4e-3, seed 0; the lr whose
#             validation exact accuracy at step 2,500 is higher (fixed before these runs) then runs seeds 1-2
#   batch     for a demo under 3 minutes at its 6,000 steps: prefix0 with batch 16, then 32 (a smaller batch makes a
#             cheaper step; the rest, lr included, unchanged), seed 0. Fixed before these runs: the first of them whose
#             seed-0 validation exact accuracy at 6,000 reaches 0.829 (95% of prefix0's mean, 0.873) runs seeds 1-2,
#             and becomes the demo's batch if its mean over seeds 0-2 reaches 0.829 too
#   small     for a demo under 3 minutes with a cheaper network at its 6,000 steps and batch 64: A = hidden 32 and n 1
#             (heads 4; 22-25 ms a step against 50, bench step, Zen 3), then B = the same with heads 2; seeds 0-2 of
#             each. Fixed before these runs: the first of A, B whose mean validation exact accuracy over seeds 0-2 at
#             6,000 reaches 0.829 (95% of prefix0's mean) becomes the demo, if `./trm4j demo` with it then takes
#             under 180 s from a fresh clone on 2 Zen 3 cores; the test set is scored once, at each run's end
# Usage: experiments/demo.sh OUT_DIR [base|prefix0|final|fast|batch|small]...   TRM4J_CMD as in seeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: experiments/demo.sh OUT_DIR [base|prefix0|final|fast|batch|small]...}; shift
CMD=${TRM4J_CMD:-./trm4j}
export TRM4J_THREADS=${TRM4J_THREADS:-1}
mkdir -p "$OUT"
run() {  # NAME SEED SET...
  local dir="$OUT/$1-seed$2" seed=$2; shift 2
  if experiments/runs.py "$dir"; then return; fi
  echo "== $(date +%H:%M:%S) $(basename "$dir")"
  $CMD train --preset demo --out "$dir" --resume --set train.seed="$seed" "$@" > "$dir.log" 2>&1 || { echo "failed: see $dir.log"; tail -3 "$dir.log"; }
  [ -f "$(dirname "$CMD")/COMMIT" ] && cp "$(dirname "$CMD")/COMMIT" "$dir/COMMIT"
  return 0
}
first_batch() {  # the first batch of "batch" whose seed 0 reached 0.829 on validation at its last step, or none
  python3 - "$OUT" <<'PY'
import sys, os
sys.path.insert(0, "experiments")
import metrics
for b in (16, 32):
    d = os.path.join(sys.argv[1], "batch%d-seed0" % b)
    if not metrics.finished(d):
        sys.exit("batch: %s did not finish" % d)
    if metrics.accuracy(metrics.read(d).evals[-1]["eval"]) >= 0.829:
        print(b); break
else:
    print("none")
PY
}
reachable() {  # yes if seed 0 of NAME leaves a mean of 0.829 over seeds 0-2 within reach (two perfect seeds after it); added after small-a's seed 0
  python3 - "$OUT/$1-seed0" <<'PY'
import sys
sys.path.insert(0, "experiments")
import metrics
if not metrics.finished(sys.argv[1]):
    sys.exit("small: %s did not finish" % sys.argv[1])
print("yes" if metrics.accuracy(metrics.read(sys.argv[1]).evals[-1]["eval"]) + 2 >= 3 * 0.829 else "no")
PY
}
budget() {  # the final budget from prefix0's validation curves
  python3 - "$OUT" <<'PY'
import sys, os
sys.path.insert(0, "experiments")
import metrics
curves = []
for seed in (0, 1, 2):
    d = os.path.join(sys.argv[1], "prefix0-seed%d" % seed)
    if not metrics.finished(d):
        sys.exit("final needs prefix0 first: experiments/demo.sh %s prefix0" % sys.argv[1])
    curves.append({e["step"]: metrics.accuracy(e["eval"]) for e in metrics.read(d).evals})   # validation
mean = {s: sum(c[s] for c in curves) / len(curves) for s in range(1000, 6001, 1000)}
print(min(s for s in mean if mean[s] >= 0.95 * mean[6000]))
PY
}
fastest() {  # the lr of fast: the higher validation accuracy at its last step, seed 0 (a tie: the lower lr)
  python3 - "$OUT" <<'PY'
import sys, os
sys.path.insert(0, "experiments")
import metrics
best = None
for lr in ("2e-3", "4e-3"):
    d = os.path.join(sys.argv[1], "fast-lr%s-seed0" % lr)
    if not metrics.finished(d):
        sys.exit("fast: %s did not finish" % d)
    acc = metrics.accuracy(metrics.read(d).evals[-1]["eval"])
    if best is None or acc > best[1]:
        best = (lr, acc)
print(best[0])
PY
}
whats=("$@"); [ ${#whats[@]} -gt 0 ] || whats=(base prefix0)
for what in "${whats[@]}"; do
  if [ "$what" = fast ]; then
    # 2,500 steps end inside a DIS batch, which builds after the study refuse: run it on the study's frozen build
    FAST=(--set puzzle_emb_len=0 --set steps=2500 --set eval_every=500)
    for lr in 2e-3 4e-3; do run "fast-lr$lr" 0 "${FAST[@]}" --set lr=$lr; done
    lr=$(fastest)
    for seed in 1 2; do run "fast-lr$lr" "$seed" "${FAST[@]}" --set lr=$lr; done
    continue
  fi
  if [ "$what" = batch ]; then
    for b in 16 32; do run "batch$b" 0 --set puzzle_emb_len=0 --set batch=$b; done
    b=$(first_batch)
    [ "$b" = none ] && { echo "== batch: neither reached 0.829 on validation"; continue; }
    for seed in 1 2; do run "batch$b" "$seed" --set puzzle_emb_len=0 --set batch="$b"; done
    continue
  fi
  if [ "$what" = small ]; then
    SMALL=(--set puzzle_emb_len=0 --set hidden_size=32 --set n=1)
    for v in a b; do
      extra=(); [ $v = b ] && extra=(--set heads=2)
      run small-$v 0 "${SMALL[@]}" "${extra[@]}"
      [ "$(reachable small-$v)" = yes ] || { echo "== small-$v: seed 0 puts a mean of 0.829 out of reach"; continue; }
      for seed in 1 2; do run small-$v "$seed" "${SMALL[@]}" "${extra[@]}"; done
    done
    continue
  fi
  for seed in 0 1 2; do
    case $what in
      base) run base "$seed" ;;
      prefix0) run prefix0 "$seed" --set puzzle_emb_len=0 ;;
      final) STEPS=${STEPS:-$(budget)}
             if [ "$STEPS" = 6000 ]; then echo "== the budget is prefix0's own 6,000 steps: prefix0 is the final run"; continue; fi
             run "final$STEPS" "$seed" --set puzzle_emb_len=0 --set steps="$STEPS" ;;
      *) echo "unknown $what"; exit 2 ;;
    esac
  done
done
