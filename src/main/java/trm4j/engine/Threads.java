package trm4j.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorBase;
import org.bytedeco.pytorch.VoidTensorHook;
import org.bytedeco.pytorch.global.torch;

import trm4j.UserError;

/**
 * The threads libtorch computes with: OpenMP's (element-wise ops, oneDNN's bf16 matmuls) and
 * OpenBLAS's (fp32/fp64 matmuls), always the same number. TRM4J_THREADS fixes it; otherwise it
 * follows the cores that other processes leave idle, re-read about once a second between steps.
 * OpenMP's barriers are why: when another process takes one of the cores a team needs, every
 * parallel region waits for a descheduled thread, and a 2-core machine with one busy process ran
 * the demo's training step 8x slower with 2 threads than with 1 (bench/README.md).
 */
public final class Threads {
    private static final long PERIOD_NANOS = 1_000_000_000L;
    private static int current;
    private static long lastNanos, lastBusy, lastTotal, lastSelf;
    private static boolean sampled;

    private Threads() {}

    /** Cores this process may run on. */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** TRM4J_THREADS when set (a positive number), else 0: adapt. */
    static int fixed() {
        String env = System.getenv("TRM4J_THREADS");
        if (env == null || env.isBlank()) return 0;
        try {
            int n = Integer.parseInt(env.trim());
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new UserError("TRM4J_THREADS='" + env + "' is not a positive number of threads");
    }

    /** The threads libtorch runs with now (set by {@link Natives#tuneProcess()} and {@link #adapt()}). */
    public static synchronized int current() {
        if (current == 0) current = fixed() > 0 ? fixed() : cores();
        return current;
    }

    /** Whether the count follows the machine's load (TRM4J_THREADS unset). */
    public static boolean adaptive() {
        return fixed() == 0;
    }

    /**
     * Call between steps on the thread that computes (OpenMP's thread count belongs to the calling
     * thread). At most once a second it measures the CPU time other processes took on our cores
     * since the last look and sets the threads to the cores they left.
     */
    public static synchronized void adapt() {
        if (!adaptive() || !Natives.tuned()) return;   // a host's process keeps its own settings
        long now = System.nanoTime();
        if (sampled && now - lastNanos < PERIOD_NANOS) return;
        long[] ticks = readTicks(Path.of("/proc"));
        if (ticks == null) return;
        if (sampled && ticks[1] > lastTotal) {
            int n = choose(cores(), others(new long[] {lastBusy, lastTotal, lastSelf, ticks[3]}, ticks));
            if (n != current()) apply(n);
        }
        sampled = true;
        lastNanos = now;
        lastBusy = ticks[0];
        lastTotal = ticks[1];
        lastSelf = ticks[2];
    }

    /** Cores' worth of CPU that other processes used on our CPUs between two {@link #readTicks} readings. */
    static double others(long[] before, long[] after) {
        if (after[1] <= before[1]) return 0;
        return Math.max(0, (double) (after[0] - before[0] - (after[2] - before[2]))) / (after[1] - before[1]) * after[3];
    }

    /** A reading of the CPU ticks, to tell a benchmark how much of the machine other processes took meanwhile. */
    public record Ticks(long[] at) {
        public static Ticks now() {
            return new Ticks(readTicks(Path.of("/proc")));
        }

        /** Cores' worth of CPU other processes used since this reading; NaN where there is no /proc. */
        public double othersSince() {
            long[] later = readTicks(Path.of("/proc"));
            return at == null || later == null ? Double.NaN : others(at, later);
        }
    }

    /**
     * Runs body with libtorch's intra-op threads at n (0: as they are), then puts back the count it found:
     * the count set on one thread is also what threads started later begin with, so a caller's stays the caller's.
     */
    public static <T> T during(int n, Supplier<T> body) {
        if (n <= 0) return body.get();
        int before = torch.get_num_threads();
        torch.set_num_threads(n);
        try {
            return body.get();
        } finally {
            if (Natives.tuned()) apply(before);   // the count trm4j follows (adapt() may have moved it meanwhile), OpenBLAS's with it
            else torch.set_num_threads(before);
        }
    }

    /** Sets both thread pools to n threads (OpenBLAS's only where it may thread, see {@link #blasMayThread}). */
    static synchronized void apply(int n) {
        torch.set_num_threads(n);
        if (Natives.openblas()) openblas_nolapack.blas_set_num_threads(blasMayThread(System.getenv()) ? n : 1);
        current = n;
    }

    /**
     * OpenBLAS's pthreads and OpenMP's threads share the cores only when neither spins long after
     * its work, which the launcher arranges (OPENBLAS_THREAD_TIMEOUT=4, GOMP_SPINCOUNT=10000). With
     * the defaults, 2 + 2 spinning threads on 2 cores made the demo's step 8x slower, so without
     * those settings (a program embedding trm4j) OpenBLAS stays on one thread.
     */
    static boolean blasMayThread(Map<String, String> env) {
        try {
            String timeout = env.get("OPENBLAS_THREAD_TIMEOUT"), spin = env.get("GOMP_SPINCOUNT"), policy = env.get("OMP_WAIT_POLICY");
            boolean blasSleeps = timeout != null && Integer.parseInt(timeout.trim()) <= 10;
            boolean ompSleeps = (spin != null && Long.parseLong(spin.trim()) <= 100_000) || "passive".equalsIgnoreCase(policy);
            return blasSleeps && ompSleeps;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Runs an op that calls BLAS from inside OpenMP's threads (libtorch's fused CPU attention) with
     * OpenBLAS on one thread: its own threads would multiply with OpenMP's (10x slower at seq 916).
     */
    public static <T> T withSerialBlas(Supplier<T> op) {
        if (!blasThreads()) return op.get();
        int n = current();
        openblas_nolapack.blas_set_num_threads(1);
        try {
            return op.get();
        } finally {
            openblas_nolapack.blas_set_num_threads(n);
        }
    }

    /**
     * Makes the backward pass of an op that calls BLAS from inside OpenMP's threads run with
     * OpenBLAS on one thread, as {@link #withSerialBlas} does for its forward: a hook on the op's
     * output switches OpenBLAS to one thread just before autograd runs the op's backward, and hooks
     * on its inputs switch it back as soon as their gradients exist. libtorch runs CPU backward on
     * the thread that calls it, one node at a time, so the switch covers that node alone ({@code bench
     * block} at seq 916, forward and backward: 13.5 s with nested threads, 3.7 s with the hooks).
     * A backward that fails midway leaves OpenBLAS on one thread until the next such forward
     * ({@link #withSerialBlas} restores the count on its way out).
     */
    public static void serialBlasInBackward(Tensor output, Tensor... inputs) {
        if (blasThreads()) hookSerialBlas(output, inputs);
    }

    /** Whether OpenBLAS runs on more than one thread now, so that its threads can nest in OpenMP's. */
    private static boolean blasThreads() {
        return current() > 1 && blasMayThread(System.getenv()) && Natives.openblas();
    }

    /** The hooks of {@link #serialBlasInBackward}, whatever OpenBLAS runs on. */
    static void hookSerialBlas(Tensor output, Tensor... inputs) {
        output.register_hook(SerialBlas.ENTER);
        for (Tensor in : inputs) if (in.requires_grad()) in.register_hook(SerialBlas.LEAVE);
    }

    /** The two hooks, made once and kept out of every scope: each is a native thunk that every graph may hold. */
    private static final class SerialBlas extends VoidTensorHook {
        static final SerialBlas ENTER = Scope.own(new SerialBlas(true)), LEAVE = Scope.own(new SerialBlas(false));
        private final boolean enter;

        private SerialBlas(boolean enter) {
            this.enter = enter;
        }

        @Override public void call(TensorBase grad) {
            openblas_nolapack.blas_set_num_threads(enter ? 1 : current());
        }
    }

    /**
     * Threads for {@code cores} cores when other processes use {@code others} cores' worth of CPU:
     * the idle cores, counting a core as idle while others use less than a quarter of it.
     */
    static int choose(int cores, double others) {
        return Math.max(1, Math.min(cores, (int) Math.floor(cores - others + 0.25)));
    }

    /**
     * {busy ticks of our CPUs, all ticks of our CPUs, this process's ticks, our CPUs}, or null where
     * there is no /proc (macOS, Windows): the count then stays at all the cores. Busy includes steal:
     * a vCPU the hypervisor runs another guest on is not ours meanwhile.
     */
    static long[] readTicks(Path proc) {
        try {
            BitSet allowed = allowedCpus(proc);
            long busy = 0, total = 0, cpus = 0;
            for (String line : Files.readAllLines(proc.resolve("stat"))) {
                if (!line.startsWith("cpu") || line.startsWith("cpu ")) continue;
                String[] f = line.trim().split("\\s+");
                int id = Integer.parseInt(f[0].substring(3));
                if (!allowed.isEmpty() && !allowed.get(id)) continue;
                long[] v = new long[8];   // user nice system idle iowait irq softirq steal
                for (int i = 0; i < 8 && i + 1 < f.length; i++) v[i] = Long.parseLong(f[i + 1]);
                cpus++;
                busy += v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
                total += v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
            }
            String stat = Files.readString(proc.resolve("self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long self = Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime (fields 14, 15)
            return new long[] {busy, total, self, Math.max(1, cpus)};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The CPUs this process may run on (Cpus_allowed_list), empty when unknown. */
    private static BitSet allowedCpus(Path proc) {
        BitSet set = new BitSet();
        try {
            List<String> lines = Files.readAllLines(proc.resolve("self/status"));
            for (String line : lines) {
                if (!line.startsWith("Cpus_allowed_list:")) continue;
                for (String range : line.substring(line.indexOf(':') + 1).trim().split(",")) {
                    String[] ab = range.split("-");
                    int a = Integer.parseInt(ab[0].trim()), b = ab.length > 1 ? Integer.parseInt(ab[1].trim()) : a;
                    set.set(a, b + 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            set.clear();
        }
        return set;
    }
}
