#!/usr/bin/env bash
# Runs `trm4j bench step` and bench/reference_step.py alternately for one preset and batch, and
# prints the median of each side and the speed-up python/trm4j (above 1.0: trm4j is faster)
# against Python's best precision. trm4j runs in PREC (default auto: what runs use on this CPU);
# Python runs in every precision it can here (fp32, and bf16 where the CPU has native bf16) that passes a
# matmul-rate check against trm4j's (sound_precisions in bench/common.sh).
# Usage: bench/compare_step.sh [PRESET] [BATCH] [ROUNDS] [PREC]   (default dis-arc-compact 32 3 auto)
# Other kinds of CPU: ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 bench/compare_step.sh ...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset="${1:-dis-arc-compact}"; batch="${2:-32}"; rounds="${3:-3}"; prec="${4:-auto}"
source "$here/bench/common.sh"
"$here/trm4j" --version >/dev/null   # build first, outside the timings
precs=$(sound_precisions)
[ -n "$precs" ] || { echo "no precision of this Python is sound here: no comparison"; exit 1; }
args=(--preset "$preset" --batch "$batch" --warmup 2 --iters 5)
declare -A pt pe
jt=(); je=(); header=""
for _ in $(seq "$rounds"); do
  j=$("$here/trm4j" bench step "${args[@]}" --dtype "$prec")
  [ -n "$header" ] || header=$(grep -E '^(cpu|engine|step):' <<<"$j" || true)
  jt+=("$(field train <<<"$j")"); je+=("$(field eval <<<"$j")")
  for p in $precs; do
    out=$(ref_env /usr/bin/python3 "$here/bench/reference_step.py" "${args[@]}" --dtype "$p")
    pt[$p]="${pt[$p]:-} $(field train <<<"$out")"; pe[$p]="${pe[$p]:-} $(field eval <<<"$out")"
  done
done
echo "$header"
JT=$(med "${jt[@]}"); JE=$(med "${je[@]}")
best_t=""; best_e=""
for p in $precs; do
  # shellcheck disable=SC2086
  T=$(med ${pt[$p]}); E=$(med ${pe[$p]})
  printf 'python %-4s train %8.1f ms  eval %8.1f ms\n' "$p" "$T" "$E"
  if [ -z "$best_t" ] || (( $(echo "$T < $best_t" | bc -l) )); then best_t=$T; fi
  if [ -z "$best_e" ] || (( $(echo "$E < $best_e" | bc -l) )); then best_e=$E; fi
done
printf 'trm4j  %-4s train %8.1f ms  eval %8.1f ms\n' "$prec" "$JT" "$JE"
printf '%s batch %s, %s rounds, python malloc %s | speed-up against python'"'"'s best: train %.2f, eval %.2f\n' \
  "$preset" "$batch" "$rounds" "${REF_MALLOC:-tcmalloc}" "$(echo "$best_t / $JT" | bc -l)" "$(echo "$best_e / $JE" | bc -l)"
