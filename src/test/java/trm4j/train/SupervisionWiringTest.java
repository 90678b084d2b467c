package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import trm4j.config.Method;
import trm4j.config.ModelConfig;
import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.data.Prefetcher;
import trm4j.data.Sample;
import trm4j.data.TrainingSet;
import trm4j.engine.Device;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.engine.Scope;
import trm4j.engine.Torch;
import trm4j.model.RecordingModel;
import trm4j.model.StableMax;

/**
 * The wiring of both methods, checked with a recording network: what each supervision step is
 * fed (rows, input, step index, carry), what it is trained against, and with which weights.
 */
class SupervisionWiringTest {
    private static final int B = 4, SEQ = 4, VOCAB = 6, N_SUP = 3;

    /** Sample p: input (1, 2, 1 + p%3, 3), answer = input + 1, puzzle id p + 1 (so a row tells its sample). */
    private static final TrainingSet DATA = new TrainingSet() {
        @Override public long epochSize() { return 1000; }

        @Override public Sample get(long p) {
            byte k = (byte) (p % 3);
            return new Sample(new byte[] {1, 2, (byte) (1 + k), 3}, new byte[] {2, 3, (byte) (2 + k), 4}, (int) p + 1);
        }
    };

    private static ModelConfig model(boolean dis) {
        return ModelConfig.builder().hiddenSize(2).heads(1).layers(1).seqLen(SEQ).vocabSize(VOCAB).T(1).n(2).nSup(N_SUP)
                .stepEmbedding(dis).build();
    }

    private static long sampleOf(RecordingModel.Call call, int row) {
        return (long) call.puzzleIds()[row] - 1;
    }

    private static long[] answer(long p) {
        return toLongs(DATA.get(p).label());   // no PAD here: labels are the tokens
    }

    private static long[] toLongs(byte[] b) {
        long[] out = new long[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i];
        return out;
    }

    /** Stable-max cross-entropy of one row's logits against a target, as the loss computes it. */
    private static double ce(double[][] logits, long[] target) {
        return Torch.item(StableMax.sequenceMeanSum(RecordingModel.tensor(new double[][][] {logits}), Torch.fromLongs(target, 1, SEQ)));
    }

    @Test
    void trmTrainsEveryStepOnTheAnswerWithHaltingAtHalfWeightAndRestartsHaltedRowsFromY0() {
        Natives.load();
        TrainConfig c = Presets.trainOf(Presets.load("trm-nqueens-cpu", Map.of("batch", "4", "halt_exploration", "0")), "test");
        Method.Trm trm = (Method.Trm) c.method();
        assertEquals(0.5, trm.qLossWeight(), "docs/METHOD.md section 4: the halting loss has weight 0.5");
        boolean[] right = {true, false, true, false};
        double[] q = {3, -3, -3, -3};   // row 0 halts after every step, the others run N_sup steps
        RecordingModel.Logits answers = (k, tokens) -> {
            double[][][] l = new double[B][SEQ][];
            for (int i = 0; i < B; i++) for (int j = 0; j < SEQ; j++) l[i][j] = RecordingModel.oneHot(tokens[i][j] + (right[i] ? 1 : 0), VOCAB);
            return l;
        };
        RecordingModel m = new RecordingModel(model(false), answers, (k, b) -> q.clone(), null);
        Driven<?> sup = Driven.of(Supervision.of(m, c, Group.SINGLE));
        long[] finished = new long[4];
        try (Prefetcher data = new Prefetcher(DATA, 0, 16)) {
            for (int step = 0; step < 4; step++) {
                try (Scope scope = Scope.open()) {
                    Supervision.Feed feed = sup.next(m, data, step);
                    SupervisionStep.Outcome out = SupervisionStep.run(m, feed, 0);
                    RecordingModel.Call call = m.calls.get(step);
                    double[][][] logits = answers.of(step, rows(call.tokens()));
                    double expected = 0;
                    for (int i = 0; i < B; i++) {
                        double bce = Math.log1p(Math.exp(q[i])) - q[i] * (right[i] ? 1 : 0);
                        expected += ce(logits[i], answer(sampleOf(call, i))) + 0.5 * bce;
                    }
                    assertEquals(expected / B, Torch.item(out.loss()), 1e-9, "step " + step + ": CE against the answer + 0.5 BCE(q_halt, whole answer right)");
                    Meter meter = new Meter(Device.CPU);
                    sup.took(m, feed, out, step, meter);
                    finished[step] = (long) meter.drain(Group.SINGLE).get(Metric.SAMPLES)[0];
                }
            }
        }
        // Which sample each row holds, and where its carry came from (-1: y0; k: the output of call k-1). Every step
        // draws a fresh batch (step t: samples 4t..4t+3) and a halted row takes its row of it.
        long[][] samples = {{0, 1, 2, 3}, {4, 1, 2, 3}, {8, 1, 2, 3}, {12, 13, 14, 15}};
        double[][] carries = {{-1, -1, -1, -1}, {-1, 1, 1, 1}, {-1, 2, 2, 2}, {-1, -1, -1, -1}};
        for (int step = 0; step < 4; step++) {
            RecordingModel.Call call = m.calls.get(step);
            for (int i = 0; i < B; i++) {
                assertEquals(samples[step][i], sampleOf(call, i), "step " + step + " row " + i + ": sample");
                assertEquals(carries[step][i], call.carryY()[i], "step " + step + " row " + i + ": carry");
            }
            assertEquals(null, call.stepIds(), "TRM has no step embedding");
        }
        assertArrayEquals(new long[] {1, 1, 4, 1}, finished, "samples that ran their last step");
    }

    /**
     * The reference (trm.py, the ACT step) draws the exploration minimum anew at every step: a row whose q_halt is
     * always positive, exploring with probability 1 over N_sup = 16, halts at count c when that step's draw from
     * U{2..16} is at most c, a mean of 5.55 steps (worked out from that rule). One draw per sample would give
     * the mean of U{2..16}, 9.
     */
    @Test
    void trmRedrawsTheExplorationMinimumAtEveryStep() {
        Natives.load();
        int rows = 8, nSup = 16;
        TrainConfig c = Presets.trainOf(Presets.load("trm-nqueens-cpu", Map.of("batch", "" + rows, "halt_exploration", "1")), "test");
        ModelConfig config = ModelConfig.builder().hiddenSize(2).heads(1).layers(1).seqLen(SEQ).vocabSize(VOCAB).T(1).n(2).nSup(nSup).build();
        RecordingModel.Logits echo = (k, tokens) -> {
            double[][][] l = new double[tokens.length][SEQ][];
            for (int i = 0; i < tokens.length; i++) for (int j = 0; j < SEQ; j++) l[i][j] = RecordingModel.oneHot(tokens[i][j], VOCAB);
            return l;
        };
        RecordingModel m = new RecordingModel(config, echo, (k, b) -> { double[] q = new double[b]; Arrays.fill(q, 3); return q; }, null);
        Driven<?> sup = Driven.of(Supervision.of(m, c, Group.SINGLE));
        Meter meter = new Meter(Device.CPU);
        try (Prefetcher data = new Prefetcher(DATA, 0, 16)) {
            for (int step = 0; step < 400; step++) {
                try (Scope scope = Scope.open()) {
                    Supervision.Feed feed = sup.next(m, data, step);
                    sup.took(m, feed, SupervisionStep.run(m, feed, 0), step, meter);
                }
            }
        }
        double[] halt = meter.drain(Group.SINGLE).get(Metric.HALT_STEPS);
        assertTrue(halt[1] > 400, "rows halted: " + halt[1]);
        assertEquals(5.55, halt[0] / halt[1], 0.6, "mean steps at halting over " + (long) halt[1] + " rows");
    }

    /** Fed its own prediction (the DIS code's default), or the input at every step (the DIS paper's variant). */
    @ParameterizedTest
    @CsvSource({"equal,prediction", "linear,prediction", "equal,input"})
    void disStepSSeesStepEmbeddingSAndItsFeedAndTrainsOnFrameS(String weights, String feedOf) {
        Natives.load();
        TrainConfig c = Presets.trainOf(Presets.load("dis-nqueens-cpu", Map.of("batch", "4", "step_weights", weights, "feed", feedOf)), "test");
        Method.Dis dis = (Method.Dis) c.method();
        assertEquals(feedOf.equals("input") ? Method.Feed.INPUT : Method.Feed.PREDICTION, dis.feed());
        RecordingModel.Logits answers = (k, tokens) -> {   // some prediction that changes from step to step
            double[][][] l = new double[B][SEQ][];
            for (int i = 0; i < B; i++) for (int j = 0; j < SEQ; j++) l[i][j] = RecordingModel.oneHot((tokens[i][j] + k + i) % 5 + 1, VOCAB);
            return l;
        };
        RecordingModel m = new RecordingModel(model(true), answers, (k, b) -> new double[b], null);
        DisSupervision policy = (DisSupervision) Supervision.of(m, c, Group.SINGLE);
        Driven<?> sup = Driven.of(policy);
        try (Prefetcher data = new Prefetcher(DATA, 0, 16)) {
            for (int step = 0; step < 2 * N_SUP; step++) {
                int s = step % N_SUP + 1;
                try (Scope scope = Scope.open()) {
                    Supervision.Feed feed = sup.next(m, data, step);
                    SupervisionStep.Outcome out = SupervisionStep.run(m, feed, 0);
                    RecordingModel.Call call = m.calls.get(step);
                    long[] target = Torch.toLongs(feed.target());
                    long[][] fed = rows(call.tokens());
                    double[][][] logits = answers.of(step, fed);
                    double weight = weights.equals("linear") ? 2.0 * s / (N_SUP + 1) : 1.0, expected = 0;
                    for (int i = 0; i < B; i++) {
                        long p = sampleOf(call, i);
                        assertEquals(step / N_SUP * B + i, p, "a batch holds its samples for N_sup steps");
                        assertEquals(s, call.stepIds()[i], "step " + step + ": step embedding s");
                        assertEquals(s == 1 ? -1 : step, call.carryY()[i], "step " + step + ": the carry of the previous step (y0 at s = 1)");
                        long[] input = s == 1 || dis.feed() == Method.Feed.INPUT ? toLongs(DATA.get(p).input()) : previousPrediction(answers, m, step - 1, i);
                        assertArrayEquals(input, fed[i], "step " + step + " row " + i + ": the input, then its feed (" + feedOf + ")");
                        long[] frame = policy.path(DATA.get(p), p)[s];
                        assertArrayEquals(frame, Arrays.copyOfRange(target, i * SEQ, (i + 1) * SEQ), "row " + i + ": frame s of its path");
                        expected += weight * ce(logits[i], frame);
                    }
                    assertEquals(expected / B, Torch.item(out.loss()), 1e-9, "step " + step + ": weighted CE against frame s, no halting loss");
                    Meter meter = new Meter(Device.CPU);
                    sup.took(m, feed, out, step, meter);
                    assertEquals(s == N_SUP ? B : 0, meter.drain(Group.SINGLE).getOrDefault(Metric.SAMPLES, new double[1])[0], "samples that ran their last step");
                }
            }
        }
    }

    /** The argmax the model gave a row at call k. */
    private static long[] previousPrediction(RecordingModel.Logits answers, RecordingModel m, int k, int row) {
        double[][] l = answers.of(k, rows(m.calls.get(k).tokens()))[row];
        long[] out = new long[SEQ];
        for (int j = 0; j < SEQ; j++) for (int v = 0; v < VOCAB; v++) if (l[j][v] > l[j][(int) out[j]]) out[j] = v;
        return out;
    }

    private static long[][] rows(long[] flat) {
        long[][] out = new long[flat.length / SEQ][SEQ];
        for (int i = 0; i < out.length; i++) System.arraycopy(flat, i * SEQ, out[i], 0, SEQ);
        return out;
    }
}
