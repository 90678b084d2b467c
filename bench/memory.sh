#!/usr/bin/env bash
# Trains a preset for some steps and samples the process's resident memory every few seconds, to
# show its peak and whether it grows with the steps. Prints "seconds MB" lines, then the peak.
# Usage: bench/memory.sh [PRESET] [BATCH] [STEPS] [DATA_ROOT] [--set KEY=VALUE ...]
#        (default dis-arc-compact 64 100 data: the folder `trm4j data download` fills; "sample" is the few tasks in the jar)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset="${1:-dis-arc-compact}"; batch="${2:-64}"; steps="${3:-100}"; root="${4:-data}"
out="$(mktemp -d)"
"$here/trm4j" --version >/dev/null
"$here/trm4j" train --preset "$preset" --out "$out/run" --set batch="$batch" --set steps="$steps" \
  --set root="$root" --set eval_every=0 --set eval_samples=2 --set log_every=6 --set checkpoint_every=100000 \
  "${@:5}" >"$out/log" 2>&1 &
pid=$!
sleep 1
java_pid=$(pgrep -P "$pid" java || echo "$pid")
start=$(date +%s); peak=0
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$java_pid/status" 2>/dev/null || echo 0)
  [ "$rss" -gt "$peak" ] && peak=$rss
  step=$( (tail -1 "$out/run/metrics.jsonl" 2>/dev/null || true) | sed -n 's/.*"step":\([0-9]*\).*/\1/p')
  echo "$(( $(date +%s) - start )) s  step ${step:-0}  ${rss} MB"
  sleep 10
done
wait "$pid" || { cat "$out/log"; exit 1; }
grep -h '"loss"' "$out/run/metrics.jsonl" | sed -n '1p;$p' | cut -c1-160
echo "peak ${peak} MB resident ($preset, batch $batch, $steps steps); run folder $out/run"
