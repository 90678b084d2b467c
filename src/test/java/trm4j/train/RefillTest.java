package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;

import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.data.Prefetcher;
import trm4j.data.Sample;
import trm4j.data.TrainingSet;
import trm4j.engine.Device;
import trm4j.engine.Group;
import trm4j.engine.Precision;
import trm4j.engine.Scope;
import trm4j.engine.Torch;
import trm4j.model.Network;

/**
 * TRM's halted rows take their row of the step's fresh batch, with a real network whose halting
 * logit is set by its q_head bias: which sample each row holds tells which rows halted.
 */
class RefillTest {
    /** Sample p is an empty 8x8 board with puzzle id p % 64 (the table has 64 rows): a row tells its stream position. */
    private static final TrainingSet DATA = new TrainingSet() {
        @Override public long epochSize() { return 64; }

        @Override public Sample get(long p) {
            byte[] board = new byte[64];
            Arrays.fill(board, (byte) 1);
            return new Sample(board, board, (int) (p % 64));
        }
    };

    /** The puzzle id of each row at each of {@code steps} steps. */
    private static List<List<Long>> samplesOfRows(double qBias, int steps) {
        var doc = Presets.load("trm-nqueens-cpu", Map.of("hidden_size", "16", "heads", "2", "N_sup", "3", "batch", "4",
                "halt_exploration", "0", "precision", "fp32", "puzzle_ids", "64"));
        TrainConfig c = Presets.trainOf(doc, "test");
        Torch.seed(0);
        Network net = Network.init(Presets.modelOf(doc, "test"), Precision.FP32);
        try (NoGradGuard g = new NoGradGuard()) {
            net.weights().get(Network.Q_BIAS).fill_(Torch.scalar(qBias));   // q_halt = bias (q's weights are 0)
        }
        Driven<?> sup = Driven.of(Supervision.of(net, c, Group.SINGLE));
        List<List<Long>> held = new ArrayList<>();
        try (Prefetcher data = new Prefetcher(DATA, 0, 16)) {
            for (int s = 0; s < steps; s++) {
                try (Scope scope = Scope.open()) {
                    Supervision.Feed feed = sup.next(net, data, s);
                    held.add(Arrays.stream(Torch.toLongs(feed.rows().ids())).boxed().toList());
                    sup.took(net, feed, SupervisionStep.run(net, feed, 0), s, new Meter(Device.CPU));
                }
                assertEquals(4L * (s + 1), data.position(), "every step draws a whole fresh batch");
            }
        }
        return held;
    }

    @Test
    void rowsRunNSupStepsWhenQHaltStaysNegativeThenAllTakeTheFreshBatch() {
        // N_sup = 3: the rows hold samples 0-3 for steps 1-3, then take step 4's fresh batch (positions 12-15).
        assertEquals(List.of(List.of(0L, 1L, 2L, 3L), List.of(0L, 1L, 2L, 3L), List.of(0L, 1L, 2L, 3L), List.of(12L, 13L, 14L, 15L)),
                samplesOfRows(-5, 4));
    }

    @Test
    void rowsHaltAfterOneStepWhenQHaltIsPositive() {
        assertEquals(List.of(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L), List.of(8L, 9L, 10L, 11L)), samplesOfRows(5, 3));
    }
}
