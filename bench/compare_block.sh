#!/usr/bin/env bash
# Runs `trm4j bench block` and bench/reference_block.py alternately on the same shapes and prints
# the median of each side and the ratio trm4j/python against Python's best precision (below 1.0:
# trm4j is faster). trm4j runs in PREC (default auto); Python in fp32 and, where the CPU has native
# bf16, bf16.
# Usage: bench/compare_block.sh [ROUNDS] [PREC]   (shapes: 32/81/512 and 8/900/512)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"; prec="${2:-auto}"
source "$here/bench/common.sh"
"$here/trm4j" --version >/dev/null   # build first, outside the timings
precs=$(sound_precisions)
[ -n "$precs" ] || { echo "no precision of this Python is sound here: no comparison"; exit 1; }
"$here/trm4j" bench block --batch 1 --seq 8 --hidden 32 --heads 2 --warmup 0 --iters 1 --dtype "$prec" | grep -E '^(cpu|engine):'
for shape in "32 81 512" "8 900 512"; do
  read -r b s h <<<"$shape"
  args=(--batch "$b" --seq "$s" --hidden "$h" --warmup 2 --iters 5)
  declare -A pf pb
  jf=(); jb=()
  for _ in $(seq "$rounds"); do
    j=$("$here/trm4j" bench block "${args[@]}" --dtype "$prec")
    jb+=("$(field fwd+bwd <<<"$j")"); jf+=("$(field fwd <<<"$j")")
    for p in $precs; do
      out=$(ref_env /usr/bin/python3 "$here/bench/reference_block.py" "${args[@]}" --dtype "$p")
      pb[$p]="${pb[$p]:-} $(field fwd+bwd <<<"$out")"; pf[$p]="${pf[$p]:-} $(field fwd <<<"$out")"
    done
  done
  JB=$(med "${jb[@]}"); JF=$(med "${jf[@]}"); PB=""; PF=""
  for p in $precs; do
    # shellcheck disable=SC2086
    B=$(med ${pb[$p]}); F=$(med ${pf[$p]})
    if [ -z "$PB" ] || (( $(echo "$B < $PB" | bc -l) )); then PB=$B; fi
    if [ -z "$PF" ] || (( $(echo "$F < $PF" | bc -l) )); then PF=$F; fi
  done
  unset pf pb
  printf '%-12s trm4j %-4s fwd+bwd %8.1f ms, python best %8.1f ms, ratio %.2f | fwd %8.1f ms, python best %8.1f ms, ratio %.2f\n' \
    "$b/$s/$h" "$prec" "$JB" "$PB" "$(echo "$JB / $PB" | bc -l)" "$JF" "$PF" "$(echo "$JF / $PF" | bc -l)"
done
