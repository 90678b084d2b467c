#!/usr/bin/env bash
# Runs `trm4j bench block` and bench/reference_block.py alternately on the same shapes and prints
# the median of each side and the ratio trm4j/python (below 1.0: trm4j is faster).
# Usage: bench/compare_block.sh [ROUNDS] [DTYPE]   (shapes: 32/81/512 and 8/900/512)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"; dtype="${2:-bf16}"
source "$here/bench/common.sh"
"$here/trm4j" --version >/dev/null   # build first, outside the timings
for shape in "32 81 512" "8 900 512"; do
  read -r b s h <<<"$shape"
  args=(--batch "$b" --seq "$s" --hidden "$h" --dtype "$dtype" --warmup 2 --iters 5)
  jf=(); jb=(); pf=(); pb=()
  for _ in $(seq "$rounds"); do
    j=$("$here/trm4j" bench block "${args[@]}")
    p=$(ref_env /usr/bin/python3 "$here/bench/reference_block.py" "${args[@]}")
    jb+=("$(field fwd+bwd <<<"$j")"); jf+=("$(field fwd <<<"$j")")
    pb+=("$(field fwd+bwd <<<"$p")"); pf+=("$(field fwd <<<"$p")")
  done
  JB=$(med "${jb[@]}"); PB=$(med "${pb[@]}"); JF=$(med "${jf[@]}"); PF=$(med "${pf[@]}")
  printf '%-12s %-5s fwd+bwd: trm4j %8.1f ms  python %8.1f ms  ratio %.2f | fwd: trm4j %8.1f ms  python %8.1f ms  ratio %.2f\n' \
    "$b/$s/$h" "$dtype" "$JB" "$PB" "$(echo "$JB / $PB" | bc -l)" "$JF" "$PF" "$(echo "$JF / $PF" | bc -l)"
done
