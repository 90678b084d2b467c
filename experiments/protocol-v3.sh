#!/usr/bin/env bash
# Protocol v3 of docs/REPRODUCTION.md: DIS against TRM at the scale of a 2-core CPU, fixed here before any of its
# runs. Every budget, setting, seed and rule below is part of it; docs/REPRODUCTION.md says why.
#
# Tasks, in the order they run (the cheapest planned comparisons finish first), with their budgets in optimiser steps:
#   sudoku6   6x6 Sudoku, 20 givens, 2,000 / 200 validation / 200 test puzzles       6,000 steps, seeds 0-9  (planned)
#   nqueens   N-Queens 8x8, 7,200 / 200 / 200                                         6,000 steps, seeds 0-9  (planned)
#   1darc     1D-ARC: 180 tasks' test pairs held out (test), 90 other tasks' kept     6,000 steps, seeds 0-9  (planned)
#             apart as validation, every demonstration trained on; pass@2, 8 versions voted
#   sudoku4   4x4 Sudoku, at least 8 givens, 2,000 / 200 / 200: the demo-scale check  3,000 steps, seeds 0-4  (exploratory)
# Arms (one network for all: D 64, 4 heads, 1 layer, T 1, n 2, batch 64, fp32; no puzzle-embedding prefix on the
# one-id puzzle tasks, the 16 positions of the reference on 1D-ARC, whose every task has its own embeddings):
#   dis               DIS as its code trains it: N_sup 6, step embedding, fed its own prediction, AdamW, no EMA
#   trm               TRM as its code trains it: N_sup 16, halting (q loss 0.5, exploration 0.1), AdamATan2, EMA 0.999;
#                     the same network, data and optimiser steps as dis
#   dis-same-samples  dis for the optimiser steps at which it has seen the samples trm of the same seed saw:
#                     6 x ceil(samples / 64) (experiments/runs.py matched), equal to within one batch
# Tuning, the same budget for each method on each task: the 4 settings of SETTINGS, one run each at the task's budget,
# train.seed 100 (the study's are 0-9), on other puzzles (data.seed 100) where the task is generated; 1D-ARC has no
# other tasks, so its tuning runs see the study's split and are judged on its validation tasks alone. The setting with
# the highest mean validation accuracy over the evaluations of the last quarter of the run wins (a tie: the first
# listed); the study runs use it (experiments/runs.py choose).
# Evaluations every twelfth of the budget (1D-ARC: every sixth; each votes over 8 versions of its 90 tasks) score the
# validation puzzles (ARC: tasks); the test set is scored once, at the last step, at N_sup (the references evaluate with
# every supervision step). Plateau rule (metrics.trend): a run
# has converged unless its mean validation accuracy over the last quarter of its steps is 0.02 or more above that
# over the quarter before ("rising": not converged); the tables say which runs did not.
#
# Usage: TRM4J_CMD=FROZEN/trm4j experiments/protocol-v3.sh OUT_DIR [TASK...]   (default: all four, in the order above)
#   FROZEN from experiments/frozen.sh, at or after the commit of this protocol; TRM4J_DATA: the folder holding 1d-arc
#   (default ../shared/data). PROTOCOL_SMOKE=1: every budget / 50 and seeds 0-1, to try the machinery (its OUT_DIR
#   can never become a study's).
# Restartable: a finished run is skipped, a killed one continues (--resume), and several runners can share OUT_DIR (a
# run in progress is locked by DIR.lock; a lock whose runner is gone is taken over). A runner with nothing it can start
# while others hold runs waits for them. Each run: one thread (TRM4J_THREADS=1), fp32, the frozen build's COMMIT copied in.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: TRM4J_CMD=FROZEN/trm4j experiments/protocol-v3.sh OUT_DIR [TASK...]}; shift
TASKS=${*:-sudoku6 nqueens 1darc sudoku4}
CMD=${TRM4J_CMD:?TRM4J_CMD: a frozen build, from experiments/frozen.sh DIR (then TRM4J_CMD=DIR/trm4j)}
DATA_ROOT=${TRM4J_DATA:-../shared/data}
SMOKE=${PROTOCOL_SMOKE:-}
refuse() { echo "protocol-v3.sh: $*" >&2; exit 2; }

# The protocol is the commit that last changed this file. It runs only as committed, once docs/REPRODUCTION.md names
# that commit, on a frozen build that contains it, and an OUT_DIR stays with the protocol and build it started with.
protocol=$(git log -1 --format=%H -- experiments/protocol-v3.sh)
[ -n "$protocol" ] || refuse "experiments/protocol-v3.sh is not committed: commit it, then name the commit in docs/REPRODUCTION.md"
git diff --quiet HEAD -- experiments/protocol-v3.sh experiments/runs.py experiments/metrics.py \
  || refuse "experiments/protocol-v3.sh, runs.py or metrics.py has uncommitted changes: a change to the protocol is a new commit"
grep -q "${protocol:0:12}" docs/REPRODUCTION.md || refuse "docs/REPRODUCTION.md does not name the protocol commit ${protocol:0:12}"
[ -f "$(dirname "$CMD")/COMMIT" ] || refuse "TRM4J_CMD=$CMD is not a frozen build (experiments/frozen.sh DIR makes one, with DIR/COMMIT)"
build=$(cat "$(dirname "$CMD")/COMMIT")
git merge-base --is-ancestor "$protocol" "$build" 2>/dev/null || refuse "the frozen build ${build:0:12} does not contain the protocol commit ${protocol:0:12}"
stamp="protocol $protocol build $build${SMOKE:+ smoke}"
mkdir -p "$OUT/tuning"
if [ -f "$OUT/PROTOCOL" ]; then
  [ "$(cat "$OUT/PROTOCOL")" = "$stamp" ] || refuse "$OUT was started as '$(cat "$OUT/PROTOCOL")', not '$stamp': use another OUT_DIR"
else
  echo "$stamp" > "$OUT/PROTOCOL"
fi

export TRM4J_THREADS=1   # one thread count for every run: fp32 sums depend on it
COMMON=(--set hidden_size=64 --set precision=fp32)
SETTINGS=("1e-3 100" "3e-4 100" "3e-3 100" "1e-3 1000")   # lr and warm-up steps; a tie goes to the first
DIS_NSUP=6                                                 # presets/base/dis.json

task_setup() {  # TASK: sets DIS and TRM (presets), STEPS, EVERY, SEEDS, DATA (the task) and TUNE (the tuning runs' data)
  SEEDS="0 1 2 3 4 5 6 7 8 9"; TUNE=(--set data.seed=100); local evaluations=12
  case $1 in
    sudoku6) DIS=dis-sudoku4-cpu TRM=trm-sudoku4-cpu STEPS=6000
             DATA=(--set size=6 --set seq_len=36 --set vocab_size=8 --set min_clues=20 --set validation=200 --set puzzle_emb_len=0) ;;
    nqueens) DIS=dis-nqueens-cpu TRM=trm-nqueens-cpu STEPS=6000; DATA=(--set validation=200 --set puzzle_emb_len=0) ;;
    1darc)   [ -d "$DATA_ROOT/1d-arc/dataset" ] || refuse "1darc: no $DATA_ROOT/1d-arc/dataset (./trm4j data download 1d-arc --to DIR; TRM4J_DATA=DIR)"
             DIS=dis-miniarc-cpu TRM=trm-miniarc-cpu STEPS=6000; TUNE=(); evaluations=6
             DATA=(--set root="$DATA_ROOT" --set set=1d-arc --set seq_len=96 --set holdout=0.2 --set validation=0.125
                   --set eval_versions=8 --set progress_versions=8) ;;
    sudoku4) DIS=dis-sudoku4-cpu TRM=trm-sudoku4-cpu STEPS=3000; SEEDS="0 1 2 3 4"
             DATA=(--set min_clues=8 --set validation=200 --set puzzle_emb_len=0) ;;
    *) refuse "unknown task $1 (tasks: sudoku6 nqueens 1darc sudoku4)" ;;
  esac
  if [ -n "$SMOKE" ]; then STEPS=$((STEPS / 50)); SEEDS="0 1"; fi
  EVERY=$((STEPS / evaluations))
}

FAILED=" "   # the runs that failed in this call, space-separated
ran=0 waiting=0
live() {  # DIR: its lock is held by a runner that is still running
  local pid; pid=$(cat "$1.lock/pid" 2>/dev/null || true)
  [ -d "$1.lock" ] && { [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null; }
}
take() {  # DIR: locks DIR for this runner; a lock whose runner is gone is taken over
  if mkdir "$1.lock" 2>/dev/null; then echo $$ > "$1.lock/pid"; return 0; fi
  live "$1" && return 1
  rm -rf "$1.lock"; mkdir "$1.lock" 2>/dev/null && echo $$ > "$1.lock/pid"
}
run() {  # DIR PRESET SET...: trains DIR (one run per pass), unless it has finished, is held, or failed in this call
  local dir=$1 preset=$2; shift 2
  [ $ran = 0 ] || return 0
  experiments/runs.py "$dir" && return 0
  [[ $FAILED != *" $dir "* ]] || return 0
  take "$dir" || { waiting=1; return 0; }
  local start=--resume
  [ -d "$dir" ] && [ ! -f "$dir/checkpoint.safetensors" ] && start=--force   # killed before its first checkpoint: start over
  echo "== $(date '+%F %H:%M:%S') $(basename "$dir") $*"
  if ! "$CMD" train --preset "$preset" --out "$dir" $start "${COMMON[@]}" "$@" > "$dir.log" 2>&1 || ! experiments/runs.py "$dir"; then
    FAILED+="$dir "; echo "failed: see $dir.log"; tail -3 "$dir.log"
  fi
  [ -d "$dir" ] && cp "$(dirname "$CMD")/COMMIT" "$dir/COMMIT"   # the code the run ran on
  rm -rf "$dir.lock"; ran=1
}
tuning_dir() { echo "$OUT/tuning/$1-$2-lr$3-warmup$4-seed100"; }   # TASK METHOD LR WARMUP
tune() {  # TASK: its 4 settings for each method, dis and trm alternately
  local s lr wu m preset
  for s in "${SETTINGS[@]}"; do
    read -r lr wu <<< "$s"
    for m in dis trm; do
      preset=$DIS; [ $m = trm ] && preset=$TRM
      run "$(tuning_dir "$1" $m "$lr" "$wu")" "$preset" "${DATA[@]}" "${TUNE[@]}" --set train.seed=100 --set steps=$STEPS \
        --set eval_every=$EVERY --set lr="$lr" --set warmup="$wu"
    done
  done
}
chosen() {  # TASK METHOD: "--set lr=.. --set warmup=.." of the setting chosen on validation; nothing while tuning is unfinished
  local dirs=() s lr wu i
  for s in "${SETTINGS[@]}"; do read -r lr wu <<< "$s"; dirs+=("$(tuning_dir "$1" "$2" "$lr" "$wu")"); done
  i=$(experiments/runs.py choose "${dirs[@]}" 2>/dev/null) || return 0
  read -r lr wu <<< "${SETTINGS[$i]}"
  echo "--set lr=$lr --set warmup=$wu"
}
study() {  # TASK: per seed dis, trm, then dis-same-samples once trm has finished
  local d t s m lr wu seed budget=(--set steps="$STEPS" --set eval_every="$EVERY")
  d=$(chosen "$1" dis); t=$(chosen "$1" trm)
  if [ -z "$d" ] || [ -z "$t" ]; then   # tuning unfinished: wait if another runner holds one of its runs
    for s in "${SETTINGS[@]}"; do read -r lr wu <<< "$s"; for m in dis trm; do live "$(tuning_dir "$1" $m "$lr" "$wu")" && waiting=1; done; done
    return 0
  fi
  for seed in $SEEDS; do
    run "$OUT/$1-dis-seed$seed" "$DIS" "${DATA[@]}" $d --set train.seed="$seed" "${budget[@]}"
    run "$OUT/$1-trm-seed$seed" "$TRM" "${DATA[@]}" $t --set train.seed="$seed" "${budget[@]}"
    if experiments/runs.py "$OUT/$1-trm-seed$seed"; then
      run "$OUT/$1-dis-same-samples-seed$seed" "$DIS" "${DATA[@]}" $d --set train.seed="$seed" \
        --set steps="$(experiments/runs.py matched "$OUT/$1-trm-seed$seed" $DIS_NSUP)" --set eval_every="$EVERY"
    elif live "$OUT/$1-trm-seed$seed"; then
      waiting=1
    fi
  done
}

while :; do   # one run per pass, the first the order above allows; then again from the top
  ran=0 waiting=0
  for task in $TASKS; do task_setup "$task"; tune "$task"; study "$task"; done
  [ $ran = 1 ] && continue
  [ $waiting = 1 ] || break
  sleep 60   # what is left is held by other runners, or waits on their runs
done
if [ "$FAILED" != " " ]; then echo "== failed:$FAILED"; exit 1; fi
echo "== $(date '+%F %H:%M:%S') done: experiments/tables.py $OUT"
