package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static trm4j.Goldens.DIR;
import static trm4j.Goldens.doubles;
import static trm4j.Goldens.longs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.Goldens;
import trm4j.checkpoint.Checkpoint;
import trm4j.config.Method;
import trm4j.config.TrainConfig;
import trm4j.data.Sample;
import trm4j.data.TrainingSet;
import trm4j.engine.Device;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.engine.PrecisionSetting;
import trm4j.engine.Torch;
import trm4j.metrics.MetricsLine;
import trm4j.model.Network;
import trm4j.model.RecursiveModel;

/**
 * 60 optimiser steps of trm4j's trainer against the reference code's own training step (make_trajectory.py: TRM's
 * pretrain.py with ACT, halting and the refill of halted rows, with and without exploration; DIS's
 * train_arc_tiny_corrupt.py with its improvement paths), in float64 from the same weights on the same batches. The
 * reference's random draws (exploration minima, the scores that order a path) are replayed. After every step: the loss and
 * its cross-entropy part, the q_halt logits, which rows halted and how many steps each has run, the carry (y, z), the
 * weights and the puzzle table; at the end every weight, the puzzle table and the EMA. On the device {@link Goldens#device}
 * names (a GPU check runs it on CUDA).
 */
class TrajectoryGoldenTest {
    private static final double TOLERANCE = 1e-11;

    /** What the policy saw at one step, recorded as the trainer runs it. */
    private record Seen(double[] qHalt, double y, double z, long[] halted, long[] steps) {}

    @ParameterizedTest
    @CsvSource({"trm, 0", "trm-explore, 0", "dis, 0", "trm, 2", "dis, 2"})
    void trainingFollowsTheReferenceStepByStep(String name, int microBatch) throws Exception {
        Natives.load();
        JsonNode g = Goldens.read(name);
        boolean dis = name.equals("dis");
        Device device = Goldens.device();
        Network net = Checkpoint.load(DIR.resolve(name + ".pt"), Precision.FP64, device, Goldens.model(g)).network();
        JsonNode t = g.get("train");
        int batch = t.get("batch").asInt(), nSup = net.config().nSup();
        double exploration = t.get("exploration").asDouble();
        Method method = dis ? new Method.Dis(Method.Feed.PREDICTION, Method.StepWeights.EQUAL, 0)
                : new Method.Trm(0.5, exploration, t.get("ema_rate").asDouble());
        TrainConfig c = new TrainConfig(method, t.get("steps").asLong(), 0, batch, microBatch,
                dis ? TrainConfig.Optimizer.ADAMW : TrainConfig.Optimizer.ADAM_ATAN2, t.get("lr").asDouble(), t.get("lr_warmup_steps").asLong(),
                t.get("lr_min_ratio").asDouble() == 1 ? TrainConfig.Schedule.CONSTANT : TrainConfig.Schedule.COSINE,
                t.get("beta1").asDouble(), t.get("beta2").asDouble(), t.get("weight_decay").asDouble(), t.get("puzzle_emb_lr").asDouble(),
                t.get("puzzle_emb_weight_decay").asDouble(), PrecisionSetting.FP64, device, 0, 1, 0, 1000, 0);
        JsonNode samples = g.get("samples"), steps = g.get("steps");
        TrainingSet data = new TrainingSet() {
            @Override public long epochSize() { return samples.size(); }

            @Override public Sample get(long position) {
                JsonNode s = samples.get((int) (position % samples.size()));
                return new Sample(bytes(s.get("input")), bytes(s.get("label")), s.get("puzzle_id").asInt());
            }
        };
        RankSlice slice = new RankSlice(batch, batch, 0);
        Supervision<?> policy = dis
                ? new DisSupervision(net.config(), slice, (Method.Dis) method, 0, (x, position) -> {
                    // the path of row position % B of batch position / B, ordered as the reference ordered it
                    JsonNode path = g.get("paths").get((int) (position / batch));
                    int row = (int) (position % batch);
                    long[][] frames = ImprovementPath.frames(x.input(), x.label(), nSup, doubles(path.get("scores").get(row)));
                    for (int k = 0; k <= nSup; k++)
                        assertArrayEquals(longs(path.get("frames").get(row).get(k)), ignoredAsReference(frames[k]), "position " + position + " frame " + k);
                    return frames;
                })
                : new TrmSupervision(net.config(), slice, (Method.Trm) method, 0, Group.alone(device),
                        exploration == 0 ? null : (step, on) -> Torch.fromLongs(on, longs(steps.get((int) step).get("minimum")), batch));
        List<Seen> seen = new ArrayList<>();
        List<MetricsLine.Training> lines = new ArrayList<>();
        List<double[]> checksums = new ArrayList<>();   // {weights, puzzle table} after each step
        Supervision<?> recording = Recording.of(policy, (state, fed, out) -> {
            long[] halted = new long[batch], counts = new long[batch];
            if (state instanceof TrmSupervision.State trm) {
                halted = Torch.toLongs(trm.halted().to(ScalarType.Long));
                counts = Torch.toLongs(trm.steps());
            } else {   // DIS: every row runs step s of N_sup and halts after the last
                java.util.Arrays.fill(halted, fed.stepIndex() == nSup ? 1 : 0);
                java.util.Arrays.fill(counts, fed.stepIndex());
            }
            seen.add(new Seen(Torch.toDoubles(out.qHalt()), checksumOf(out.carry().y()), checksumOf(out.carry().z()), halted, counts));
        });
        Trainer trainer = new Trainer(net, c, data, Group.alone(device), recording).listen(new Trainer.Listener() {
            @Override public void logged(MetricsLine line, long total) {
                if (line instanceof MetricsLine.Training l) lines.add(l);
            }

            @Override public void stepped(long step) {
                checksums.add(new double[] {net.weights().values().stream().mapToDouble(w -> checksumOf(w)).sum(), checksumOf(net.puzzleTable())});
            }
        });
        trainer.run();

        assertEquals(steps.size(), seen.size());
        for (int i = 0; i < steps.size(); i++) {
            JsonNode r = steps.get(i);
            String at = name + " step " + (i + 1);
            close(r.get("loss").asDouble(), lines.get(i).loss(), at + " loss");
            close(r.get("lm_loss").asDouble(), lines.get(i).ce(), at + " cross-entropy");
            double[] q = doubles(r.get("q_halt"));
            for (int b = 0; b < batch; b++) close(q[b], seen.get(i).qHalt()[b], at + " q_halt of row " + b);
            assertArrayEquals(booleans(r.get("halted")), seen.get(i).halted(), at + " halted rows");
            assertArrayEquals(longs(r.get("steps")), seen.get(i).steps(), at + " steps of each row");
            close(r.get("y").asDouble(), seen.get(i).y(), at + " carry y");
            close(r.get("z").asDouble(), seen.get(i).z(), at + " carry z");
            close(r.get("weights").asDouble(), checksums.get(i)[0], at + " weights");
            close(r.get("puzzle_table").asDouble(), checksums.get(i)[1], at + " puzzle table");
        }
        g.get("weights").fields().forEachRemaining(e -> close(e.getValue().asDouble(), checksumOf(net.weights().get(e.getKey())), name + " final " + e.getKey()));
        double[] table = Torch.toDoubles(net.puzzleTable());
        for (int i = 0; i < table.length; i++) close(g.get("puzzle_table").get(i).asDouble(), table[i], name + " final puzzle table [" + i + "]");
        if (g.has("ema")) {
            Network ema = trainer.evaluationModel();
            g.get("ema").fields().forEachRemaining(e -> close(e.getValue().asDouble(), checksumOf(ema.weights().get(e.getKey())), name + " EMA of " + e.getKey()));
        }
    }

    /** A policy that shows each step's outcome and the state after it to a watcher. */
    private record Recording<S extends trm4j.engine.TensorRecord>(Supervision<S> policy, Watcher watcher) implements Supervision<S> {
        interface Watcher {
            void saw(Object stateAfter, Feed fed, SupervisionStep.Outcome out);
        }

        static <S extends trm4j.engine.TensorRecord> Recording<S> of(Supervision<S> policy, Watcher watcher) {
            return new Recording<>(policy, watcher);
        }

        @Override public Begun<S> begin(S state, RecursiveModel net, trm4j.data.Prefetcher data, long step) { return policy.begin(state, net, data, step); }

        @Override public S end(S begun, RecursiveModel net, Feed fed, SupervisionStep.Outcome out, long step, Meter meter) {
            S after = policy.end(begun, net, fed, out, step, meter);
            watcher.saw(after, fed, out);
            return after;
        }

        @Override public boolean atBoundary(S state) { return policy.atBoundary(state); }
        @Override public Map<String, Tensor> save(S state) { return policy.save(state); }
        @Override public S restore(RecursiveModel net, Map<String, Tensor> saved) { return policy.restore(net, saved); }
    }

    /** make_trajectory.py's checksum: every value times 1 + (its flat index mod 7), summed. */
    private static double checksumOf(Tensor t) {
        double[] v = Torch.toDoubles(t.to(ScalarType.Double).contiguous().view(-1));
        double s = 0;
        for (int i = 0; i < v.length; i++) s += v[i] * (1 + i % 7);
        return s;
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }

    /** A frame as the reference's path holds it: an ignored cell as -100. */
    private static long[] ignoredAsReference(long[] frame) {
        long[] out = frame.clone();
        for (int i = 0; i < out.length; i++) if (out[i] == trm4j.data.Batch.IGNORE) out[i] = -100;
        return out;
    }

    private static long[] booleans(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asBoolean() ? 1 : 0;
        return out;
    }

    private static byte[] bytes(JsonNode a) {
        byte[] out = new byte[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = (byte) a.get(i).asInt();
        return out;
    }
}
