#!/usr/bin/env bash
# DIS against TRM with the same network (D64 L1 H4, T=1 n=2) on three tasks at the scale of a
# 2-core CPU. Each pair trains for the same optimiser steps; the report lays them side by side.
# Usage: experiments/single-seed.sh [OUT_DIR] [DATA_ROOT]    (default runs/experiments, data: the folder `trm4j data download` fills)
# Superseded by experiments/seeds.sh (three seeds, matched arms, validation puzzles); kept because
# experiments/results/superseded/single-seed/ holds its runs, which docs/REPRODUCTION.md still cites for 1D-ARC.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/experiments}
ROOT=${2:-data}
mkdir -p "$OUT"

train() {  # NAME PRESET SET...   (a finished run is left as it is; a shorter or killed one continues)
  local name=$1 preset=$2; shift 2
  echo "== $name ($preset $*)"
  ./trm4j train --preset "$preset" --out "$OUT/$name" --resume "$@"
}

SMALL=(--set hidden_size=64)
# (a) N-Queens 8x8 (SPEC.md: 1..7 queens given, 7,200 train / 200 test)
train nqueens-dis dis-nqueens-cpu "${SMALL[@]}" --set steps=12000 --set eval_every=1200
train nqueens-trm trm-nqueens-cpu "${SMALL[@]}" --set steps=12000 --set eval_every=1200
# (b) Sudoku 4x4 with at least 8 givens (harder than the demo's 10)
train sudoku4-dis dis-sudoku4-cpu "${SMALL[@]}" --set min_clues=8 --set steps=6000 --set eval_every=1200
train sudoku4-trm trm-sudoku4-cpu "${SMALL[@]}" --set min_clues=8 --set steps=6000 --set eval_every=1200
# (c) Mini-ARC on an 8x8 canvas, 1000 augmented versions per task, 20% of the tasks' tests held out, 8-version voting
train miniarc-dis dis-miniarc-cpu --set root="$ROOT" --set steps=3000 --set eval_every=1000
train miniarc-trm trm-miniarc-cpu --set root="$ROOT" --set steps=3008 --set eval_every=1000
# (c') 1D-ARC (1 x 96 canvas, only the row-preserving transforms), the same models
ONE_D=(--set root="$ROOT" --set set=1d-arc --set seq_len=96 --set steps=6000 --set eval_every=1500)
train 1darc-dis dis-miniarc-cpu "${ONE_D[@]}"
train 1darc-trm trm-miniarc-cpu "${ONE_D[@]}"

for task in nqueens sudoku4 miniarc 1darc; do
  ./trm4j report "$OUT/$task-dis" "$OUT/$task-trm" --out "$OUT/report-$task"
done
for w in 1 1.5 2; do
  echo "== guidance $w (sudoku4-dis)"
  ./trm4j eval --checkpoint "$OUT/sudoku4-dis/model.safetensors" --guidance "$w" --out "$OUT/sudoku4-dis/eval-guidance-$w.json"
done
for w in 1 1.5 2; do
  echo "== guidance $w (1darc-dis)"
  ./trm4j eval --checkpoint "$OUT/1darc-dis/model.safetensors" --guidance "$w" --out "$OUT/1darc-dis/eval-guidance-$w.json"
done
