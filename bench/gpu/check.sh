#!/usr/bin/env bash
# The project's checks on a GPU machine, in one short run (about 8 minutes planned on an H200). From the
# project root, for the route that loaded libtorch (../shared/gpu/on-gpu.sh calls it):
#   JAVA="<java and its options>" CP="<trm4j.jar, its libraries, the natives>" PY=<python with torch 2> bash bench/gpu/check.sh
# Needs target/gpu-tests/ (bench/gpu/tests.sh). A dry run on a CPU, with small sizes:
#   JAVA=java CP="target/trm4j.jar:target/lib/*" PY=/usr/bin/python3 DEVICE=cpu QUICK=1 bash bench/gpu/check.sh
# Steps, each ending in "STEP name: OK|FAILED":
#   golden      ReferenceGoldenTest (the reference network's outputs in fp32, its gradients in fp64) and
#               TrajectoryGoldenTest (60 training steps in fp64) on DEVICE, at the CPU's tolerances
#   train-*     demo, DIS and TRM, STEPS steps from seed 0 in fp32 and bf16: every logged loss within a band of the
#               CPU run's (bench/gpu/cpu-reference.json, bench/gpu/reference.sh): 2% relative in fp32, 10% in bf16
#   matmul      trm4j's bf16 and fp32 matmul rate on DEVICE
#   step-*      bench step on demo, dis-arc-compact and trm-sudoku-mlp at batch BATCH, bf16, against
#               bench/reference_step.py eager (and torch.compile for dis-arc-compact), interleaved
# Files: OUT (default target/gpu-check). Exit status 1 when a step failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
: "${JAVA:?JAVA: the java command}" "${CP:?CP: the class path}" "${PY:?PY: a python with torch}"
DEVICE=${DEVICE:-cuda}; OUT=${OUT:-target/gpu-check}; STEPS=${STEPS:-240}; BATCH=${BATCH:-768}
[ "${QUICK:-0}" = 1 ] && { STEPS=30; BATCH=4; }   # DIS trains whole batches: steps a multiple of N_sup = 6
mkdir -p "$OUT"
T0=$(date +%s)
say() { echo "[check $(( $(date +%s) - T0 ))s] $*"; }
failed=0
result() { local name=$1 rc=$2; shift 2
  if [ "$rc" = 0 ]; then say "STEP $name: OK $*"; else say "STEP $name: FAILED (rc=$rc${rc/#124/, timed out}) $*"; failed=$((failed + 1)); fi; }
trm4j() { $JAVA -cp "$CP" trm4j.cli.Main "$@"; }

say "golden tests on $DEVICE"
[ -d "$OUT/tests" ] || xz -dc target/gpu-tests/tests.tar.xz | tar -C "$OUT" -xf -
timeout 240 $JAVA -Dtrm4j.test.device="$DEVICE" -cp "$CP:$OUT/tests/classes:$OUT/tests/console" org.junit.platform.console.ConsoleLauncher execute \
    --disable-banner --details=summary --select-class=trm4j.model.ReferenceGoldenTest --select-class=trm4j.train.TrajectoryGoldenTest 2>&1 | tail -25
result golden "${PIPESTATUS[0]}"

for method in dis trm; do
  for prec in fp32 bf16; do
    run="$OUT/train-$method-$prec"
    timeout 180 bash -c "$(declare -f trm4j); JAVA='$JAVA' CP='$CP' trm4j train --preset demo --out '$run' --force --set method=$method \
        --set device=$DEVICE --set precision=$prec --set steps=$STEPS --set log_every=10 --set eval_every=$STEPS" > "$run.log" 2>&1
    rc=$?; tail -2 "$run.log" | tr '\r' '\n' | tail -2
    [ $rc = 0 ] && { $PY bench/gpu/losses.py compare bench/gpu/cpu-reference.json $method "$run/metrics.jsonl" "$([ $prec = fp32 ] && echo 0.02 || echo 0.10)"; rc=$?; }
    result "train-$method-$prec" $rc
  done
done

say "matmul rate on $DEVICE"
timeout 120 bash -c "$(declare -f trm4j); JAVA='$JAVA' CP='$CP' trm4j bench matmul --device $DEVICE" 2>&1 | tee "$OUT/matmul.txt" | tail -4
result matmul "${PIPESTATUS[0]}"
peak=$(awk '/matmul .* bf16 /{print $(NF-1)}' "$OUT/matmul.txt")

compiles=$($PY -c 'import torch; print(int(hasattr(torch, "compile")))' 2>/dev/null || echo 0)
for preset in demo dis-arc-compact trm-sudoku-mlp; do
  args=(--preset "$preset" --batch "$BATCH" --warmup 2 --iters 5)
  for round in 1 2; do   # interleaved: trm4j, python eager, (python compiled), twice
    timeout 150 bash -c "$(declare -f trm4j); JAVA='$JAVA' CP='$CP' trm4j bench step ${args[*]} --device $DEVICE --dtype bf16" > "$OUT/step-$preset-trm4j-$round.txt" 2>&1
    result "step-$preset-trm4j-$round" $? "$(grep -E '^(train|eval) ' "$OUT/step-$preset-trm4j-$round.txt" | tr '\n' ' ')"
    timeout 150 $PY bench/reference_step.py "${args[@]}" --device "$DEVICE" --dtype bf16 > "$OUT/step-$preset-eager-$round.txt" 2>&1
    result "step-$preset-eager-$round" $? "$(grep -E '^(train|eval) ' "$OUT/step-$preset-eager-$round.txt" | tr '\n' ' ')"
    if [ "$preset" = dis-arc-compact ] && [ "$compiles" = 1 ] && [ $round = 1 ]; then   # compiling takes minutes: once
      timeout 240 $PY bench/reference_step.py "${args[@]}" --device "$DEVICE" --dtype bf16 --compile > "$OUT/step-$preset-compiled-$round.txt" 2>&1
      result "step-$preset-compiled-$round" $? "$(grep -E '^(train|eval) ' "$OUT/step-$preset-compiled-$round.txt" | tr '\n' ' ')"
    fi
  done
  $PY - "$OUT" "$preset" "${peak:-0}" <<'PY'
import glob, re, statistics, sys
out, preset, peak = sys.argv[1], sys.argv[2], float(sys.argv[3])
def med(side, kind):
    v = [float(m.group(1)) for f in glob.glob(f"{out}/step-{preset}-{side}-*.txt") for m in re.finditer(rf"^{kind}\s+median ([0-9.]+) ms", open(f).read(), re.M)]
    return statistics.median(v) if v else None
line = f"{preset}:"
for kind in ("train", "eval"):
    j = med("trm4j", kind)
    line += f" {kind} trm4j {j:.2f} ms" if j else f" {kind} trm4j -"
    for side in ("eager", "compiled"):
        p = med(side, kind)
        if j and p:
            line += f", {side} {p:.2f} ms ({p / j:.2f}x)"
gf = [float(m.group(1)) for f in glob.glob(f"{out}/step-{preset}-trm4j-*.txt") for m in re.finditer(r"^train .* ([0-9.]+) GFLOP/s", open(f).read(), re.M)]
if gf and peak:
    line += f"; train at {statistics.median(gf) / peak:.0%} of the bf16 matmul rate ({peak:.0f} GFLOP/s)"
print(line)
PY
done
say "done: $failed step(s) failed; files in $OUT"
exit $((failed > 0))
