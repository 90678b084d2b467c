package trm4j.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.checkpoint.Checkpoint;
import trm4j.checkpoint.CheckpointException;
import trm4j.config.DataConfig;
import trm4j.config.Json;
import trm4j.config.ModelConfig;
import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.data.ArcSets;
import trm4j.data.Datasets;
import trm4j.engine.Device;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.Torch;
import trm4j.metrics.ArcScores;
import trm4j.metrics.MetricsLine;
import trm4j.metrics.Scores;
import trm4j.model.Network;
import trm4j.train.RunFolder;
import trm4j.train.RunLock;
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
     * @param files     puzzle sets from 'trm4j data generate' instead of generating them, or null
     * @param init      a checkpoint whose weights start the run, or null
     * @param words     how the caller names these in messages
     */
    public record Request(String preset, Path out, Map<String, String> overrides, boolean resume, boolean force,
                          Datasets.PuzzleFiles files, Path init, Words words) {
        /** A new run of a preset, asked as the command line asks. */
        public static Request of(String preset, Path out, Map<String, String> overrides) {
            return new Request(preset, out, overrides, false, false, null, null, Words.CLI);
        }
    }

    /** The end of the run: the trainer's result, the lines to print (the test result, or how to resume) and the test set's scores (null when stopped). */
    public record Outcome(Trainer.Result result, String summary, Scores test) {}

    private final Path out;
    private final Words words;
    private final RunSetup setup;
    private final Trainer trainer;
    private final Trainer.Evaluator evaluator;
    private final RunLock lock;   // rank 0's: one writer per run folder
    private final Claim claim;      // what run() writes first, or null (a rank other than 0)
    private final AtomicBoolean started = new AtomicBoolean();

    /** What a run does to its folder only when it starts (the old run cleared with {@code force}, its preset written), and the folder it made. */
    private record Claim(boolean force, Path made) {}

    private TrainRun(Path out, Words words, RunSetup setup, Trainer trainer, Trainer.Evaluator evaluator, RunLock lock, Claim claim) {
        this.out = out;
        this.words = words;
        this.setup = setup;
        this.trainer = trainer;
        this.evaluator = evaluator;
        this.lock = lock;
        this.claim = claim;
    }

    public RunSetup setup() { return setup; }

    /** Optimiser steps taken. */
    public long step() { return trainer.step(); }

    /** Asks the run to stop with a checkpoint at the next batch boundary (from any thread). */
    public void requestStop() { trainer.requestStop(); }

    /** What the run's folder keeps if the process ends now, without the checkpoint a stop writes, and how to go on from it. */
    public String keptIfEndedNow() {
        return Files.exists(out.resolve(TrainState.FILE)) ? "its last checkpoint is kept: " + words.resumes(out) + " continues from it"
                : "it had written no checkpoint: " + words.startsOver(out) + " starts it over";
    }

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
            Evaluation.Outcome o = Evaluation.run(untrained, setup.data(), MetricsLine.Split.TEST, Evaluation.Settings.of(setup), "untrained",
                    () -> false, Group.SINGLE, reporter);
            return o.scores().accuracy();
        }
    }

    /** Checks everything that can be refused, then takes the run folder (one writer: a second run is refused) and builds the run. */
    public static TrainRun prepare(Request r, Reporter reporter) throws IOException {
        Path made = r.out() == null ? null : Outputs.missingTop(r.out());
        RunLock lock = null;
        try {
            if (Group.environmentRank() == 0 && r.out() != null) lock = RunLock.acquire(Outputs.madeFolder(r.out(), r.words().out));
            return build(resolve(r, lock != null, reporter), lock, made, reporter);
        } catch (RuntimeException | IOException | Error e) {
            letGo(lock, r.out(), made);   // a refused run leaves no folder it made
            throw e;
        }
    }

    /**
     * What the request resolves to, everything checked: the run's setup (preset, data, model), the state it resumes or the
     * weights it starts from.
     *
     * @param main rank 0, which alone checks and writes the folder
     */
    private record Resolved(Request request, boolean main, Path state, TrainState.Saved saved, RunSetup run, Path initFile, Map<String, Tensor> init) {
        Path out() { return request.out(); }
    }

    /** Every refusal a request can meet, before anything is built or written. */
    private static Resolved resolve(Request r, boolean main, Reporter reporter) throws IOException {
        Words w = r.words();
        if (r.resume() && r.force()) throw new UserError(w.resume + " and " + w.force + " contradict each other: continue the run, or start it over");
        if (r.init() != null && r.resume()) throw new UserError(w.init + " starts a new run from a checkpoint; " + w.resume + " continues a run: not both");
        Path initFile = r.init() == null ? null : ModelFile.resolve(r.init());   // a run folder: its model
        if (initFile != null && !Files.isRegularFile(initFile)) throw new UserError(w.init + " " + r.init() + ": no such file");
        if (r.files() != null && (r.files().train() == null || r.files().test() == null))
            throw new UserError("--train-file and --test-file go together" + (r.files().validation() != null ? ", and --validation-file goes with them" : ""));
        Path state = r.out().resolve(TrainState.FILE);
        if (main) checkFolder(r, state);
        boolean continuing = r.resume() && Files.exists(state);
        if (!continuing && r.preset() == null)
            throw new UserError(r.resume() ? w.resume + ": " + r.out() + " holds no run (no " + TrainState.FILE + "); give " + w.preset + " to start one"
                    : w.preset + " is required for a new run (or " + w.resume + " for an existing one)");
        Natives.load();
        TrainState.Saved saved = continuing ? TrainState.load(state) : null;
        if (continuing && r.preset() != null) checkSamePreset(r, saved.preset());
        if (continuing && r.files() != null) checkSameFiles(r, saved.preset());
        // The files given again on resume are the recorded ones (checked): the record keeps its own spelling of their paths.
        Datasets.PuzzleFiles files = continuing && saved.preset().path(RunSetup.FILES).isObject() ? null : r.files();
        ObjectNode doc = continuing ? Presets.apply(((ObjectNode) saved.preset()).deepCopy(), state.toString(), r.overrides())
                : Presets.load(r.preset(), r.overrides()).put(PRESET, presetName(r.preset()));
        if (continuing) checkSameNetwork(r, saved.preset(), doc);
        String where = continuing ? state.toString() : "preset " + r.preset();
        RunSetup run;
        try {
            run = RunSetup.of(doc, where, files);
            checkWholeBatches(run.train(), run.model(), where);
            run.train().checkRanks(Group.environmentSize(), where);
        } catch (UserError e) {
            throw Presets.blame(e, doc, where, r.overrides());
        }
        if (continuing && run.train().steps() < saved.counters().step())   // it would train nothing and say it finished
            throw new UserError(w.setting("steps=" + run.train().steps()) + ": " + r.out() + " is at step " + saved.counters().step()
                    + " already; give more steps to train on");
        Map<String, Tensor> init = initFile == null ? null : initWeights(initFile, run.model());   // refused before any note or file
        if (continuing && main) checkPresetFile(r.out(), state, saved.preset(), run.doc(), r.words());
        Resolved x = new Resolved(r, main, state, saved, run, initFile, init);
        notes(x, reporter);
        return x;
    }

    /**
     * A resumed run goes on with the network and method of its checkpoint: a {@code --set} that changes either would
     * describe a run the folder does not hold. It is refused, with how to train that other network from these weights.
     */
    private static void checkSameNetwork(Request r, JsonNode saved, JsonNode resumed) {
        List<String> changed = new ArrayList<>();
        edits("model", resumed.path("model"), saved.path("model"), null, changed);
        edits("train.method", resumed.path("train").path("method"), saved.path("train").path("method"), null, changed);
        if (changed.isEmpty()) return;
        String field = changed.get(0).substring(0, changed.get(0).indexOf(' '));
        JsonNode was = saved.at("/" + field.replace('.', '/'));
        throw new UserError(r.words().setting(field) + ": " + r.words().resume + " continues the network and method of " + r.out()
                + "'s checkpoint (" + field + " " + (was.isMissingNode() ? "absent" : shown(was)) + "), which cannot change; to train another from its weights, "
                + "start a new run (" + r.words().newRunFrom(saved.path(PRESET).asText("PRESET"), r.out()) + ")");
    }

    /** Where a run's document records the preset it started from: a built-in one's name, or a preset file's path. */
    public static final String PRESET = "preset";

    private static String presetName(String preset) {
        return preset.endsWith(".json") ? Path.of(preset).toAbsolutePath().normalize().toString() : preset;
    }

    /**
     * What can be told before ranks are started for a run ({@code trm4j train --nproc}): a batch they cannot share. A run
     * whose document cannot be read here is left to the ranks, which say why.
     */
    public static void checkRanks(Request r, int ranks) {
        boolean continuing = r.resume() && Files.exists(r.out().resolve(TrainState.FILE));   // as prepare decides it
        if (!continuing && r.preset() == null) return;
        Path saved = r.out().resolve(RunFolder.PRESET_FILE);   // the checkpoint's document, as the run wrote it beside it
        String where = continuing ? saved.toString() : "preset " + r.preset();
        ObjectNode doc;
        TrainConfig train;
        try {
            doc = continuing ? Presets.apply(Presets.upgrade((ObjectNode) Json.MAPPER.readTree(saved.toFile())), where, r.overrides())
                    : Presets.load(r.preset(), r.overrides());
            train = Presets.trainOf(doc, where);
        } catch (IOException | RuntimeException e) {
            return;
        }
        try {
            train.checkRanks(ranks, where);
        } catch (UserError e) {
            throw Presets.blame(e, doc, where, r.overrides());
        }
    }

    /** {@code --preset} with {@code --resume}: the run's own preset (a script may name it each time), not another one. */
    private static void checkSamePreset(Request r, JsonNode saved) {
        String own = saved.path(PRESET).isTextual() ? saved.get(PRESET).asText() : null, given = presetName(r.preset());
        boolean same = own == null || own.equals(given) || (own.endsWith(".json") && sameFile(own, Path.of(given)));
        if (!same)
            throw new UserError(r.words().preset + " " + r.preset() + ": " + r.out() + " holds a run of preset " + own + ", which " + r.words().resume
                    + " continues with its own preset: give " + r.words().preset + " " + own + " (or none), or another " + r.words().out + " to start a run of " + r.preset());
    }

    private static boolean sameFile(String recorded, Path given) {
        try {
            return Outputs.sameFile(Path.of(recorded), given);
        } catch (InvalidPathException e) {   // a crafted checkpoint's text
            return false;
        }
    }

    /** Puzzle files with {@code --resume}: the run's own (a script may name them each time); one that moved is named with --set. */
    private static void checkSameFiles(Request r, JsonNode saved) {
        JsonNode files = saved.path(RunSetup.FILES);
        if (!files.isObject() && !saved.has(PRESET)) return;   // written before runs recorded their files: the files given are recorded now
        if (!files.isObject())
            throw new UserError("--train-file: " + r.out() + " holds a run of generated puzzles, which --resume continues on them: leave out the files, "
                    + "or start a new run from this one's weights on them (--init " + r.out() + " --out NEW_FOLDER)");
        Path[] given = {r.files().train(), r.files().test(), r.files().validation()};
        for (int i = 0; i < given.length; i++) {
            String field = RunSetup.SPLITS[i] + "_file";
            JsonNode own = files.path(field);
            if (given[i] == null || own.isTextual() && sameFile(own.asText(), given[i])) continue;
            throw new UserError("--" + field.replace('_', '-') + " " + given[i] + ": " + r.out() + " holds a run trained " + (own.isTextual()
                    ? "on " + own.asText() + ", which --resume continues on the same puzzles: give that file, or --set " + field + "=PATH where it has moved"
                    : "without one, which --resume continues on the same puzzles"));
        }
    }

    /** What a user should know about the data before the run starts. */
    private static void notes(Resolved x, Reporter reporter) {
        RunSetup run = x.run();
        if (x.request().resume() && x.saved() == null)
            reporter.note("train: " + x.out() + " holds no run: a new one starts (" + x.request().words().resume + " continues a run where there is one)");
        Datasets.PuzzleFiles f = x.request().files();
        if (f != null && Outputs.sameFile(f.train(), f.test()))
            reporter.note("train: --test-file is the training file: its scores tell how well the model learnt those puzzles, not how it does on others");
        if (run.dataConfig() instanceof DataConfig.Arc a && a.root().equals(ArcSets.SAMPLE))
            reporter.note("train: data: " + a.set() + " from the small ARC sample in trm4j's jar, enough to try the code, not to train a model "
                    + "worth keeping; the full sets: trm4j data download " + a.set() + (a.set().equals("arc-agi-1") ? " and conceptarc" : "")
                    + ", then " + x.request().words().setting("root=data"));
        if (!run.data().skipped().isEmpty()) reporter.note("train: " + run.data().skipped());
        if (run.train().epochs() > 0)
            reporter.note(String.format("train: %d epochs of %d samples at batch %d = %d optimiser steps (%d a batch)", run.train().epochs(),
                    run.data().train().epochSize(), run.train().batch(), run.train().steps(), run.train().method().stepsPerBatch(run.model())));
    }

    /** The run of a resolved request: its network on its device, the trainer with its evaluations and listeners (the folder is written by run()). */
    private static TrainRun build(Resolved x, RunLock lock, Path made, Reporter reporter) throws IOException {
        RunSetup run = x.run();
        Device device = run.train().device().available("train.device");
        Group group = Group.current(device);   // NCCL on CUDA, Gloo on the CPU
        PrecisionChoice precision = PrecisionChoice.of(run.train().precision(), device);
        reporter.note(precision.line());
        Network net;
        if (x.saved() != null) {
            net = x.saved().network();
        } else {
            Torch.seed(run.train().seed());
            net = Network.init(run.model(), precision.precision(), device);
            if (x.init() != null) net = initialised(net, x.initFile(), x.init(), reporter);
        }
        reporter.note(String.format("train: %s %s, %d parameters, %d network calls per supervision step, data %s (%d per epoch)",
                run.train().method().id().toUpperCase(Locale.ROOT), run.doc().path(PRESET).asText(x.out().toString()), net.parameterCount(),
                run.model().callsPerStep(), run.data().kind(), run.data().train().epochSize()));
        Trainer.Evaluator evaluator = evaluator(run, group, reporter);
        Trainer trainer = new Trainer(net, run.train(), run.data().train(), group).evaluateWith(evaluator);
        if (x.main()) {
            long total = run.train().steps();
            trainer.listen(new RunFolder(x.out(), run.doc(), x.saved() == null ? 0 : x.saved().counters().metricsBytes()))
                    .listen(new Trainer.Listener() {
                        @Override public void logged(MetricsLine line, long steps) {
                            if (line instanceof MetricsLine.Engine e) reporter.progress("train", e.step(), total, "steps", "");   // the bar's clock starts here
                            else if (line instanceof MetricsLine.Training t)
                                reporter.progress("train", t.step(), total, "steps", String.format("loss %.4f acc %s %.0f samples/s",
                                        t.loss(), t.exactAcc() == null ? "-" : String.format("%.3f", t.exactAcc()), t.samplesPerS()));
                        }
                    });
        }
        if (x.saved() != null) {
            try {
                trainer.restore(x.saved());
            } catch (CheckpointException e) {
                throw new CheckpointException(x.state() + ": " + e.getMessage());
            }
            reporter.note("train: resumed at step " + trainer.step() + " from " + x.state());
        }
        Claim claim = x.main() ? new Claim(x.request().force(), made) : null;
        return new TrainRun(x.out(), x.request().words(), run, trainer, evaluator, lock, claim);
    }

    /**
     * The run's evaluations: with validation puzzles those during training score them and the test set is scored once,
     * at the last step; ARC's last evaluation votes over all eval_versions, the others over progress_versions.
     */
    private static Trainer.Evaluator evaluator(RunSetup run, Group group, Reporter reporter) {
        Evaluation.Settings atEnd = Evaluation.Settings.of(run), during = run.dataConfig() instanceof DataConfig.Arc a ? atEnd.withVersions(a.progressVersionsOrFinal()) : atEnd;
        boolean validates = Evaluation.validates(run.data());
        long last = run.train().steps();
        return (model, step, stop) -> {
            Evaluation.Settings now = step >= last ? atEnd : during;
            if (!validates)
                return new Trainer.Evaluator.Scored(MetricsLine.Split.TEST,
                        Evaluation.run(model, run.data(), MetricsLine.Split.TEST, now, "eval @" + step, stop, group, reporter).scores(), null);
            Scores v = Evaluation.run(model, run.data(), MetricsLine.Split.VALIDATION, during, "validation @" + step, stop, group, reporter).scores();
            Scores test = step < last ? null : Evaluation.run(model, run.data(), MetricsLine.Split.TEST, atEnd, "test @" + step, stop, group, reporter).scores();
            return new Trainer.Evaluator.Scored(MetricsLine.Split.VALIDATION, v, test);
        };
    }

    /**
     * A resumed run takes its preset from its checkpoint (with the {@code --set} given now). A
     * preset.json that is neither was edited: it is refused, naming the fields, rather than
     * overwritten, and the line says how to train with it (a new run from this one's weights).
     */
    private static void checkPresetFile(Path out, Path state, JsonNode saved, JsonNode resumed, Words words) {
        Path file = out.resolve(RunFolder.PRESET_FILE);
        if (!Files.exists(file)) return;
        String differs;
        try {
            JsonNode edited = Files.isRegularFile(file) ? Json.MAPPER.readTree(file.toFile()) : MissingNode.getInstance();   // a FIFO would block
            if (!Files.isRegularFile(file)) differs = "is not a regular file";
            else if (edited == null || edited.isMissingNode()) differs = "is empty";
            else if (!(edited instanceof ObjectNode o)) differs = "is not a JSON object";
            else {
                JsonNode upgraded = Presets.upgrade(o.deepCopy());   // a run of an older version wrote its own form
                List<String> fields = new ArrayList<>();
                edits("", upgraded, saved, resumed, fields);
                if (fields.isEmpty()) return;
                differs = "differs from the preset saved in " + state + " in " + String.join(", ", fields.subList(0, Math.min(5, fields.size())))
                        + (fields.size() > 5 ? " and " + (fields.size() - 5) + " more" : "");
            }
        } catch (JsonProcessingException e) {
            differs = "is not valid JSON (" + Json.problem(e) + ")";
        } catch (UserError e) {
            differs = "is not a preset (" + e.getMessage() + ")";
        } catch (IOException e) {
            differs = "cannot be read (" + e.getMessage() + ")";
        }
        throw new UserError(file + " " + differs + ": " + words.resume + " continues the run with the preset of its checkpoint and does not overwrite an edit; "
                + "to train with this preset, start a new run from this one's weights (" + words.newRunFrom(file.toString(), out)
                + "), or put the file back as it was (or delete it) to resume");
    }

    /**
     * The dotted paths where a preset file holds neither the saved value nor the one the run resumes with (the
     * {@code --set} given now may be in the file already), with the file's and the saved value of each.
     */
    private static void edits(String at, JsonNode edited, JsonNode saved, JsonNode resumed, List<String> out) {
        if (edited instanceof ObjectNode e && saved instanceof ObjectNode s) {
            Set<String> names = new LinkedHashSet<>();
            e.fieldNames().forEachRemaining(names::add);
            s.fieldNames().forEachRemaining(names::add);
            for (String n : names) edits(at.isEmpty() ? n : at + "." + n, e.get(n), s.get(n), resumed == null ? null : resumed.get(n), out);
        } else if (!same(edited, saved) && !same(edited, resumed)) {
            out.add(at + " (" + (edited == null ? "absent" : shown(edited)) + " in the file, " + (saved == null ? "absent" : shown(saved)) + " in the checkpoint)");
        }
    }

    /** Equal, numbers by value: a file's 18 reads as an int, a --set 18 as a long. */
    private static boolean same(JsonNode a, JsonNode b) {
        if (a != null && b != null && a.isNumber() && b.isNumber())
            return a.isIntegralNumber() && b.isIntegralNumber() ? a.bigIntegerValue().equals(b.bigIntegerValue()) : Double.compare(a.doubleValue(), b.doubleValue()) == 0;
        return Objects.equals(a, b);
    }

    private static String shown(JsonNode v) {
        String s = v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** The run ends between batches, where a batch's every supervision step has been taken and a resume can go on. */
    private static void checkWholeBatches(TrainConfig train, ModelConfig model, String where) {
        long steps = train.steps(), per = train.method().stepsPerBatch(model), below = steps / per * per;
        if (steps % per != 0)
            throw new UserError(where + ": train.steps " + steps + ": " + train.method().id().toUpperCase(Locale.ROOT) + " trains each batch for its N_sup = " + per
                    + " supervision steps, an optimiser step each: give a multiple of " + per + " (" + (below > 0 ? below + " or " : "") + (below + per) + ")");
    }

    /** Checks that the folder can take the run asked for ({@code --force}: any; its old run is cleared when the run starts). */
    private static void checkFolder(Request r, Path state) {
        if (r.force()) return;
        boolean continuing = r.resume() && Files.exists(state);
        List<String> found = RunFolder.present(r.out());
        Words w = r.words();
        if (!r.resume() && !found.isEmpty())
            throw new UserError(r.out() + " already holds a run (" + String.join(", ", found) + "): "
                    + (Files.exists(state) ? "add " + w.resume + " to continue it, " : "it wrote no checkpoint to continue from; ")
                    + w.force + " to start it over, or choose another " + w.out);
        if (r.resume() && !continuing && !found.isEmpty())
            throw new UserError(r.out() + " holds a run without " + TrainState.FILE + " (" + String.join(", ", found)
                    + "): there is nothing to resume; " + w.force + " starts it over");
    }

    /** Trains, once: the folder is written from here on, and let go at the end. */
    public Outcome run() {
        if (!started.compareAndSet(false, true)) throw new UserError("this run has run already: prepare it again with " + words.resume + " to continue it");
        try {
            if (claim != null) claim();
        } catch (RuntimeException e) {
            letGo();
            throw e;
        }
        try {
            return finish(trainer.run());
        } finally {
            if (lock != null) lock.close();
        }
    }

    /**
     * Written only once nothing more can be refused: a refused or abandoned run leaves the folder as it found it. A
     * resumed run's preset.json is the checkpoint's until its next checkpoint writes both (RunFolder), so that a run
     * resumed with a new {@code --set} and killed before that resumes plainly.
     */
    private void claim() {
        try {
            if (claim.force()) for (String f : RunFolder.FILES) Files.deleteIfExists(out.resolve(f));   // nothing of the old run can be resumed by mistake
            Outputs.removeStaleTemporaries(out, TrainState.FILE, RunFolder.MODEL_FILE, RunFolder.PRESET_FILE);
            if (!Files.exists(out.resolve(TrainState.FILE)) || !Files.exists(out.resolve(RunFolder.PRESET_FILE)))
                Outputs.writeAtomically(out.resolve(RunFolder.PRESET_FILE), Json.PRETTY.writeValueAsBytes(setup.doc()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's files in " + out, e);
        }
    }

    /** Lets the folder go without training (a run prepared, then not run): the lock, and the folder where this run made it. */
    public void abandon() {
        if (started.compareAndSet(false, true)) letGo();
    }

    private void letGo() {
        letGo(lock, out, claim == null ? null : claim.made());
    }

    /** The folder's lock let go, and the folder removed where this run made it ({@code made}: its topmost new folder) and it is empty. */
    private static void letGo(RunLock lock, Path out, Path made) {
        if (lock != null && made != null) lock.remove(out);
        else if (lock != null) lock.close();
        if (made != null) Outputs.removeEmpty(out, made);
    }

    private Outcome finish(Trainer.Result r) {
        if (r.stopped())
            return new Outcome(r, "stopped at step " + trainer.step() + " with a checkpoint in " + out
                    + " (" + words.resumes(out) + " continues it)", null);
        Scores test;
        String before = r.last() == null ? "the run had already taken its " + trainer.step() + " steps; " : "";   // resumed at its end: evaluated again
        if (r.eval() != null) {
            test = r.eval().testScores();
        } else {
            Trainer.Evaluator.Scored again = evaluator.evaluate(trainer.evaluationModel(), trainer.step(), () -> false);
            test = again.split() == MetricsLine.Split.TEST ? again.scores() : again.test();
        }
        String acc = test instanceof ArcScores a ? String.format("pass@1 %.3f, pass@2 %.3f", a.pass(1), a.pass(2))
                : String.format("exact accuracy %.3f (per step %s)", test.accuracy(), test.perStep());
        return new Outcome(r, before + "test: " + acc + "\nmodel: " + out.resolve(RunFolder.MODEL_FILE)
                + "\nmetrics: " + out.resolve(RunFolder.METRICS_FILE), test);
    }

    /**
     * The weights of an {@code --init} checkpoint, checked against the run's model: every tensor but the
     * puzzle table must fit. A puzzle table of another number of rows is left out (null): the run keeps its own.
     */
    private static Map<String, Tensor> initWeights(Path file, ModelConfig model) {
        Map<String, Tensor> t = Checkpoint.tensors(file);
        long[] table = Network.layout(model).get(Network.PUZZLE);
        Tensor puzzles = t.get(Network.PUZZLE);
        boolean fits = puzzles != null && puzzles.dim() == 2 && puzzles.size(0) == table[0];
        Map<String, Tensor> checked = new LinkedHashMap<>(t);
        checked.put(Network.PUZZLE, fits ? puzzles : Torch.zeros(Device.CPU, ScalarType.Float, table));
        Checkpoint.checkLayout(file, model, checked);
        if (!fits) t.put(Network.PUZZLE, null);
        return t;
    }

    private static Network initialised(Network fresh, Path file, Map<String, Tensor> t, Reporter reporter) {
        if (t.get(Network.PUZZLE) == null) {
            reporter.note("train: " + file + ": its puzzle table does not fit the data's " + fresh.puzzleTable().size(0)
                    + " puzzles; the run starts with blank puzzle embeddings");
            t.put(Network.PUZZLE, fresh.puzzleTable());
        }
        reporter.note("train: weights from " + file);
        return new Network(fresh.config(), fresh.precision(), fresh.device(), t);
    }
}
