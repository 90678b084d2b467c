package trm4j.bench;

import java.util.Arrays;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.engine.Autocast;
import trm4j.engine.Device;
import trm4j.engine.Precision;
import trm4j.engine.Scope;

/**
 * The machine's square-matmul rate in one precision, sized by time rather than by a fixed N: N
 * doubles from 256 until one product takes {@code perCallMs} (or N reaches 4096), then products
 * repeat for about {@code budgetMs}. Where bf16 is emulated a product of 2048 can take seconds,
 * so a fixed size could run for minutes.
 */
public final class MatmulBench {
    public record Result(int n, int runs, double medianMs) {
        public double gflops() { return 2.0 * n * n * n / medianMs / 1e6; }
    }

    private MatmulBench() {}

    /** fp32 and bf16, as printed. */
    public static String report(double perCallMs, double budgetMs) {
        StringBuilder b = new StringBuilder();
        for (Precision p : new Precision[] {Precision.FP32, Precision.BF16}) {
            Result r = run(p, perCallMs, budgetMs);
            b.append(String.format("matmul %-4s %4d x %4d x %4d: median %8.2f ms over %3d runs, %7.1f GFLOP/s%n", p, r.n(), r.n(), r.n(),
                    r.medianMs(), r.runs(), r.gflops()));
        }
        return b.toString();
    }

    public static Result run(Precision p, double perCallMs, double budgetMs) {
        int n = 256;
        double ms = time(p, n);
        while (ms < perCallMs && n < 4096) {
            n *= 2;
            ms = time(p, n);
        }
        int runs = (int) Math.max(3, Math.min(200, budgetMs / Math.max(ms, 1e-3)));
        double[] all = new double[runs];
        for (int i = 0; i < runs; i++) all[i] = time(p, n);
        Arrays.sort(all);
        return new Result(n, runs, all[runs / 2]);
    }

    /** One N x N x N product (fp32 operands under bf16 autocast for BF16, as a training step runs it). */
    private static double time(Precision p, int n) {
        try (Scope scope = Scope.open()) {
            ScalarType t = p == Precision.FP64 ? ScalarType.Double : p == Precision.BF16 ? ScalarType.BFloat16 : ScalarType.Float;
            Tensor a = torch.randn(new long[] {n, n}, Device.CPU.options(t)), b = torch.randn(new long[] {n, n}, Device.CPU.options(t));
            torch.matmul(a, b);   // first touch and kernel creation stay out of the timing
            long t0 = System.nanoTime();
            try (Autocast ac = p.enter(Device.CPU)) {
                torch.matmul(a, b);
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }
}
