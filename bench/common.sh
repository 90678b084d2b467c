# Helpers shared by the compare_*.sh scripts (sourced, not run).
# Both sides run with the allocator, OpenMP spin and OpenBLAS settings of the trm4j launcher, so
# that a ratio compares the engines, not the environment. REF_MALLOC=glibc gives Python glibc's
# malloc (as most users run it); the default is the launcher's tcmalloc when installed.
tcmalloc_lib=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
export OPENBLAS_THREAD_TIMEOUT=${OPENBLAS_THREAD_TIMEOUT:-4} GOMP_SPINCOUNT=${GOMP_SPINCOUNT:-10000}
# Debian's OpenBLAS misdetects AVX-512 CPUs and dies with SIGILL on
# SKYLAKEX kernels where AVX-512 is missing or capped.
if grep -qw avx512f /proc/cpuinfo && [ "${ONEDNN_MAX_CPU_ISA:-ALL}" != AVX2 ]; then
  export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-SKYLAKEX}
else
  export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-HASWELL}
fi
# field KEY: the third word of the line whose first word is KEY ("train  median 12.3 ms" -> 12.3)
field() { awk -v k="$1" '$1==k {print $3}'; }
# med X...: the median of the numbers (empty when there are none)
med() { [ $# -gt 0 ] && printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# ref_env CMD...: runs the Python reference under the chosen allocator, with as many OpenBLAS
# threads as libtorch threads (Python's best: its pthreads OpenBLAS is how it multithreads fp32
# matmuls).
ref_env() {
  local threads=${TRM4J_THREADS:-$(nproc)}
  if [ "${REF_MALLOC:-tcmalloc}" = tcmalloc ] && [ -f "$tcmalloc_lib" ]; then
    OPENBLAS_NUM_THREADS=$threads LD_PRELOAD=$tcmalloc_lib TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD=1000000000000 TCMALLOC_RELEASE_RATE=0 "$@"
  else
    OPENBLAS_NUM_THREADS=$threads "$@"
  fi
}
# py_precisions: the precisions Python is measured in; bf16 only where oneDNN has native bf16
# (Python 1.13's oneDNN refuses bf16 below AVX-512 BF16: "could not create a primitive").
py_precisions() {
  if grep -qw -e avx512_bf16 -e amx_bf16 /proc/cpuinfo && [ "${ONEDNN_MAX_CPU_ISA:-ALL}" != AVX2 ]; then echo "fp32 bf16"; else echo fp32; fi
}
# sound_precisions: py_precisions without those where Python's matmul rate, at the size and precision trm4j's
# bench matmul settles on, is under a quarter of trm4j's (as fp32 is in Debian's 1.13 on Zen 4: 1.4 GFLOP/s): a
# broken precision would flatter the ratio. Each one left out is named on one line, on stderr.
sound_precisions() {
  local ours p n theirs
  ours=$("$here/trm4j" bench matmul --budget 500 | grep '^matmul')
  for p in $(py_precisions); do
    read -r n r < <(awk -v p="$p" '$2==p {print $3, $(NF-1)}' <<<"$ours")
    theirs=$(ref_env /usr/bin/python3 "$here/bench/reference_matmul.py" --dtype "$p" --n "$n" | awk '{print $(NF-1)}')
    if [ -z "$theirs" ]; then
      echo "python $p: the matmul check failed (bench/reference_matmul.py): left out of the comparison" >&2
    elif (( $(echo "$theirs * 4 < $r" | bc -l) )); then
      echo "python $p: $theirs GFLOP/s at ${n}^3 against trm4j's $r: broken here, left out of the comparison" >&2
    else
      echo "$p"
    fi
  done
}
