package trm4j.bench;

import java.util.Arrays;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.UserError;
import trm4j.engine.Autocast;
import trm4j.engine.Device;
import trm4j.engine.Precision;
import trm4j.engine.Scope;

/**
 * The device's square-matmul rate in one precision, sized by time rather than by a fixed N: N
 * doubles from 256 until one product takes {@code perCallMs} (or N reaches 4096 on a CPU, 16384 on
 * a GPU), then products repeat for about {@code budgetMs}. Where bf16 is emulated a product of 2048
 * can take seconds, so a fixed size could run for minutes.
 */
public final class MatmulBench {
    public record Result(int n, int runs, double medianMs) {
        public double gflops() { return 2.0 * n * n * n / medianMs / 1e6; }
    }

    private MatmulBench() {}

    /** fp32 and bf16 on a device, as printed. */
    public static String report(Device d, double perCallMs, double budgetMs) {
        if (!(perCallMs > 0 && budgetMs > 0 && Double.isFinite(perCallMs) && Double.isFinite(budgetMs)))
            throw new UserError("--per-call and --budget must be positive finite numbers");
        StringBuilder b = new StringBuilder(Machine.header(d));
        for (Precision p : new Precision[] {Precision.FP32, Precision.BF16}) {
            Result r = run(d, p, perCallMs, budgetMs);
            b.append(String.format("matmul %s %-4s %5d x %5d x %5d: median %8.2f ms over %3d runs, %9.1f GFLOP/s%n", d, p, r.n(), r.n(), r.n(),
                    r.medianMs(), r.runs(), r.gflops()));
        }
        return b.toString();
    }

    public static Result run(Device d, Precision p, double perCallMs, double budgetMs) {
        int n = 256, largest = d.isCuda() ? 16384 : 4096;
        double ms = time(d, p, n);
        while (ms < perCallMs && n < largest) {
            n *= 2;
            ms = time(d, p, n);
        }
        int runs = (int) Math.max(3, Math.min(200, budgetMs / Math.max(ms, 1e-3)));
        double[] all = new double[runs];
        for (int i = 0; i < runs; i++) all[i] = time(d, p, n);
        Arrays.sort(all);
        return new Result(n, runs, all[runs / 2]);
    }

    /** One N x N x N product (bf16 operands for BF16, as autocast gives a training step's products). */
    private static double time(Device d, Precision p, int n) {
        try (Scope scope = Scope.open()) {
            ScalarType t = p == Precision.FP64 ? ScalarType.Double : p == Precision.BF16 ? ScalarType.BFloat16 : ScalarType.Float;
            Tensor a = torch.randn(new long[] {n, n}, d.options(t)), b = torch.randn(new long[] {n, n}, d.options(t));
            torch.matmul(a, b);   // first touch and kernel creation stay out of the timing
            d.synchronize();
            long t0 = System.nanoTime();
            try (Autocast ac = p.enter(d)) {
                torch.matmul(a, b);
            }
            d.synchronize();
            return (System.nanoTime() - t0) / 1e6;
        }
    }
}
