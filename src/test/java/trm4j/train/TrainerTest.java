package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.checkpoint.Checkpoint;
import trm4j.checkpoint.CheckpointException;
import trm4j.config.Presets;
import trm4j.data.NQueens;
import trm4j.data.PuzzleTraining;
import trm4j.engine.Device;
import trm4j.engine.HostSyncs;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.metrics.MetricsFile;
import trm4j.metrics.MetricsLine;
import trm4j.metrics.PuzzleScores;
import trm4j.model.Network;

/** Both trainers on a small N-Queens model in float32: what a run logs and saves, and resuming is exact. */
class TrainerTest {
    private static final PuzzleTraining DATA = new PuzzleTraining(NQueens.generate(512, 3, Set.of()), false, 5);

    private static ObjectNode doc(String method, long steps) {
        String[] kv = {"hidden_size", "32", "heads", "2", "N_sup", "4", "steps", String.valueOf(steps), "batch", "16",
                "lr", "3e-3", "warmup", "10", "precision", "fp32", "log_every", "4", "checkpoint_every", "12",
                "eval_every", "0", "ema", method.equals("trm") ? "0.9" : "0"};
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) overrides.put(kv[i], kv[i + 1]);
        return Presets.load(method + "-nqueens-cpu", overrides);
    }

    private static Trainer trainer(Network net, JsonNode doc, Path dir) {
        return trainer(net, doc, dir, 0);
    }

    /** @param metricsBytes the metrics a resumed run keeps */
    private static Trainer trainer(Network net, JsonNode doc, Path dir, long metricsBytes) {
        return new Trainer(net, Presets.trainOf(doc, "test"), DATA).listen(new RunFolder(dir, doc, metricsBytes))
                .evaluateWith((model, step, stop) -> new Trainer.Evaluator.Scored(MetricsLine.Split.TEST,
                        new PuzzleScores((int) step, 0, 0, List.of(), null, null, null, null), null));
    }

    private static Network fresh(JsonNode doc) {
        Torch.seed(0);
        return Network.init(Presets.modelOf(doc, "test"), Precision.FP32);
    }

    private static List<Double> losses(Path dir) throws Exception {
        List<Double> out = new ArrayList<>();
        for (MetricsLine l : MetricsFile.read(dir.resolve(RunFolder.METRICS_FILE)))
            if (l instanceof MetricsLine.Training t) out.add(t.loss());
        return out;
    }

    private static List<MetricsLine.Training> lines(Path dir) throws Exception {
        List<MetricsLine.Training> out = new ArrayList<>();
        for (MetricsLine l : MetricsFile.read(dir.resolve(RunFolder.METRICS_FILE))) if (l instanceof MetricsLine.Training t) out.add(t);
        return out;
    }

    /**
     * What a run writes follows from what its steps did. A line of a window of 4 steps holds the means of the same run's
     * lines of 1 step (TRM's exact accuracy and halting steps weighted by the rows that halted); the counters follow from
     * the configuration (calls, the stream's position, DIS's samples; TRM's finished samples account for every row-step
     * but those of the 16 rows in flight, which have run 0 to N_sup - 1 steps each); the learning rate is the schedule's;
     * and the model file holds the weights the run evaluates with (TRM's: the EMA).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dis", "trm"})
    void aRunLogsWhatItsStepsDid(String method, @TempDir Path dir) throws Exception {
        int batch = 16, nSup = 4, warmup = 10;
        double peak = 3e-3;
        Map<String, List<MetricsLine.Training>> logs = new LinkedHashMap<>();
        Trainer windows = null;
        for (String every : new String[] {"1", "4"}) {
            ObjectNode doc = doc(method, 96);
            Presets.apply(doc, "test", Map.of("log_every", every));
            Path out = Files.createDirectories(dir.resolve(every));
            Trainer t = trainer(fresh(doc), doc, out);
            t.run();
            logs.put(every, lines(out));
            windows = t;
        }
        List<MetricsLine.Training> each = logs.get("1"), four = logs.get("4");
        assertEquals(96, each.size());
        assertEquals(24, four.size());
        boolean trm = method.equals("trm");
        double rowSteps = 0;   // TRM: the steps run by the rows that finished
        for (int w = 0; w < four.size(); w++) {
            MetricsLine.Training line = four.get(w);
            List<MetricsLine.Training> steps = each.subList(4 * w, 4 * w + 4);
            String at = method + " step " + line.step();
            assertEquals(steps.stream().mapToDouble(MetricsLine.Training::loss).average().orElseThrow(), line.loss(), 1e-12, at + " loss");
            assertEquals(steps.stream().mapToDouble(MetricsLine.Training::ce).average().orElseThrow(), line.ce(), 1e-12, at + " cross-entropy");
            long halted = line.samples() - (w == 0 ? 0 : four.get(w - 1).samples());
            if (trm && halted > 0) {
                double right = 0, haltSteps = 0;
                for (int k = 0; k < 4; k++) {
                    long h = steps.get(k).samples() - (4 * w + k == 0 ? 0 : each.get(4 * w + k - 1).samples());
                    if (h > 0) {
                        right += h * steps.get(k).exactAcc();
                        haltSteps += h * steps.get(k).haltSteps();
                    }
                }
                assertEquals(right / halted, line.exactAcc(), 1e-12, at + " exact accuracy of the rows that halted");
                assertEquals(haltSteps / halted, line.haltSteps(), 1e-12, at + " halting step");
                rowSteps += haltSteps;
            }
            long s = line.step();
            assertEquals(4 * (w + 1), s);
            assertEquals(3 * s, line.callsGrad(), at + ": T (n + 1) calls a step, all with a gradient at T = 1");
            assertEquals(0, line.callsNograd(), at);
            assertEquals(peak * Math.min(1, (double) s / warmup), line.lr(), 1e-15, at + " learning rate");
            assertEquals(3.0 * s * batch / line.samples(), line.callsPerSample(), 1e-9, at + " calls per sample");
            if (trm) {   // a batch drawn every step; every row runs every step
                assertEquals(batch * s, line.position(), at + " position");
                double inFlight = batch * s - rowSteps;
                assertTrue(inFlight >= 0 && inFlight <= batch * (nSup - 1), at + ": " + inFlight + " row-steps in flight");
            } else {   // a batch drawn every N_sup steps, finished after its last
                assertEquals(batch * ((s + nSup - 1) / nSup), line.position(), at + " position");
                assertEquals(batch * (s / nSup), line.samples(), at + " samples");
            }
        }
        Map<String, Tensor> file = Checkpoint.tensors(dir.resolve("4").resolve(RunFolder.MODEL_FILE));
        Map<String, Tensor> evaluated = windows.evaluationModel().tensors();
        assertEquals(evaluated.keySet(), file.keySet());
        evaluated.forEach((k, t) -> assertTrue(t.equal(file.get(k)), method + ": the model file's " + k));
    }

    /** trm keeps an EMA: the model a training checkpoint loads as is the EMA's, not the network's. */
    @ParameterizedTest
    @ValueSource(strings = {"dis", "trm"})
    void aTrainingCheckpointLoadsAsTheModelItsRunEvaluatesWith(String method, @TempDir Path dir) throws Exception {
        ObjectNode doc = doc(method, 24);
        trainer(fresh(doc), doc, dir).run();
        Map<String, Tensor> model = Checkpoint.tensors(dir.resolve(RunFolder.MODEL_FILE));
        Map<String, Tensor> loaded = Checkpoint.load(dir.resolve(TrainState.FILE), Precision.FP32, Device.CPU, Map.of()).network().tensors();
        assertEquals(model.keySet(), loaded.keySet());
        model.forEach((k, t) -> assertTrue(t.equal(loaded.get(k)), method + ": " + k));
        Map<String, Tensor> net = TrainState.load(dir.resolve(TrainState.FILE)).network().tensors();
        assertEquals(method.equals("trm"), model.keySet().stream().anyMatch(k -> !model.get(k).equal(net.get(k))), method + ": the EMA differs from the network");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dis", "trm"})
    void aResumedRunReproducesTheUninterruptedOne(String method, @TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole"), parts = dir.resolve("parts");
        Files.createDirectories(whole);
        Files.createDirectories(parts);
        ObjectNode full = doc(method, 36);
        trainer(fresh(full), full, whole).run();

        ObjectNode half = doc(method, 12);
        trainer(fresh(half), half, parts).run();
        TrainState.Saved saved = TrainState.load(parts.resolve(TrainState.FILE));
        assertEquals(12, saved.counters().step());
        Trainer resumed = trainer(saved.network(), full, parts, saved.counters().metricsBytes());
        resumed.restore(saved);
        resumed.run();

        List<Double> a = losses(whole), b = losses(parts);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertEquals(a.get(i), b.get(i), 1e-9, method + " metrics line " + i);
        // The weights evaluation uses (TRM: the EMA, saved in the checkpoint and restored) come out the same too.
        Map<String, Tensor> wa = Checkpoint.tensors(whole.resolve(RunFolder.MODEL_FILE)), wb = Checkpoint.tensors(parts.resolve(RunFolder.MODEL_FILE));
        assertEquals(wa.keySet(), wb.keySet());
        for (String k : wa.keySet()) assertArrayEquals(Torch.toDoubles(wa.get(k)), Torch.toDoubles(wb.get(k)), 1e-7, method + " " + k);
    }

    /**
     * An evaluation's step is saved before the evaluation runs: a run killed during one (here its evaluator fails at step
     * 24, with checkpoints due only at evaluations) loses no training, and resumed it evaluates that step first, so the
     * metrics hold each evaluation once and the losses of the run that was never killed.
     */
    @Test
    void aRunKilledInAnEvaluationLosesNoTrainingAndEvaluatesOnResume(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole"), killed = dir.resolve("killed");
        Files.createDirectories(whole);
        Files.createDirectories(killed);
        ObjectNode doc = doc("dis", 36);
        doc.with("train").put("eval_every", 12).put("checkpoint_every", 1000);
        trainer(fresh(doc), doc, whole).run();

        Trainer dying = new Trainer(fresh(doc), Presets.trainOf(doc, "test"), DATA).listen(new RunFolder(killed, doc, 0))
                .evaluateWith((model, step, stop) -> {
                    if (step == 24) throw new IllegalStateException("killed");
                    return new Trainer.Evaluator.Scored(MetricsLine.Split.TEST, new PuzzleScores((int) step, 0, 0, List.of(), null, null, null, null), null);
                });
        assertThrows(IllegalStateException.class, dying::run);
        TrainState.Saved saved = TrainState.load(killed.resolve(TrainState.FILE));
        assertEquals(24, saved.counters().step(), "the step being evaluated was saved first");
        Trainer resumed = trainer(saved.network(), doc, killed, saved.counters().metricsBytes());
        resumed.restore(saved);
        resumed.run();

        assertEquals(List.of(12L, 24L, 36L), evaluations(killed));
        assertEquals(losses(whole), losses(killed));
    }

    /**
     * A stop asked during an evaluation whose step is saved cuts it short: the evaluator sees the stop, the run stops with
     * the checkpoint that says the evaluation follows and without its line, and the resumed run evaluates that step
     * again (here stopped once more in that first evaluation, then let finish); a checkpoint of an earlier build, whose
     * counters say nothing of an evaluation, repeats none.
     */
    @Test
    void aStopDuringAnEvaluationCutsItShortAndTheResumedRunEvaluatesAgain(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("stopped")), whole = Files.createDirectories(root.resolve("whole"));
        ObjectNode doc = doc("dis", 36);
        doc.with("train").put("eval_every", 12).put("checkpoint_every", 1000);
        trainer(fresh(doc), doc, whole).run();
        List<Long> calls = new ArrayList<>();
        List<Boolean> seen = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            TrainState.Saved saved = attempt == 0 ? null : TrainState.load(dir.resolve(TrainState.FILE));
            Trainer[] t = new Trainer[1];
            boolean stops = attempt < 2;
            t[0] = new Trainer(saved == null ? fresh(doc) : saved.network(), Presets.trainOf(doc, "test"), DATA)
                    .listen(new RunFolder(dir, doc, saved == null ? 0 : saved.counters().metricsBytes()))
                    .evaluateWith((model, step, stop) -> {
                        calls.add(step);
                        if (stops && step == 12) {
                            t[0].requestStop();
                            seen.add(stop.getAsBoolean());
                        }
                        return new Trainer.Evaluator.Scored(MetricsLine.Split.TEST, new PuzzleScores((int) step, 0, 0, List.of(), null, null, null, null), null);
                    });
            if (saved != null) t[0].restore(saved);
            assertEquals(stops, t[0].run().stopped());
            if (stops) {
                TrainState.Counters at = TrainState.load(dir.resolve(TrainState.FILE)).counters();
                assertEquals(12, at.step());
                assertTrue(at.evaluating(), "the checkpoint still says the evaluation follows");
                assertEquals(List.of(), evaluations(dir), "a cut evaluation writes no line");
            }
        }
        assertEquals(List.of(true, true), seen, "the evaluator is told to stop");
        assertEquals(List.of(12L, 12L, 12L, 24L, 36L), calls);
        assertEquals(List.of(12L, 24L, 36L), evaluations(dir));
        assertEquals(losses(whole), losses(dir), "the training of the run never stopped");
        assertFalse(TrainState.counters(dir, "{\"step\":12,\"position\":192,\"adamSteps\":12,\"metricsBytes\":900,\"samples\":0,\"wallMillis\":5}").evaluating(),
                "counters written before the flag existed");
    }

    private static List<Long> evaluations(Path dir) throws IOException {
        List<Long> steps = new ArrayList<>();
        Path metrics = dir.resolve(RunFolder.METRICS_FILE);
        if (Files.exists(metrics)) for (MetricsLine l : MetricsFile.read(metrics)) if (l instanceof MetricsLine.Evaluation e) steps.add(e.step());
        return steps;
    }

    /** The puzzle table is updated by sign-SGD on the rows a batch touched: it never holds a dense gradient. */
    @Test
    void thePuzzleTableNeverGetsADenseGradient(@TempDir Path dir) {
        ObjectNode doc = doc("trm", 6);
        Network net = fresh(doc);
        trainer(net, doc, dir).run();
        assertFalse(net.puzzleTable().requires_grad(), "the table is not a leaf of the graph");
        assertFalse(net.puzzleTable().grad().defined(), "no gradient of the whole table was made");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dis", "trm"})
    void microBatchesTrainLikeTheWholeBatch(String method, @TempDir Path dir) throws Exception {
        Map<String, Network> nets = new LinkedHashMap<>();
        for (String micro : new String[] {"0", "5"}) {   // 16 rows as chunks of 5, 5, 5 and 1
            ObjectNode doc = doc(method, 8);
            Presets.apply(doc, "test", Map.of("precision", "fp64", "micro_batch", micro));
            Torch.seed(0);
            Network net = Network.init(Presets.modelOf(doc, "test"), Precision.FP64);
            Path out = Files.createDirectories(dir.resolve(micro));
            trainer(net, doc, out).run();
            nets.put(micro, net);
        }
        List<String> last = new ArrayList<>();
        for (String micro : new String[] {"0", "5"}) {
            List<MetricsLine> lines = MetricsFile.read(dir.resolve(micro).resolve(RunFolder.METRICS_FILE));
            MetricsLine.Training t = (MetricsLine.Training) lines.get(lines.size() - 2);   // the last training line, before the evaluation
            last.add(t.callsGrad() + " " + t.callsNograd() + " " + t.callsPerSample());
        }
        assertEquals(last.get(0), last.get(1), "network calls are counted per batch, not per chunk");
        List<Double> whole = losses(dir.resolve("0")), chunked = losses(dir.resolve("5"));
        assertEquals(whole.size(), chunked.size());
        for (int i = 0; i < whole.size(); i++) assertEquals(whole.get(i), chunked.get(i), 1e-10, method + " loss line " + i);
        nets.get("0").weights().forEach((name, w) -> {
            double[] a = Torch.toDoubles(w), b = Torch.toDoubles(nets.get("5").weights().get(name));
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-10, method + " " + name + "[" + i + "]");
        });
    }

    /**
     * The step stays on the device: between two log lines no tensor is read back to the host, with
     * micro-batches too; a log line reads its window once (the evaluation at the end reads more). The
     * samples go up once each: TRM's fresh batch every step, DIS's batch and its paths every N_sup steps.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dis", "trm"})
    void aStepReadsNothingBackAndALogLineReadsItsWindowOnce(String method, @TempDir Path dir) throws Exception {
        ObjectNode doc = doc(method, 24);
        Presets.apply(doc, "test", Map.of("log_every", "8", "checkpoint_every", "1000", "micro_batch", "5"));
        List<Long> atStep = new ArrayList<>(), uploads = new ArrayList<>();
        trainer(fresh(doc), doc, dir).listen(new Trainer.Listener() {
            @Override public void stepped(long step) {
                atStep.add(HostSyncs.sofar());
                uploads.add(HostSyncs.uploads());
            }
        }).run();
        assertEquals(24, atStep.size());
        int nSup = Presets.modelOf(doc, "test").nSup();
        for (int k = 1; k < atStep.size(); k++) {
            long syncs = atStep.get(k) - atStep.get(k - 1);   // step k+1, and the log line of step k when there is one
            assertEquals(k % 8 == 0 ? 1 : 0, syncs, method + ": host reads between steps " + k + " and " + (k + 1));
            // one upload of samples: TRM's fresh batch at every step, DIS's batch with its paths when it starts
            assertEquals(method.equals("trm") || k % nSup == 0 ? 1 : 0, uploads.get(k) - uploads.get(k - 1), method + ": uploads of step " + (k + 1));
        }
    }

    @Test
    void aPresetStoredBeforeMicroBatchesExistedReadsAsWholeBatches() {
        ObjectNode doc = doc("dis", 8);
        ((ObjectNode) doc.get("train")).remove("micro_batch");
        assertEquals(0, Presets.trainOf(Presets.upgrade(doc), "old checkpoint").microBatch());
    }

    @Test
    void aCorruptCheckpointIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        ObjectNode doc = doc("dis", 12);
        trainer(fresh(doc), doc, dir).run();
        Path file = dir.resolve(TrainState.FILE);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        CheckpointException e = assertThrows(CheckpointException.class, () -> TrainState.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && !e.getMessage().contains("\n"), e.getMessage());
    }
}
