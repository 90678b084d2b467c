package trm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import trm4j.data.Batch;
import trm4j.engine.Torch;

class StableMaxTest {
    private static final double[] LOGITS = {1.5, -0.5, 0.0, -3.0, 2.0, 0.25, -1.0, 4.0, -2.5};
    private static final long[] LABELS = {0, Batch.IGNORE, 2};

    private static double s(double x) {
        return x >= 0 ? x + 1 : 1 / (1 - x);
    }

    /** -log(s(x_label) / sum s(x)) written out. */
    private static double direct(int row) {
        double sum = 0;
        for (int j = 0; j < 3; j++) sum += s(LOGITS[row * 3 + j]);
        return -Math.log(s(LOGITS[row * 3 + (int) LABELS[row]]) / sum);
    }

    @Test
    void tokenLossMatchesDirectComputationAndIgnoresPositions() {
        double[] got = Torch.toDoubles(StableMax.tokenLoss(Torch.fromDoubles(LOGITS, 1, 3, 3), Torch.fromLongs(LABELS, 1, 3)));
        assertEquals(direct(0), got[0], 1e-12);
        assertEquals(0.0, got[1], 0.0);
        assertEquals(direct(2), got[2], 1e-12);
    }

    @Test
    void sequenceMeanIsOverValidTokensAndSummedOverTheBatch() {
        double[] two = new double[18];
        System.arraycopy(LOGITS, 0, two, 0, 9);
        System.arraycopy(LOGITS, 0, two, 9, 9);
        long[] labels = {0, Batch.IGNORE, 2, Batch.IGNORE, Batch.IGNORE, Batch.IGNORE};
        double got = StableMax.sequenceMeanSum(Torch.fromDoubles(two, 2, 3, 3), Torch.fromLongs(labels, 2, 3)).item_double();
        assertEquals((direct(0) + direct(2)) / 2 + 0.0, got, 1e-12);   // the all-ignored row adds 0, not NaN
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor x = Torch.fromDoubles(LOGITS.clone(), 1, 3, 3);
        x.set_requires_grad(true);
        StableMax.sequenceMeanSum(x, Torch.fromLongs(LABELS, 1, 3)).backward();
        double[] g = Torch.toDoubles(x.grad());
        double h = 1e-6;
        for (int i = 0; i < LOGITS.length; i++) {
            double[] up = LOGITS.clone(), down = LOGITS.clone();
            up[i] += h;
            down[i] -= h;
            double fd = (value(up) - value(down)) / (2 * h);
            assertEquals(fd, g[i], 1e-7, "logit " + i);
        }
    }

    private static double value(double[] logits) {
        return StableMax.sequenceMeanSum(Torch.fromDoubles(logits, 1, 3, 3), Torch.fromLongs(LABELS, 1, 3)).item_double();
    }

    /** A logit of exactly 1 (common in bf16) once made the unused 1/(1-x) branch's gradient NaN. */
    @Test
    void gradientIsFiniteAtALogitOfExactlyOne() {
        Tensor x = Torch.fromDoubles(new double[] {1.0, 0.0, -1.0}, 1, 1, 3);
        x.set_requires_grad(true);
        StableMax.sequenceMeanSum(x, Torch.fromLongs(new long[] {2}, 1, 1)).backward();
        double[] g = Torch.toDoubles(x.grad());
        // d/dx_j of -log s(x_2) + log sum s: s'(1) = 1, s'(0) = 1, s'(-1) = 1/4; sum s = 2 + 1 + 0.5.
        assertEquals(1 / 3.5, g[0], 1e-12);
        assertEquals(1 / 3.5, g[1], 1e-12);
        assertEquals(0.25 / 3.5 - 0.25 / 0.5, g[2], 1e-12);
    }
}
