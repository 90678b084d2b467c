package trm4j.bench;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.config.ModelConfig;
import trm4j.engine.AttentionKernel;
import trm4j.engine.Autocast;
import trm4j.engine.Device;
import trm4j.engine.Precision;
import trm4j.engine.Scope;
import trm4j.engine.Threads;
import trm4j.engine.Torch;
import trm4j.model.Network;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.PrecisionSetting;

/**
 * One network call f(h, x) of an L-layer attention network: forward+backward and no-grad forward.
 * {@code bench/reference_block.py} measures the same in Python.
 */
public final class BlockBench {
    public record Result(double fwdBwdMs, double fwdMs, double flopsForward) {
        public double gflopsFwdBwd() { return 3 * flopsForward / fwdBwdMs / 1e6; }
        public double gflopsFwd() { return flopsForward / fwdMs / 1e6; }
    }

    private BlockBench() {}

    /** Runs the benchmark and returns its lines. */
    public static String report(Device d, int batch, int seq, int hidden, int layers, int heads, PrecisionSetting dtype, int warmup, int iters) {
        Precision p = PrecisionChoice.of(dtype, d).precision();
        Result r = run(d, batch, seq, hidden, layers, heads, p, warmup, iters);
        AttentionKernel k = AttentionKernel.current();
        return Machine.header(d) + String.format("block device=%s batch=%d seq=%d hidden=%d layers=%d dtype=%s threads=%d attention=%s (grad) %s (no grad)%n", d, batch, seq,
                hidden, layers, p, Threads.current(), k.fused(d, p, seq, true) ? "fused" : "composed", k.fused(d, p, seq, false) ? "fused" : "composed")
                + String.format("fwd+bwd  median %.2f ms  %.1f GFLOP/s%n", r.fwdBwdMs(), r.gflopsFwdBwd())
                + String.format("fwd      median %.2f ms  %.1f GFLOP/s (no grad)%n", r.fwdMs(), r.gflopsFwd());
    }

    public static Result run(Device d, int batch, int seq, int hidden, int layers, int heads, Precision p, int warmup, int iters) {
        // seq counts every position the network sees, so the puzzle prefix is folded into it.
        ModelConfig c = ModelConfig.builder().hiddenSize(hidden).heads(heads).layers(layers).seqLen(seq).vocabSize(12).T(1).n(1).nSup(1).build();
        Torch.seed(0);
        Network net = Network.init(c, p, d);
        Tensor h = torch.randn(new long[] {batch, seq, hidden}, d.options(p.activations));
        Tensor x = torch.randn(new long[] {batch, seq, hidden}, d.options(p.activations));
        Runnable fwdBwd = () -> {
            try (Scope scope = Scope.open(); Autocast ac = p.enter(d)) {
                Tensor out = net.f(h, x);
                out.to(ScalarType.Float).square().mean().backward();
            }
            try (Scope scope = Scope.open()) {
                net.zeroGrad();
            }
        };
        Runnable fwd = () -> {
            try (Scope scope = Scope.open(); NoGradGuard g = new NoGradGuard(); Autocast ac = p.enter(d)) {
                net.f(h, x);
            }
        };
        double fb = Timer.medianMillis(d, warmup, iters, fwdBwd);
        double f = Timer.medianMillis(d, warmup, iters, fwd);
        return new Result(fb, f, forwardFlops(batch, seq, hidden, c.swigluInner(hidden), layers));
    }

    /** Matmul FLOPs of one forward call: projections, attention scores and mixing, SwiGLU. */
    public static double forwardFlops(long b, long s, long d, long inner, int layers) {
        double tokens = (double) b * s;
        double proj = 2 * tokens * d * (3 * d + d);          // qkv and output projections
        double attn = 2 * 2 * (double) b * s * s * d;        // QK^T and PV over all heads
        double mlp = 2 * tokens * d * (2 * inner + inner);   // gate_up and down
        return layers * (proj + attn + mlp);
    }

}
