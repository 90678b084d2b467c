package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;

import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.data.NQueens;
import trm4j.data.Prefetcher;
import trm4j.data.PuzzleTraining;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.model.Network;

/** TRM's halted rows are refilled from the stream: how many samples each step takes tells which rows halted. */
class RefillTest {
    private static final PuzzleTraining DATA = new PuzzleTraining(NQueens.generate(64, 2, Set.of()), false, 1);

    private static long[] positionsAfterSteps(double qBias, int steps) {
        var doc = Presets.load("trm-nqueens-cpu", Map.of("hidden_size", "16", "heads", "2", "N_sup", "3", "batch", "4",
                "halt_exploration", "0", "precision", "fp32"));
        TrainConfig c = Presets.section(doc, "train", TrainConfig.class, "test");
        Torch.seed(0);
        Network net = Network.init(Presets.modelOf(doc, "test"), Precision.FP32);
        try (NoGradGuard g = new NoGradGuard()) {
            net.weights().get(Network.Q_BIAS).fill_(Torch.scalar(qBias));   // q_halt = bias (weights are 0)
        }
        TrmSupervision sup = new TrmSupervision(net.config(), c);
        long[] positions = new long[steps];
        try (Prefetcher data = new Prefetcher(DATA, 0, 16)) {
            for (int s = 0; s < steps; s++) {
                try (PointerScope scope = new PointerScope()) {
                    Supervision.Feed feed = sup.next(net, data, s);
                    sup.took(net, feed, SupervisionStep.run(net, feed, 0), s, new Meter());
                }
                positions[s] = data.position();
            }
        }
        return positions;
    }

    @Test
    void rowsRunNSupStepsWhenQHaltStaysNegativeThenAllAreRefilled() {
        // N_sup = 3: the batch of 4 is filled at step 1, runs steps 2 and 3, and is replaced at step 4.
        assertEquals(java.util.List.of(4L, 4L, 4L, 8L, 8L, 8L, 12L), boxed(positionsAfterSteps(-5, 7)));
    }

    @Test
    void rowsHaltAfterOneStepWhenQHaltIsPositive() {
        assertEquals(java.util.List.of(4L, 8L, 12L, 16L), boxed(positionsAfterSteps(5, 4)));
    }

    private static java.util.List<Long> boxed(long[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
