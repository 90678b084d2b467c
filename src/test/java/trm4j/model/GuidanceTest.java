package trm4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import trm4j.config.Method;
import trm4j.config.ModelConfig;
import trm4j.engine.Natives;

/**
 * Guided decoding (docs/METHOD.md section 5) on hand-made logits: the answer after step s is
 * (1-w) x logits before the step + w x logits after it; "before" at step 1 is lm_head(y0).
 */
class GuidanceTest {
    private static final double[] Y0 = {0, 1, 0}, AFTER_1 = {0.5, 0.8, 0}, AFTER_2 = {1, 0, 0.9};

    private static RecordingModel model() {
        ModelConfig c = ModelConfig.builder().hiddenSize(2).heads(1).layers(1).seqLen(1).vocabSize(3).nSup(2).build();
        return new RecordingModel(c, (k, tokens) -> new double[][][] {{k == 0 ? AFTER_1 : AFTER_2}}, (k, b) -> new double[b],
                new double[][][] {{Y0}});
    }

    @Test
    void weightTwoExtrapolatesFromTheLogitsBeforeEachStep() {
        Natives.load();
        RecordingModel m = model();
        Inference.Answer a = Inference.run(m, new long[] {2}, new long[] {0}, new Method.Dis(Method.Feed.PREDICTION, Method.StepWeights.EQUAL, 0), 2.0, true);
        // step 1: -Y0 + 2 AFTER_1 = (1, 0.6, 0): token 0 (plain decoding would say 1)
        // step 2: -AFTER_1 + 2 AFTER_2 = (1.5, -0.8, 1.8): token 2 (plain would say 0)
        assertEquals(0, a.predictions()[0][0][0]);
        assertEquals(2, a.predictions()[1][0][0]);
        assertArrayEquals(new double[] {maxStableMax(1.5, -0.8, 1.8)}, a.cells(), 1e-6, "the guided logits' most likely token");
        assertArrayEquals(new long[] {0}, m.calls.get(1).tokens(), "a DIS model is fed the guided answer of the step before");
    }

    @Test
    void weightOneIsPlainDecoding() {
        Natives.load();
        Inference.Answer a = Inference.run(model(), new long[] {2}, new long[] {0}, new Method.Trm(0.5, 0.1, 0), 1.0, true);
        assertEquals(1, a.predictions()[0][0][0]);
        assertEquals(0, a.predictions()[1][0][0]);
        assertArrayEquals(new double[] {maxStableMax(AFTER_2)}, a.cells(), 1e-6);
    }

    /** The largest stable-max probability of some logits, by hand: s(x) = x + 1 for x >= 0, 1/(1 - x) below. */
    private static double maxStableMax(double... logits) {
        double sum = 0, max = 0;
        for (double x : logits) {
            double v = x >= 0 ? x + 1 : 1 / (1 - x);
            sum += v;
            max = Math.max(max, v);
        }
        return max / sum;
    }
}
