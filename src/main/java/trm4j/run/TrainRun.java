package trm4j.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.config.Json;
import trm4j.config.DataConfig;
import trm4j.config.Presets;
import trm4j.data.Sample;
import trm4j.engine.Device;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.Torch;
import trm4j.model.Checkpoint;
import trm4j.model.Network;
import trm4j.train.RunFolder;
import trm4j.train.TrainState;
import trm4j.train.Trainer;

/**
 * Training in a run folder: everything that can be refused is refused before the work (contradicting
 * options, a folder holding another run, a bad preset or data), then a new or resumed run trains
 * with a progress bar, evaluates on its test data, and keeps its folder up to date
 * ({@link RunFolder}).
 */
public final class TrainRun {
    /**
     * What to train.
     *
     * @param preset    a built-in preset (may be null when resuming: the run's own is used)
     * @param out       the run folder
     * @param overrides {@code --set} fields, applied to the preset (or the resumed run's)
     * @param resume    continue the run in {@code out}, or start one if it holds none
     * @param force     start over in a folder that holds a run
     * @param trainFile a puzzle set from 'trm4j data generate' instead of generating one (with testFile), or null
     * @param init      a checkpoint whose weights start the run, or null
     */
    public record Request(String preset, Path out, Map<String, String> overrides, boolean resume, boolean force,
                          Path trainFile, Path testFile, Path init) {
        public static Request of(String preset, Path out, Map<String, String> overrides) {
            return new Request(preset, out, overrides, false, false, null, null, null);
        }

        public Request resuming(boolean r) { return new Request(preset, out, overrides, r, force, trainFile, testFile, init); }
        public Request forcing(boolean f) { return new Request(preset, out, overrides, resume, f, trainFile, testFile, init); }
        public Request withFiles(Path train, Path test) { return new Request(preset, out, overrides, resume, force, train, test, init); }
        public Request withInit(Path i) { return new Request(preset, out, overrides, resume, force, trainFile, testFile, i); }
    }

    /** The end of the run: the trainer's result, the lines to print (the test result, or how to resume) and the test set's scores (null when stopped). */
    public record Outcome(Trainer.Result result, String summary, Map<String, Object> test) {}

    private final Path out;
    private final RunSetup setup;
    private final Trainer trainer;
    private final Trainer.Evaluator evaluator;

    private TrainRun(Path out, RunSetup setup, Trainer trainer, Trainer.Evaluator evaluator) {
        this.out = out;
        this.setup = setup;
        this.trainer = trainer;
        this.evaluator = evaluator;
    }

    public RunSetup setup() { return setup; }

    /** Optimiser steps taken. */
    public long step() { return trainer.step(); }

    /** Asks the run to stop with a checkpoint at the next batch boundary (from any thread). */
    public void requestStop() { trainer.requestStop(); }

    /** Adds a listener of the trainer's lines and checkpoints. */
    public TrainRun listen(Trainer.Listener l) {
        trainer.listen(l);
        return this;
    }

    /**
     * The score of the same model untrained on the run's test set (exact accuracy, or ARC pass@2):
     * what training must beat. Seeded as the run is, so it is the very network the run starts from.
     */
    public double untrainedScore(Reporter reporter) {
        Torch.seed(setup.train().seed());
        try (Network untrained = Network.init(setup.model(), trainer.evaluationModel().precision(), trainer.evaluationModel().device())) {
            Evaluation.Outcome o = Evaluation.run(untrained, setup.data(), setup.data().test(), Evaluation.Settings.of(setup), "untrained",
                    () -> false, Group.SINGLE, reporter);
            return o.arc() != null ? o.arc().passAtK().getOrDefault(2, Double.NaN) : o.puzzles().exact();
        }
    }

    public static TrainRun prepare(Request r, Reporter reporter) throws IOException {
        if (r.resume() && r.force()) throw new UserError("--resume and --force contradict each other: continue the run, or start it over");
        if (r.init() != null && r.resume()) throw new UserError("--init starts a new run from a checkpoint; --resume continues a run: not both");
        if (r.init() != null && !Files.isRegularFile(r.init())) throw new UserError("--init " + r.init() + ": no such file");
        if ((r.trainFile() == null) != (r.testFile() == null)) throw new UserError("--train-file and --test-file go together");
        Outputs.folder(r.out(), "--out");
        Path state = r.out().resolve(TrainState.FILE);
        boolean main = Group.environmentRank() == 0;   // rank 0 alone checks and writes the folder
        if (main) checkFolder(r, state);
        boolean continuing = r.resume() && Files.exists(state);
        if (!continuing && r.preset() == null)
            throw new UserError(r.resume() ? "--resume: " + r.out() + " holds no run (no " + TrainState.FILE + "); give --preset to start one"
                    : "--preset is required for a new run (or --resume an existing one)");
        Natives.load();
        TrainState.Saved saved = continuing ? TrainState.load(state) : null;
        ObjectNode doc = continuing ? Presets.apply(((ObjectNode) saved.preset()).deepCopy(), state.toString(), r.overrides())
                : Presets.load(r.preset(), r.overrides());
        RunSetup run = RunSetup.of(doc, continuing ? state.toString() : "preset " + r.preset(), r.trainFile(), r.testFile());
        if (!run.data().skipped().isEmpty()) reporter.note("train: " + run.data().skipped());
        if (run.train().epochs() > 0)
            reporter.note(String.format("train: %d epochs of %d samples at batch %d = %d optimiser steps", run.train().epochs(),
                    run.data().train().epochSize(), run.train().batch(), run.train().steps()));
        Device device = run.train().device().available("train.device");
        Group group = Group.current(device);   // NCCL on CUDA, Gloo on the CPU
        if (main) {
            Files.createDirectories(r.out());
            Json.PRETTY.writeValue(r.out().resolve(RunFolder.PRESET_FILE).toFile(), run.doc());
        }

        PrecisionChoice precision = PrecisionChoice.of(run.train().precision(), device);
        reporter.note(precision.line());
        Network net;
        if (saved != null) {
            net = saved.network();
        } else {
            Torch.seed(run.train().seed());
            net = Network.init(run.model(), precision.precision(), device);
            if (r.init() != null) net = initialised(net, r.init(), reporter);
        }
        reporter.note(String.format("train: %s %s, %d parameters, %d network calls per supervision step, data %s (%d per epoch)",
                run.train().method().id().toUpperCase(), r.preset() == null ? r.out() : r.preset(), net.parameterCount(),
                run.model().callsPerStep(), run.data().kind(), run.data().train().epochSize()));
        Evaluation.Settings atEnd = Evaluation.Settings.of(run), during = run.dataConfig() instanceof DataConfig.Arc a ? atEnd.withVersions(a.progressVersionsOrFinal()) : atEnd;
        // With validation puzzles the evaluations during training score them, and the test set is scored once, at the last step.
        List<Sample> validation = Evaluation.validation(run.data());
        long last = run.train().steps();
        Trainer.Evaluator evaluator = (model, step) -> {
            Evaluation.Settings now = step >= last ? atEnd : during;   // ARC: the last evaluation votes over all eval_versions
            if (validation == null) return Evaluation.run(model, run.data(), run.data().test(), now, "eval @" + step, () -> false, group, reporter).summary();
            Map<String, Object> m = new java.util.LinkedHashMap<>(
                    Evaluation.run(model, run.data(), validation, during, "validation @" + step, () -> false, group, reporter).summary());
            m.put("split", "validation");
            if (step >= last)
                m.put("test", Evaluation.run(model, run.data(), run.data().test(), atEnd, "test @" + step, () -> false, group, reporter).summary());
            return m;
        };
        Trainer trainer = new Trainer(net, run.train(), run.data().train(), group).evaluateWith(evaluator);
        if (main) {
            long total = run.train().steps();
            trainer.listen(new RunFolder(r.out(), run.doc(), saved == null ? 0 : saved.counters().metricsBytes()))
                    .listen(new Trainer.Listener() {
                        @Override public void logged(Map<String, Object> line, long steps) {
                            if (line.containsKey("loss"))
                                reporter.progress("train", (Long) line.get("step"), total, "steps", String.format("loss %.4f acc %s %.0f samples/s",
                                        (Double) line.get("loss"), accuracy(line), (Double) line.get("samples_per_s")));
                        }
                    });
        }
        if (saved != null) {
            trainer.restore(saved);
            reporter.note("train: resumed at step " + trainer.step() + " from " + state);
        }
        return new TrainRun(r.out(), run, trainer, evaluator);
    }

    /** Checks that the folder can take the run asked for; {@code --force} first clears the old run's files. */
    private static void checkFolder(Request r, Path state) throws IOException {
        if (r.force()) for (String f : RunFolder.FILES) Files.deleteIfExists(r.out().resolve(f));   // nothing of the old run can be resumed by mistake
        boolean continuing = r.resume() && Files.exists(state);
        List<String> found = RunFolder.present(r.out());
        if (!r.resume() && !found.isEmpty())
            throw new UserError(r.out() + " already holds a run (" + String.join(", ", found)
                    + "): add --resume to continue it, --force to start it over, or choose another --out");
        if (r.resume() && !continuing && !found.isEmpty())
            throw new UserError(r.out() + " holds a run without " + TrainState.FILE + " (" + String.join(", ", found)
                    + "): there is nothing to resume; --force starts it over");
    }

    @SuppressWarnings("unchecked")
    public Outcome run() {
        Trainer.Result r = trainer.run();
        if (r.stopped())
            return new Outcome(r, "stopped at step " + trainer.step() + " with a checkpoint in " + out
                    + " ('trm4j train --resume --out " + out + "' continues it)", null);
        Map<String, Object> eval = r.eval();
        String before = "";
        if (eval == null) {   // the run had already taken its last step: its model is evaluated again
            eval = evaluator.evaluate(trainer.evaluationModel(), trainer.step());
            before = "the run had already taken its " + trainer.step() + " steps; ";
        }
        if (eval.get("test") instanceof Map<?, ?> test) eval = (Map<String, Object>) test;
        String acc = eval.containsKey("pass@2")
                ? String.format("pass@1 %.3f, pass@2 %.3f", (Double) eval.get("pass@1"), (Double) eval.get("pass@2"))
                : String.format("exact accuracy %.3f (per step %s)", (Double) eval.get("exact_acc"), eval.get("step_acc"));
        return new Outcome(r, before + "test: " + acc + "\nmodel: " + out.resolve(RunFolder.MODEL_FILE)
                + "\nmetrics: " + out.resolve(RunFolder.METRICS_FILE), eval);
    }

    /**
     * The network with the weights of a checkpoint, which must fit the run's model; the run's own
     * (blank) puzzle table stays when the checkpoint's has another number of rows.
     */
    private static Network initialised(Network fresh, Path file, Reporter reporter) {
        Map<String, Tensor> t = Checkpoint.tensors(file);
        Tensor puzzles = t.get(Network.PUZZLE);
        if (puzzles == null || puzzles.size(0) != fresh.puzzleTable().size(0)) {
            reporter.note("train: " + file + ": its puzzle table does not fit the data's " + fresh.puzzleTable().size(0)
                    + " puzzles; the run starts with blank puzzle embeddings");
            t.put(Network.PUZZLE, fresh.puzzleTable());
        }
        Checkpoint.checkLayout(file, fresh.config(), t);
        reporter.note("train: weights from " + file);
        return new Network(fresh.config(), fresh.precision(), fresh.device(), t);
    }

    private static String accuracy(Map<String, Object> line) {
        Object a = line.get("exact_acc");
        return a == null ? "-" : String.format("%.3f", (Double) a);
    }
}
