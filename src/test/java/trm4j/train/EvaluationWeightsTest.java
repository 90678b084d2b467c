package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.config.Presets;
import trm4j.data.NQueens;
import trm4j.data.PuzzleTraining;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.metrics.MetricsLine;
import trm4j.model.Network;

/** Evaluation during training sees the EMA of the weights (docs/METHOD.md section 4), not the weights. */
class EvaluationWeightsTest {
    private static Map<String, double[]> snapshot(Network net) {
        Map<String, double[]> out = new LinkedHashMap<>();
        net.weights().forEach((k, w) -> out.put(k, Torch.toDoubles(w)));
        return out;
    }

    @Test
    void theEvaluatorGetsTheExponentialMovingAverageOfEveryStepsWeights() {
        Natives.load();
        Map<String, String> set = new LinkedHashMap<>();
        String[] kv = {"hidden_size", "16", "heads", "2", "N_sup", "2", "batch", "8", "steps", "3", "log_every", "1",
                "eval_every", "3", "ema", "0.5", "precision", "fp64", "warmup", "0", "lr", "1e-2"};
        for (int i = 0; i < kv.length; i += 2) set.put(kv[i], kv[i + 1]);
        ObjectNode doc = Presets.load("trm-nqueens-cpu", set);
        Torch.seed(0);
        Network net = Network.init(Presets.modelOf(doc, "test"), Precision.FP64);
        List<Map<String, double[]>> weights = new ArrayList<>(List.of(snapshot(net)));
        List<Map<String, double[]>> evaluated = new ArrayList<>();
        new Trainer(net, Presets.trainOf(doc, "test"), new PuzzleTraining(NQueens.generate(64, 2, Set.of()), false, 1))
                .listen(new Trainer.Listener() {
                    @Override public void logged(MetricsLine line, long total) {
                        if (line instanceof MetricsLine.Training) weights.add(snapshot(net));   // after each optimiser step
                    }
                })
                .evaluateWith((model, step, stop) -> {
                    evaluated.add(snapshot(model));
                    return null;
                })
                .run();
        Map<String, double[]> ema = weights.get(0), last = weights.get(3), seen = evaluated.get(0);
        for (int t = 1; t <= 3; t++)
            for (String k : ema.keySet()) {
                double[] e = ema.get(k), w = weights.get(t).get(k);
                for (int i = 0; i < e.length; i++) e[i] = 0.5 * e[i] + 0.5 * w[i];
            }
        double moved = 0;
        for (String k : ema.keySet()) {
            assertArrayEquals(ema.get(k), seen.get(k), 1e-12, k);
            for (int i = 0; i < ema.get(k).length; i++) moved = Math.max(moved, Math.abs(ema.get(k)[i] - last.get(k)[i]));
        }
        assertTrue(moved > 1e-6, "the EMA differs from the last weights, so the check above can tell them apart");
    }
}
