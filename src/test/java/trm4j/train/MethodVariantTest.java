package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.data.NQueens;
import trm4j.data.Prefetcher;
import trm4j.data.PuzzleTraining;
import trm4j.engine.Group;
import trm4j.engine.Precision;
import trm4j.engine.TensorRecord;
import trm4j.engine.Torch;
import trm4j.metrics.MetricsLine;
import trm4j.model.Carry;
import trm4j.model.Network;
import trm4j.model.RecursiveModel;

/**
 * A method variant written here, in the test sources, trains through the trainer with no main file
 * changed: deep supervision without halting and without improvement targets (every one of N_sup
 * steps trained on the answer, the DIS paper's ablation), as a policy of its own.
 */
class MethodVariantTest {
    /** A batch in progress: its rows, (y, z) and the steps done. */
    record State(Rows rows, Carry carry, int s) implements TensorRecord {
        @Override public List<Tensor> tensors() {
            List<Tensor> all = new ArrayList<>(rows.tensors());
            all.addAll(carry.tensors());
            return all;
        }
    }

    /** N_sup steps per batch, each trained on the answer, each with its step embedding. */
    static final class AnswerAtEveryStep implements Supervision<State> {
        final List<long[]> targets = new ArrayList<>(), answers = new ArrayList<>();
        private final int batch, seq, nSup;

        AnswerAtEveryStep(int batch, int seq, int nSup) {
            this.batch = batch;
            this.seq = seq;
            this.nSup = nSup;
        }

        @Override public Begun<State> begin(State st, RecursiveModel net, Prefetcher data, long step) {
            State at = st != null ? new State(st.rows(), st.carry(), st.s() + 1)
                    : new State(Rows.of(RankSlice.batch(new RankSlice(batch, batch, 0).draw(data), seq), net.device()), net.initialCarry(batch), 1);
            return new Begun<>(new Feed(at.rows(), at.rows().inputs(), at.s(), at.carry(), at.rows().labels(), 1.0, 0), at);
        }

        @Override public State end(State at, RecursiveModel net, Feed fed, SupervisionStep.Outcome out, long step, Meter meter) {
            targets.add(Torch.toLongs(fed.target()));
            answers.add(Torch.toLongs(at.rows().labels()));
            meter.add(Metric.EXACT_ACC, at.rows().exact(out.predicted()).sum(), batch);
            if (at.s() < nSup) return new State(at.rows(), out.carry(), at.s());
            meter.add(Metric.SAMPLES, Torch.scalarTensor(net.device(), batch), 0);
            return null;
        }

        @Override public boolean atBoundary(State st) { return st == null; }
        @Override public Map<String, Tensor> save(State st) { return Map.of(); }
        @Override public State restore(RecursiveModel net, Map<String, Tensor> saved) { return null; }
    }

    @Test
    void aPolicyOfTheTestSourcesTrainsThroughTheTrainer() {
        JsonNode doc = Presets.load("dis-nqueens-cpu", Map.of("hidden_size", "32", "heads", "2", "N_sup", "3", "steps", "60", "batch", "8",
                "lr", "3e-3", "warmup", "5", "precision", "fp32", "log_every", "6", "eval_every", "0"));
        TrainConfig c = Presets.trainOf(doc, "test");
        Torch.seed(0);
        Network net = Network.init(Presets.modelOf(doc, "test"), Precision.FP32);
        AnswerAtEveryStep variant = new AnswerAtEveryStep(c.batch(), net.config().seqLen(), net.config().nSup());
        List<MetricsLine.Training> lines = new ArrayList<>();
        new Trainer(net, c, new PuzzleTraining(NQueens.generate(64, 3, Set.of()), false, 5), Group.SINGLE, variant).listen(new Trainer.Listener() {
            @Override public void logged(MetricsLine line, long total) {
                if (line instanceof MetricsLine.Training t) lines.add(t);
            }
        }).run();
        assertEquals(60, variant.targets.size());
        for (int k = 0; k < 60; k++) assertArrayEquals(variant.answers.get(k), variant.targets.get(k), "step " + (k + 1) + " is trained on the answer");
        assertEquals(60 * 8 / 3, lines.get(lines.size() - 1).samples(), "a batch finishes every N_sup steps");
        assertTrue(lines.get(lines.size() - 1).loss() < lines.get(0).loss(), "it learns: " + lines.get(0).loss() + " -> " + lines.get(lines.size() - 1).loss());
    }
}
