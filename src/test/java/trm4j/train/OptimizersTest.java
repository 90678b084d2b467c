package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import trm4j.engine.Torch;

/** Optimiser updates against values computed by hand (in double precision, with plain Java). */
class OptimizersTest {
    private static Tensor param(double... v) {
        Tensor p = Torch.fromDoubles(v, v.length);
        p.set_requires_grad(true);
        return p;
    }

    /** Makes p.grad == g by backpropagating sum(p * g). */
    private static void setGrad(Tensor p, double... g) {
        if (p.grad().defined()) p.grad().zero_();
        p.mul(Torch.fromDoubles(g, g.length)).sum().backward();
    }

    /** Adam by hand: two steps with gradients g1, g2 from p0; returns p after each step. */
    private static double[] reference(boolean atan2, double p, double g1, double g2, double lr, double wd) {
        double b1 = 0.9, b2 = 0.95, m = 0, v = 0;
        double[] out = new double[2];
        double[] gs = {g1, g2};
        for (int t = 1; t <= 2; t++) {
            double g = gs[t - 1];
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mh = m / (1 - Math.pow(b1, t)), vh = Math.sqrt(v / (1 - Math.pow(b2, t)));
            // adam-atan2 (the package): the first bias correction in the step size, outside the atan2
            double update = atan2 ? Math.atan2(m, vh) / (1 - Math.pow(b1, t)) : mh / (vh + 1e-8);
            p = p * (1 - lr * wd) - lr * update;
            out[t - 1] = p;
        }
        return out;
    }

    @Test
    void adamWAndAdamAtan2MatchHandComputedUpdates() {
        for (boolean atan2 : new boolean[] {false, true}) {
            Tensor p = param(0.5, -1.0, 2.0);
            Adam adam = new Adam(atan2, 0.9, 0.95, 0.1, Map.of("p", p));
            double[][] g = {{0.3, -0.2, 0.0}, {-0.1, 0.4, 0.5}};
            for (int t = 0; t < 2; t++) {
                setGrad(p, g[t]);
                adam.step(Map.of("p", p), 0.01);
                double[] got = Torch.toDoubles(p);
                double[] p0 = {0.5, -1.0, 2.0};
                for (int i = 0; i < 3; i++)
                    assertEquals(reference(atan2, p0[i], g[0][i], g[1][i], 0.01, 0.1)[t], got[i], 1e-12, (atan2 ? "atan2" : "adamw") + " step " + t + " element " + i);
            }
        }
    }

    /**
     * The flat-buffer path: a map kept across steps (as the trainer keeps the network's), two
     * parameters updated by hand's numbers, gradients cleared in one pass, and a parameter that never
     * gets a gradient left alone (no weight decay either).
     */
    @Test
    void adamOnFlatBuffersMatchesHandComputedUpdatesAndSkipsParametersWithoutGradient() {
        Tensor a = param(0.5, -1.0), b = param(2.0), silent = param(3.0, 4.0);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("a", a);
        params.put("silent", silent);
        params.put("b", b);
        Adam adam = new Adam(false, 0.9, 0.95, 0.1, params);
        double[][] ga = {{0.3, -0.2}, {-0.1, 0.4}}, gb = {{0.7}, {0.5}};
        for (int t = 0; t < 2; t++) {
            a.mul(Torch.fromDoubles(ga[t], 2)).sum().add(b.mul(Torch.fromDoubles(gb[t], 1)).sum()).backward();
            adam.step(params, 0.01);
            adam.zeroGrad(params);
            assertArrayEquals(new double[] {0, 0}, Torch.toDoubles(a.grad()), 0, "gradients cleared");
            double[] got = Torch.toDoubles(a);
            assertEquals(reference(false, 0.5, ga[0][0], ga[1][0], 0.01, 0.1)[t], got[0], 1e-12, "a[0] step " + t);
            assertEquals(reference(false, -1.0, ga[0][1], ga[1][1], 0.01, 0.1)[t], got[1], 1e-12, "a[1] step " + t);
            assertEquals(reference(false, 2.0, gb[0][0], gb[1][0], 0.01, 0.1)[t], Torch.toDoubles(b)[0], 1e-12, "b step " + t);
        }
        assertArrayEquals(new double[] {3.0, 4.0}, Torch.toDoubles(silent), 0);
        assertEquals(6, adam.state().size());   // m and v of every parameter, for checkpoints
    }

    @Test
    void signSgdSumsGradientsPerIdAndTouchesOnlyTheBatchRows() {
        Tensor table = Torch.fromDoubles(new double[] {1, 1, 2, 2, 3, 3, 4, 4}, 4, 2);
        Tensor ids = Torch.fromLongs(new long[] {2, 0, 2}, 3);
        // Row gradients: id 2 gets (0.5, -0.1) + (-1.0, 0.3) = (-0.5, 0.2); id 0 gets (0, 0.7).
        Tensor grad = Torch.fromDoubles(new double[] {0.5, -0.1, 0.0, 0.7, -1.0, 0.3}, 3, 2);
        SignSgd.step(table, ids, grad, 0.1, 0.5);
        double decay = 1 - 0.1 * 0.5;
        assertArrayEquals(new double[] {
                1 * decay - 0.1 * 0, 1 * decay - 0.1 * 1,      // id 0: sign(0) = 0, sign(0.7) = 1
                2, 2,                                           // id 1: not in the batch, untouched
                3 * decay + 0.1, 3 * decay - 0.1,               // id 2: sign(-0.5) = -1, sign(0.2) = 1
                4, 4}, Torch.toDoubles(table), 1e-12);
    }

    @Test
    void emaMovesTowardsTheWeightsByOneMinusDecay() {
        Tensor w = param(1.0, 2.0);
        Ema ema = new Ema(0.9, Map.of("w", w));
        try (NoGradGuard g = new NoGradGuard()) {
            w.copy_(Torch.fromDoubles(new double[] {3.0, 0.0}, 2));
        }
        ema.update(Map.of("w", w));
        assertArrayEquals(new double[] {0.9 * 1 + 0.1 * 3, 0.9 * 2 + 0.1 * 0}, Torch.toDoubles(ema.weights().get("w")), 1e-12);
    }

    @Test
    void learningRateWarmsUpLinearlyThenStaysOrDecays() {
        LearningRate constant = new LearningRate(1e-3, 10, false, 100), cosine = new LearningRate(1e-3, 10, true, 110);
        assertEquals(1e-4, constant.at(0), 1e-15);
        assertEquals(1e-3, constant.at(9), 1e-15);
        assertEquals(1e-3, constant.at(99), 1e-15);
        // the references' schedule at step t = at(t - 1): halfway down at t = 10 + 50, 0 at the last step t = 110
        assertEquals(0.5e-3, cosine.at(59), 1e-12);
        assertEquals(0, cosine.at(109), 1e-12);
    }
}
