# Helpers shared by the compare_*.sh scripts (sourced, not run).
export OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=SKYLAKEX   # OpenBLAS misdetects this CPU otherwise
# field KEY: the third word of the line whose first word is KEY ("train  median 12.3 ms" -> 12.3)
field() { awk -v k="$1" '$1==k {print $3}'; }
# med X...: the median of the numbers
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# ref_env CMD...: runs the Python reference with tcmalloc preloaded when REF_MALLOC=tcmalloc
ref_env() {
  if [ "${REF_MALLOC:-glibc}" = tcmalloc ]; then
    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD=1000000000000 TCMALLOC_RELEASE_RATE=0 "$@"
  else
    "$@"
  fi
}
