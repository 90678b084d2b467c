#!/usr/bin/env bash
# Continues finished runs of experiments/seeds.sh to more optimiser steps, in copies named
# TASK<STEPS>-ARM-seedS beside them, so that the shorter runs stay as they were. The seeded runs'
# learning rate is constant after warm-up and a resumed run equals an uninterrupted one (tested),
# so a continued run is the longer run; its test set is scored again at its last step.
# Usage: experiments/extend.sh OUT TASK STEPS   (ARMS="..." and SEEDS="..." select as in seeds.sh;
# a run in progress is locked by a folder DIR.lock, which another runner leaves alone)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$1 TASK=$2 STEPS=$3
for seed in ${SEEDS:-0 1 2}; do
  for arm in ${ARMS:-dis-paper trm-matched trm-small trm-paper}; do
    src="$OUT/$TASK-$arm-seed$seed" dir="$OUT/$TASK$STEPS-$arm-seed$seed"
    experiments/runs.py "$src" || { echo "== $src: not finished"; continue; }
    if experiments/runs.py "$dir"; then continue; fi
    mkdir "$dir.lock" 2>/dev/null || { echo "== $dir: another runner has it"; continue; }
    [ -d "$dir" ] || cp -r "$src" "$dir"
    echo "== $(date +%H:%M:%S) $TASK $arm seed $seed to $STEPS steps"
    ./trm4j train --resume --out "$dir" --set steps="$STEPS" > "$dir.log" 2>&1 || { echo "failed: see $dir.log"; tail -3 "$dir.log"; }
    rmdir "$dir.lock"
  done
done
echo "== $(date +%H:%M:%S) done"
