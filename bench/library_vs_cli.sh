#!/usr/bin/env bash
# The same training run through the command line (./trm4j train) and through a library program (bench/LibraryTrain.java,
# compiled once, started with plain `java` as a user's program is: no launcher, none of its environment), alternating, ROUNDS times each;
# prints each run's wall time (JVM start to end) and the medians. A benchmark, not a test: run it on a quiet machine.
# Usage: bench/library_vs_cli.sh [PRESET] [STEPS] [ROUNDS] [--set KEY=VALUE ...]   (default demo 300 3)
#   LIBRARY_ENV=launcher   gives the library program the launcher's environment too (tcmalloc, OpenBLAS/OpenMP spin)
#   TRM4J_TUNE_THREADS=false  the library leaves libtorch's threads as they are (TrainingSpec.tuningThreads(false))
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/bench/common.sh"
preset="${1:-demo}"; steps="${2:-300}"; rounds="${3:-3}"; shift $(( $# < 3 ? $# : 3 ))
sets=("steps=$steps" "eval_every=0")
while [ $# -gt 0 ]; do [ "$1" = --set ] && { sets+=("$2"); shift 2; } || { echo "unknown argument $1" >&2; exit 2; }; done

"$here/trm4j" info --preset "$preset" >/dev/null   # builds the jar when needed
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cp="$here/target/trm4j.jar:$here/target/lib/*"
javac -d "$work/classes" -cp "$cp" "$here/bench/LibraryTrain.java"   # compiled once, outside the timed runs
cli_args=(); for s in "${sets[@]}"; do cli_args+=(--set "$s"); done
library() {
  if [ "${LIBRARY_ENV:-plain}" = launcher ] && [ -f "$tcmalloc_lib" ]; then
    OPENBLAS_NUM_THREADS=1 LD_PRELOAD="$tcmalloc_lib" TCMALLOC_RELEASE_RATE=0 java -cp "$work/classes:$cp" LibraryTrain "$@"
  elif [ "${LIBRARY_ENV:-plain}" = launcher ]; then
    OPENBLAS_NUM_THREADS=1 java -cp "$work/classes:$cp" LibraryTrain "$@"
  else
    env -u OPENBLAS_THREAD_TIMEOUT -u GOMP_SPINCOUNT -u OPENBLAS_CORETYPE java -cp "$work/classes:$cp" LibraryTrain "$@"
  fi
}
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs) ($(nproc) cores; $(grep -ow -m1 -e avx512_bf16 -e amx_bf16 -e avx2 /proc/cpuinfo | sort -u | tr '\n' ' ' | xargs))"
echo "preset $preset, ${sets[*]}, $rounds rounds; library environment: ${LIBRARY_ENV:-plain}, threads tuned: ${TRM4J_TUNE_THREADS:-true}; load $(cut -d' ' -f1-3 /proc/loadavg)"
cli_s=(); lib_s=()
for r in $(seq "$rounds"); do
  t0=$(date +%s.%N); "$here/trm4j" train --preset "$preset" --out "$work/cli-$r" "${cli_args[@]}" >/dev/null 2>&1; t1=$(date +%s.%N)
  cli_s+=("$(echo "$t1 - $t0" | bc -l)")
  t0=$(date +%s.%N); library "$preset" "$work/lib-$r" "${sets[@]}" >/dev/null 2>&1; t1=$(date +%s.%N)
  lib_s+=("$(echo "$t1 - $t0" | bc -l)")
  printf 'round %d: cli %.1f s, library %.1f s\n' "$r" "${cli_s[-1]}" "${lib_s[-1]}"
done
printf 'median: cli %.1f s, library %.1f s, library / cli %.2f\n' "$(med "${cli_s[@]}")" "$(med "${lib_s[@]}")" \
  "$(echo "$(med "${lib_s[@]}") / $(med "${cli_s[@]}")" | bc -l)"
