# Helpers shared by the compare_*.sh scripts (sourced, not run).
export OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=SKYLAKEX   # OpenBLAS misdetects this CPU otherwise
# field KEY: the third word of the line whose first word is KEY ("train  median 12.3 ms" -> 12.3)
field() { awk -v k="$1" '$1==k {print $3}'; }
# med X...: the median of the numbers
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
