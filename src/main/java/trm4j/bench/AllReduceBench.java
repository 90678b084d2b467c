package trm4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.engine.Group;

/** The time of one all-reduce (a sum) of a float32 buffer over the group, by size: the gradient exchange of a step. */
public final class AllReduceBench {
    private AllReduceBench() {}

    public record Row(long floats, double medianMs, double gigabytesPerSecond) {}

    public static List<Row> run(Group group, long[] sizes, int iters) {
        List<Row> rows = new ArrayList<>();
        for (long n : sizes) {
            Tensor t = torch.ones(new long[] {n}, group.device().options(ScalarType.Float));   // on the run's device, as the gradients
            double ms = Timer.medianMillis(group.device(), 2, iters, () -> group.allReduceSum(t));
            // A ring all-reduce moves 2 (N-1)/N of the buffer in and out of every rank.
            double bytes = 2.0 * (group.size() - 1) / group.size() * n * 4;
            rows.add(new Row(n, ms, bytes / ms / 1e6));
        }
        return rows;
    }

    /** Buffers of 10^4, 10^5, ... up to {@code max} floats, timed on every rank; the lines rank 0 prints. */
    public static String report(Group group, long max, int iters) {
        List<Row> rows = run(group, LongStream.iterate(10_000, n -> n <= max, n -> n * 10).toArray(), iters);
        StringBuilder b = new StringBuilder(Machine.header(group.device()) + String.format("allreduce over %d ranks (Gloo, %s), float32, sum:%n", group.size(),
                System.getenv().getOrDefault("MASTER_ADDR", "127.0.0.1")));
        for (Row r : rows)
            b.append(String.format("%,13d floats (%9.2f MB): median %9.2f ms, %6.2f GB/s moved per rank%n", r.floats(), r.floats() * 4 / 1e6,
                    r.medianMs(), r.gigabytesPerSecond()));
        return b.toString();
    }
}
