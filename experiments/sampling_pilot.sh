#!/usr/bin/env bash
# Pilot of sampled trajectories before protocol v3's study models exist (docs/REPRODUCTION.md, "Pilot"): two tuning
# models of 6x6 Sudoku (TRM and DIS, lr 1e-3, warmup 100, seed 100), on their validation puzzles only; the test sets
# are not touched. K = 8 at each sigma and rule, then K in 2 4 16 32 at sigma 0.5 (fixed before the runs) by vote.
# Usage: experiments/sampling_pilot.sh OUT TUNING_DIR   (TRM4J_CMD: a frozen build; one thread per evaluation)
set -u
OUT=${1:?usage: experiments/sampling_pilot.sh OUT TUNING_DIR}; T=${2:?usage: experiments/sampling_pilot.sh OUT TUNING_DIR}
CMD=${TRM4J_CMD:-./trm4j}
export TRM4J_THREADS=1
mkdir -p "$OUT"
ev() {  # NAME RUN K SIGMA RULE
  local f="$OUT/$1-k$3-s$4-$5.json"; [ -s "$f" ] && return
  $CMD eval --checkpoint "$T/$2" --split validation --samples "$3" --noise "$4" --select "$5" --seed 1 --out "$f" > /dev/null 2>> "$OUT/pilot.err" || echo "failed $f"
}
trm=sudoku6-trm-lr1e-3-warmup100-seed100 dis=sudoku6-dis-lr1e-3-warmup100-seed100
ev trm $trm 1 0 vote
ev dis $dis 1 0 vote
for s in 0.1 0.25 0.5 1.0; do
  for r in vote confidence halt first-halt; do ev trm $trm 8 $s $r; done
  for r in vote confidence; do ev dis $dis 8 $s $r; done
done
for k in 2 4 16 32; do ev trm $trm $k 0.5 vote; ev dis $dis $k 0.5 vote; done
python3 - "$OUT" <<'PY'
import glob, json, os, re, sys
NAME = re.compile(r"(\w+)-k(\d+)-s([0-9.]+)-([a-z-]+)\.json$")
key = lambda f: (lambda m: (m[1], int(m[2]), float(m[3]), m[4]))(NAME.search(f))
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*-k*.json")), key=key):
    j = json.load(open(f))
    print("%-30s exact %.3f  agree %s  calls %4d  ms/answer %6.2f" % (os.path.basename(f)[:-5], j["exact_acc"],
          "-" if j.get("agree") is None else "%.3f" % j["agree"], j["calls_per_answer"], 1000 * j["seconds"] / j["count"]))
PY
