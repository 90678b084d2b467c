package trm4j.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.UserError;
import trm4j.config.ModelConfig;
import trm4j.data.Batch;
import trm4j.engine.Autocast;
import trm4j.engine.Device;
import trm4j.engine.Precision;
import trm4j.engine.Scope;
import trm4j.engine.Threads;
import trm4j.engine.Torch;
import trm4j.model.Carry;
import trm4j.model.Network;
import trm4j.model.StepOutput;
import trm4j.train.Adam;
import trm4j.train.Rows;
import trm4j.train.Supervision;
import trm4j.train.SupervisionStep;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.PrecisionSetting;

/**
 * One full supervision step of a preset's model on random tokens: the input embedding, T cycles
 * of the recursion (T-1 without gradient), lm_head, the float64 stable-max loss, backward and an
 * AdamW update, as a trainer runs it (in chunks of {@code microBatch} rows, 0 = one chunk); and the same step without gradient, as evaluation runs it.
 * {@code bench/reference_step.py} measures the same in Python.
 */
public final class StepBench {
    /**
     * One round: median milliseconds per step, matmul FLOPs per step, the process's peak resident memory, the
     * cores' worth of CPU other processes took during the round (NaN where unknown), and the cores' worth this
     * JVM's JIT compiler and garbage collector took (threads of ours that are not the step's).
     */
    public record Result(double trainMs, double evalMs, double trainFlops, double evalFlops, long peakRssBytes, double others, double jvm) {
        Result withTimes(double train, double eval) {
            return new Result(train, eval, trainFlops, evalFlops, peakRssBytes, others, jvm);
        }
    }

    /** Steady means the slowest round within this factor of the median round (train and eval each). */
    static final double STEADY = 1.3;

    private StepBench() {}

    /** Runs the benchmark for {@code rounds} rounds of train-then-eval timings and returns its lines. */
    public static String report(String preset, ModelConfig c, Device d, int batch, int microBatch, PrecisionSetting dtype, int warmup, int iters, int rounds) {
        if (rounds < 1 || rounds > 100) throw new UserError("--rounds " + rounds + ": must be in 1..100");
        if (iters < 1) throw new UserError("--iters " + iters + ": must be at least 1");
        Precision p = PrecisionChoice.of(dtype, d).precision();
        List<Result> all = run(c, d, batch, microBatch, p, warmup, iters, rounds);
        StringBuilder out = new StringBuilder(Machine.header(d) + String.format("step preset=%s device=%s batch=%d micro-batch=%d seq=%d dtype=%s threads=%d calls=%d (T=%d n=%d) malloc=%s%n",
                preset, d, batch, microBatch, c.totalSeqLen(), p, Threads.current(), c.callsPerStep(), c.T(), c.n(), allocator()));
        if (rounds > 1) {
            for (int i = 0; i < all.size(); i++) {
                Result r = all.get(i);
                out.append(String.format("round %2d  train %.1f ms  eval %.1f ms  others %.2f cores  jvm %.2f cores%n", i + 1, r.trainMs(), r.evalMs(), r.others(), r.jvm()));
            }
        }
        Result r = all.get(all.size() / 2).withTimes(median(all, Result::trainMs), median(all, Result::evalMs));
        out.append(String.format("train  median %.1f ms  %.1f samples/s  %.1f GFLOP/s%n", r.trainMs(), batch * 1000 / r.trainMs(), r.trainFlops() / r.trainMs() / 1e6))
                .append(String.format("eval   median %.1f ms  %.2f steps/s  %.1f samples-steps/s  %.1f GFLOP/s%n", r.evalMs(), 1000 / r.evalMs(),
                        batch * 1000 / r.evalMs(), r.evalFlops() / r.evalMs() / 1e6))
                .append(String.format("peak   %.0f MB resident%n", all.get(all.size() - 1).peakRssBytes() / 1e6));
        if (rounds > 1) out.append(steadiness(all));
        return out.toString();
    }

    /**
     * Slowest round over the median round, train and eval, and when that exceeds {@link #STEADY}, what the machine
     * did meanwhile: other processes' CPU in the slow rounds against the rest, then the JVM's compiler and collector;
     * either takes a core from threads that wait for each other at every barrier.
     */
    static String steadiness(List<Result> all) {
        double train = max(all, Result::trainMs) / median(all, Result::trainMs), eval = max(all, Result::evalMs) / median(all, Result::evalMs);
        String line = String.format("steady max/median train %.2f, eval %.2f (target <= %.1f)", train, eval, STEADY);
        if (train <= STEADY && eval <= STEADY) return line + "\n";
        double trainCut = STEADY * median(all, Result::trainMs), evalCut = STEADY * median(all, Result::evalMs);
        Map<Boolean, List<Result>> slow = all.stream().collect(Collectors.partitioningBy(r -> r.trainMs() > trainCut || r.evalMs() > evalCut));
        double slowOthers = slow.get(true).stream().mapToDouble(Result::others).average().orElse(Double.NaN);
        double restOthers = slow.get(false).stream().mapToDouble(Result::others).average().orElse(0);
        double slowJvm = slow.get(true).stream().mapToDouble(Result::jvm).average().orElse(0);
        double restJvm = slow.get(false).stream().mapToDouble(Result::jvm).average().orElse(0);
        String why = Double.isNaN(slowOthers) ? "other processes' CPU is unknown here (no /proc)"
                : slowOthers > restOthers + 0.25 ? String.format("other processes took %.2f cores in the slow rounds against %.2f in the rest:"
                        + " %d OpenMP/OpenBLAS threads waited at barriers for descheduled ones", slowOthers, restOthers, Threads.current())
                : restOthers >= 0.25 ? String.format("other processes took %.2f of %d cores throughout: measure alone", restOthers, Threads.cores())
                : slowJvm > restJvm + 0.1 ? String.format("this JVM's JIT compiler and garbage collector took %.2f cores in the slow rounds against %.2f"
                        + " in the rest", slowJvm, restJvm)
                : String.format("neither other processes (%.2f cores in the slow rounds, steal included) nor the JVM's compiler and collector"
                        + " (%.2f): this process's own %d OpenMP/OpenBLAS threads, or the host in ways /proc/stat does not count", slowOthers, slowJvm, Threads.current());
        return line + ": not steady; " + why + "\n";
    }

    private static double median(List<Result> all, ToDoubleFunction<Result> f) {
        double[] v = all.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double max(List<Result> all, ToDoubleFunction<Result> f) {
        return all.stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    public static List<Result> run(ModelConfig c, Device d, int batch, int microBatch, Precision p, int warmup, int iters, int rounds) {
        Torch.seed(0);
        Network net = Network.init(c, p, d);
        Adam adam = new Adam(false, 0.9, 0.95, 0.1, net.weights());
        int seq = c.seqLen();
        Batch rows = new Batch(batch, seq);   // random tokens and labels, puzzle id 0
        Random rnd = new Random(0);
        for (int i = 0; i < batch * seq; i++) {
            rows.tokens()[i] = 1 + rnd.nextInt(c.vocabSize() - 1);
            rows.labels()[i] = 1 + rnd.nextInt(c.vocabSize() - 1);
        }
        Rows onDevice = Rows.of(rows, d);
        Tensor x0 = onDevice.inputs(), ids = onDevice.ids(), steps = torch.ones(new long[] {batch}, d.options(ScalarType.Long));
        Runnable train = () -> {
            try (Scope scope = Scope.open()) {
                Supervision.Feed feed = new Supervision.Feed(onDevice, x0, 1, net.initialCarry(batch), onDevice.labels(), 1.0, 0);
                SupervisionStep.run(net, feed, microBatch);
                adam.step(net.weights(), 1e-4);
                adam.zeroGrad(net.weights());
            }
        };
        Runnable eval = () -> {
            try (Scope scope = Scope.open(); NoGradGuard g = new NoGradGuard(); Autocast ac = p.enter(d)) {
                Carry start = net.initialCarry(batch);
                StepOutput out = net.step(start, x0, net.puzzleRows(ids), steps);
                out.logits().argmax(new LongOptional(-1), false);
            }
        };
        double call = c.mlpT() ? mlpTFlops(c, batch)
                : BlockBench.forwardFlops(batch, c.totalSeqLen(), c.hiddenSize(), c.swigluInner(c.hiddenSize()), c.layers());
        int calls = c.callsPerStep(), withGrad = c.n() + 1;
        // A call with gradient costs its forward and a backward of twice the forward.
        double trainFlops = call * (calls - withGrad) + 3 * call * withGrad, evalFlops = call * calls;
        List<Result> results = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Threads.Ticks before = Threads.Ticks.now();
            long start = System.nanoTime(), jvmBefore = jvmMillis();
            double trainMs = Timer.medianMillis(d, round == 0 ? warmup : 0, iters, train), evalMs = Timer.medianMillis(d, round == 0 ? warmup : 0, iters, eval);
            double jvm = (jvmMillis() - jvmBefore) / ((System.nanoTime() - start) / 1e6);
            results.add(new Result(trainMs, evalMs, trainFlops, evalFlops, peakRss(), before.othersSince(), jvm));
        }
        return results;
    }

    /** Milliseconds this JVM has spent compiling and collecting garbage so far (0 where a bean does not say). */
    static long jvmMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        long ms = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) ms += Math.max(0, gc.getCollectionTime());
        return ms;
    }

    /** Matmul FLOPs of one mlp_t call: the token-mixing SwiGLU over positions and the channel SwiGLU. */
    static double mlpTFlops(ModelConfig c, int batch) {
        double s = c.totalSeqLen(), d = c.hiddenSize(), tokenInner = c.swigluInner(c.totalSeqLen()), inner = c.swigluInner(c.hiddenSize());
        return c.layers() * (2 * batch * d * s * 3 * tokenInner + 2 * batch * s * d * 3 * inner);
    }

    /** The malloc libtorch's tensors come from: "tcmalloc" when the launcher preloaded it, else "glibc". */
    public static String allocator() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("tcmalloc") ? "tcmalloc" : "glibc";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** VmHWM of /proc/self/status: the most resident memory the process has had. */
    public static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
