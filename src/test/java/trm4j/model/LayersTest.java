package trm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import trm4j.config.ModelConfig;
import trm4j.config.Presets;
import trm4j.engine.Device;
import trm4j.engine.Precision;
import trm4j.engine.Torch;

/** RoPE, RMSNorm, SwiGLU and the token mixing against direct computations written out by hand. */
class LayersTest {
    /** q and k [B, S, 2, H, hd] rotate alike; q alone is also scaled. */
    @Test
    void ropeRotatesEachHalfPairByPositionTimesFrequencyAndScalesQ() {
        int b = 2, s = 5, h = 3, hd = 8;
        double theta = 10000, qScale = 0.37;
        double[] x = random(b * s * 2 * h * hd, 11);
        Rope rope = Rope.of(s, hd, theta, qScale, ScalarType.Double, Device.CPU);
        double[] got = Torch.toDoubles(rope.apply(Torch.fromDoubles(x, b, s, 2, h, hd)));
        for (int bi = 0; bi < b; bi++)
            for (int p = 0; p < s; p++)
                for (int qk = 0; qk < 2; qk++)
                    for (int hi = 0; hi < h; hi++) {
                        int base = (((bi * s + p) * 2 + qk) * h + hi) * hd;
                        double scale = qk == 0 ? qScale : 1;
                        for (int i = 0; i < hd / 2; i++) {
                            double angle = p * Math.pow(theta, -2.0 * i / hd);
                            double x1 = x[base + i], x2 = x[base + i + hd / 2];
                            // "rotate half": (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin)
                            assertEquals(scale * (x1 * Math.cos(angle) - x2 * Math.sin(angle)), got[base + i], 1e-12);
                            assertEquals(scale * (x2 * Math.cos(angle) + x1 * Math.sin(angle)), got[base + i + hd / 2], 1e-12);
                        }
                    }
    }

    @Test
    void rmsNormDividesByRootMeanSquareOverTheGivenAxisWithoutScale() {
        int b = 2, s = 3, d = 7;
        double eps = 1e-5;
        double[] x = random(b * s * d, 5);
        double[] overD = Torch.toDoubles(Network.rmsNorm(Torch.fromDoubles(x, b, s, d), eps, -1));
        double[] overS = Torch.toDoubles(Network.rmsNorm(Torch.fromDoubles(x, b, s, d), eps, 1));
        for (int bi = 0; bi < b; bi++)
            for (int si = 0; si < s; si++)
                for (int di = 0; di < d; di++) {
                    double msD = 0, msS = 0;
                    for (int i = 0; i < d; i++) msD += Math.pow(x[(bi * s + si) * d + i], 2) / d;
                    for (int i = 0; i < s; i++) msS += Math.pow(x[(bi * s + i) * d + di], 2) / s;
                    int at = (bi * s + si) * d + di;
                    assertEquals(x[at] / Math.sqrt(msD + eps), overD[at], 1e-12);
                    assertEquals(x[at] / Math.sqrt(msS + eps), overS[at], 1e-12);
                }
    }

    @Test
    void tokenMixIsTheSwigluOfTheTransposedStateTransposedBack() {
        int b = 2, s = 5, d = 4, inner = 3;
        Tensor h = Torch.fromDoubles(random(b * s * d, 7), b, s, d);
        Tensor gateUp = Torch.fromDoubles(random(2 * inner * s, 8), 2 * inner, s);
        Tensor down = Torch.fromDoubles(random(s * inner, 9), s, inner);
        // The reference form on [B, S, D]: positions become the feature axis of a SwiGLU.
        double[] want = Torch.toDoubles(Network.swiglu(h.transpose(1, 2), gateUp, down).transpose(1, 2).contiguous());
        Tensor positionsFirst = h.transpose(0, 1).contiguous();
        double[] got = Torch.toDoubles(Network.tokenMix(positionsFirst, gateUp, down).transpose(0, 1).contiguous());
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-12);
    }

    /** An mlp_t network computes positions first; through the layout change f is the reference block. */
    @Test
    void mlpTCallInItsWorkLayoutIsTheReferenceBlockOnBatchFirstState() {
        ModelConfig c = Tiny.mlpT(1, 1);
        Network net = Network.init(c, Precision.FP64);
        int b = 3, s = c.totalSeqLen(), d = c.hiddenSize();
        Tensor h = Torch.fromDoubles(random(b * s * d, 21), b, s, d), x = Torch.fromDoubles(random(b * s * d, 22), b, s, d);
        double[] got = Torch.toDoubles(net.fromWorkLayout(net.f(net.toWorkLayout(h), net.toWorkLayout(x))));

        String pre = "L_level.layers.0.";
        var w = net.weights();
        Tensor t = h.add(x);
        t = hardRms(t.add(Network.swiglu(t.transpose(1, 2), w.get(pre + "mlp_t.gate_up_proj.weight"),
                w.get(pre + "mlp_t.down_proj.weight")).transpose(1, 2)), 1, c.rmsEps());
        t = hardRms(t.add(Network.swiglu(t, w.get(pre + "mlp.gate_up_proj.weight"), w.get(pre + "mlp.down_proj.weight"))),
                2, c.rmsEps());
        double[] want = Torch.toDoubles(t.contiguous());
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-12);
    }

    /** The fused kernel and matmul-softmax-matmul agree in float64, in value and in the gradients of q, k and v. */
    @Test
    void fusedAndComposedAttentionAgreeInValueAndGradient() {
        // 300 x 16 positions x head size also takes the fused kernel's serial-BLAS path
        for (int seq : new int[] {8, 300}) {
            int b = 2, h = 2, hd = 16, n = b * h * seq * hd;
            double[][] out = new double[2][];
            double[][][] grads = new double[2][3][];
            for (int fused = 0; fused < 2; fused++) {
                Tensor[] qkv = new Tensor[3];
                for (int i = 0; i < 3; i++) qkv[i] = Torch.fromDoubles(random(n, 40 + i), b, h, seq, hd).requires_grad_(true);
                Tensor o = fused == 1 ? Network.fusedAttention(qkv[0], qkv[1], qkv[2])
                        : Network.composedAttention(qkv[0], qkv[1], qkv[2], Precision.FP64);
                out[fused] = Torch.toDoubles(o.detach());
                o.mul(Torch.fromDoubles(random(n, 50), b, h, seq, hd)).sum().backward();
                for (int i = 0; i < 3; i++) grads[fused][i] = Torch.toDoubles(qkv[i].grad());
            }
            for (int j = 0; j < n; j++) assertEquals(out[0][j], out[1][j], 1e-12, "value at seq " + seq);
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < n; j++) assertEquals(grads[0][i][j], grads[1][i][j], 1e-12, "gradient of " + "qkv".charAt(i) + " at seq " + seq);
        }
    }

    /** x / sqrt(mean(x^2) + eps) over one axis, from plain tensor arithmetic. */
    private static Tensor hardRms(Tensor x, long axis, double eps) {
        return x.div(x.square().mean(new long[] {axis}, true, new ScalarTypeOptional())
                .add(Torch.scalar(eps)).sqrt());
    }

    @Test
    void swigluIsSiluOfGateTimesUp() {
        int d = 3, inner = 2;
        double[] x = random(d, 1), gu = random(2 * inner * d, 2), down = random(d * inner, 3);
        double[] got = Torch.toDoubles(Network.swiglu(Torch.fromDoubles(x, 1, d), Torch.fromDoubles(gu, 2 * inner, d),
                Torch.fromDoubles(down, d, inner)));
        double[] hidden = new double[inner];
        for (int j = 0; j < inner; j++) {
            double gate = 0, up = 0;
            for (int i = 0; i < d; i++) {
                gate += gu[j * d + i] * x[i];          // gate rows first
                up += gu[(inner + j) * d + i] * x[i];  // then up rows
            }
            hidden[j] = gate / (1 + Math.exp(-gate)) * up;
        }
        for (int o = 0; o < d; o++) {
            double v = 0;
            for (int j = 0; j < inner; j++) v += down[o * inner + j] * hidden[j];
            assertEquals(v, got[o], 1e-12);
        }
    }

    @Test
    void swigluInnerSizesFollowTheReferenceRounding() {
        ModelConfig c = Presets.model("trm-arc", Map.of());
        assertEquals(1536, c.swigluInner(512));
        assertEquals(768, c.swigluInner(256));
        assertEquals(512, c.swigluInner(97));   // mlp_t over 81 + 16 positions
    }

    static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
        return v;
    }
}
