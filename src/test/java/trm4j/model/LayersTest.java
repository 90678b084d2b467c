package trm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import trm4j.engine.Torch;

/** RoPE and RMSNorm against direct computations written out by hand. */
class LayersTest {
    @Test
    void ropeRotatesEachHalfPairByPositionTimesFrequency() {
        int b = 2, s = 5, h = 3, hd = 8;
        double theta = 10000;
        double[] x = random(b * s * h * hd, 11);
        Tensor[] cs = Network.rope(s, hd, theta, org.bytedeco.pytorch.global.torch.ScalarType.Double);
        double[] got = Torch.toDoubles(Network.applyRope(Torch.fromDoubles(x, b, s, h, hd), cs[0], cs[1]));
        for (int bi = 0; bi < b; bi++)
            for (int p = 0; p < s; p++)
                for (int hi = 0; hi < h; hi++) {
                    int base = ((bi * s + p) * h + hi) * hd;
                    for (int i = 0; i < hd / 2; i++) {
                        double angle = p * Math.pow(theta, -2.0 * i / hd);
                        double x1 = x[base + i], x2 = x[base + i + hd / 2];
                        // "rotate half": (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin)
                        assertEquals(x1 * Math.cos(angle) - x2 * Math.sin(angle), got[base + i], 1e-12);
                        assertEquals(x2 * Math.cos(angle) + x1 * Math.sin(angle), got[base + i + hd / 2], 1e-12);
                    }
                }
    }

    @Test
    void rmsNormDividesByRootMeanSquareWithoutScale() {
        int rows = 4, d = 7;
        double eps = 1e-5;
        double[] x = random(rows * d, 5);
        double[] got = Torch.toDoubles(Network.rmsNorm(Torch.fromDoubles(x, rows, d), eps));
        for (int r = 0; r < rows; r++) {
            double ms = 0;
            for (int i = 0; i < d; i++) ms += x[r * d + i] * x[r * d + i] / d;
            for (int i = 0; i < d; i++) assertEquals(x[r * d + i] / Math.sqrt(ms + eps), got[r * d + i], 1e-12);
        }
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
        ModelConfig c = Presets.model("trm-arc", java.util.Map.of());
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
