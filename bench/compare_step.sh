#!/usr/bin/env bash
# Runs `trm4j bench step` and bench/reference_step.py alternately for one preset and batch and
# prints the median of each side and the speed-up python/trm4j (above 1.0: trm4j is faster).
# Usage: bench/compare_step.sh [PRESET] [BATCH] [ROUNDS]   (default dis-arc-compact 32 3)
# trm4j runs as the launcher starts it (with tcmalloc when installed); python with glibc's malloc,
# as users run it, or with REF_MALLOC=tcmalloc under the same tcmalloc.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset="${1:-dis-arc-compact}"; batch="${2:-32}"; rounds="${3:-3}"
source "$here/bench/common.sh"
"$here/trm4j" --version >/dev/null   # build first, outside the timings
args=(--preset "$preset" --batch "$batch" --warmup 2 --iters 5)
jt=(); je=(); pt=(); pe=()
for _ in $(seq "$rounds"); do
  j=$("$here/trm4j" bench step "${args[@]}")
  p=$(ref_env /usr/bin/python3 "$here/bench/reference_step.py" "${args[@]}")
  jt+=("$(field train <<<"$j")"); je+=("$(field eval <<<"$j")")
  pt+=("$(field train <<<"$p")"); pe+=("$(field eval <<<"$p")")
done
JT=$(med "${jt[@]}"); PT=$(med "${pt[@]}"); JE=$(med "${je[@]}"); PE=$(med "${pe[@]}")
printf '%s batch %s bf16, python malloc %s | train step: trm4j %.1f ms, python %.1f ms, speed-up %.2f | eval step: trm4j %.1f ms, python %.1f ms, speed-up %.2f\n' \
  "$preset" "$batch" "${REF_MALLOC:-glibc}" "$JT" "$PT" "$(echo "$PT / $JT" | bc -l)" "$JE" "$PE" "$(echo "$PE / $JE" | bc -l)"
