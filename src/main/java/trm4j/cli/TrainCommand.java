package trm4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import trm4j.UserError;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.model.Network;
import trm4j.model.Presets;
import trm4j.train.TrainConfig;
import trm4j.train.TrainState;
import trm4j.train.Trainer;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a TRM (deep supervision with halting) or DIS model from a preset.",
                "Writes DIR/metrics.jsonl, DIR/checkpoint.safetensors (the whole training state), DIR/model.safetensors "
                + "(the weights evaluation uses) and DIR/preset.json. A killed run continues with --resume; --force starts "
                + "a run over in a folder that holds one."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--preset", paramLabel = "NAME", description = "a built-in preset (trm4j info --list)") String preset;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the run folder") Path out;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a field, e.g. --set steps=600 --set data.seed=3")
    Map<String, String> overrides = new LinkedHashMap<>();
    @Option(names = "--resume", description = "continue from DIR/checkpoint.safetensors (its preset is used; --set still applies)")
    boolean resume;
    @Option(names = "--force", description = "start a new run in DIR even though it holds one (its run files are replaced)")
    boolean force;
    @Option(names = "--init", paramLabel = "FILE", description = "start from the weights of a checkpoint (trm4j's, or a reference "
            + "PyTorch one: torch.save or safetensors) whose shapes fit the preset's model; its puzzle table is kept when its rows fit "
            + "the data, else the run starts with blank puzzle embeddings") Path init;
    @Option(names = "--train-file", paramLabel = "FILE", description = "a puzzle set from 'trm4j data generate' instead of generating one")
    Path trainFile;
    @Option(names = "--test-file", paramLabel = "FILE", description = "its test set (with --train-file)") Path testFile;

    @Override
    public Integer call() throws Exception {
        if (resume && force) throw new UserError("--resume and --force contradict each other: continue the run, or start it over");
        if (force) clear(out);
        if (init != null && resume) throw new UserError("--init starts a new run from a checkpoint; --resume continues a run: not both");
        if (init != null && !Files.isRegularFile(init)) throw new UserError("--init " + init + ": no such file");
        Result r = train(preset, out, overrides, resume, trainFile, testFile, init);
        System.out.println(r.summary());
        return 0;
    }

    record Result(Trainer.Result run, String summary) {}

    static Result train(String preset, Path out, Map<String, String> overrides, boolean resume, Path trainFile, Path testFile,
                        Path init) throws Exception {
        if ((trainFile == null) != (testFile == null)) throw new UserError("--train-file and --test-file go together");
        trm4j.Outputs.folder(out, "--out");
        Path state = out.resolve(TrainState.FILE);
        boolean continuing = resume && Files.exists(state);
        List<String> found = runFiles(out);
        if (!resume && !found.isEmpty())
            throw new UserError(out + " already holds a run (" + String.join(", ", found)
                    + "): add --resume to continue it, --force to start it over, or choose another --out");
        if (resume && !continuing && !found.isEmpty())
            throw new UserError(out + " holds a run without " + TrainState.FILE + " (" + String.join(", ", found)
                    + "): there is nothing to resume; --force starts it over");
        if (resume && !continuing && preset == null)
            throw new UserError("--resume: " + out + " holds no run (no " + TrainState.FILE + "); give --preset to start one");
        Torch.init();
        TrainState.Saved saved = null;
        ObjectNode doc;
        if (continuing) {
            saved = TrainState.load(state);
            doc = Presets.apply(((ObjectNode) saved.preset()).deepCopy(), state.toString(), overrides);
        } else {
            if (preset == null) throw new UserError("--preset is required for a new run (or --resume an existing one)");
            doc = Presets.load(preset, overrides);
        }
        RunSetup run = RunSetup.of(doc, continuing ? state.toString() : "preset " + preset, trainFile, testFile);
        if (!run.data().skipped().isEmpty()) System.err.println("trm4j train: " + run.data().skipped());
        if (run.train().epochs() > 0)
            System.err.printf("trm4j train: %d epochs of %d samples at batch %d = %d optimiser steps%n", run.train().epochs(),
                    run.data().train().epochSize(), run.train().batch(), run.train().steps());
        Files.createDirectories(out);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.resolve("preset.json").toFile(), run.doc());

        Network net;
        precisionOf(run.doc());   // says what the run computes in, before the work
        if (saved != null) {
            net = saved.network();
        } else {
            Torch.seed(run.train().seed());
            net = Network.init(run.model(), precisionOf(run.doc()));
            if (init != null) net = initialised(net, init);
        }
        System.err.printf("trm4j train: %s %s, %d parameters, %d network calls per supervision step, data %s (%d per epoch)%n",
                run.train().method().toUpperCase(), preset == null ? out : preset, net.parameterCount(), run.model().callsPerStep(),
                run.data().kind(), run.data().train().epochSize());
        ProgressBar bar = new ProgressBar("train", run.train().steps(), "steps");
        Evaluation.Settings during = settings(run, 1.0, 0);
        Trainer trainer = new Trainer(net, run.train(), run.data().train(), out, run.doc(), new Trainer.Listener() {
            @Override public void logged(Map<String, Object> line, long total) {
                bar.update((Long) line.get("step"), String.format("loss %.4f acc %s %.0f samples/s",
                        (Double) line.get("loss"), accuracy(line), (Double) line.get("samples_per_s")));
            }

            @Override public Map<String, Object> evaluate(Network model, long step) {
                return Evaluation.run(model, run.data(), during, "eval @" + step).summary();
            }
        });
        if (saved != null) {
            trainer.restore(saved);
            System.err.println("trm4j train: resumed at step " + trainer.step() + " from " + state);
        }
        Trainer.Result r;
        try (StopSignals signals = new StopSignals(trainer::requestStop, "stopping with a checkpoint at the next batch boundary")) {
            r = trainer.run();
            if (r.stopped())
                throw new StopSignals.Stopped("stopped at step " + trainer.step() + " with a checkpoint in " + out
                        + " ('trm4j train --resume --out " + out + "' continues it)", signals.status());
        }
        String acc = r.eval() == null ? "" : r.eval().containsKey("pass@2")
                ? String.format("pass@1 %.3f, pass@2 %.3f", (Double) r.eval().get("pass@1"), (Double) r.eval().get("pass@2"))
                : String.format("exact accuracy %.3f (per step %s)", (Double) r.eval().get("exact_acc"), r.eval().get("step_acc"));
        return new Result(r, "test: " + acc + "\nmodel: " + r.model() + "\nmetrics: " + out.resolve(Trainer.METRICS_FILE));
    }

    /**
     * The network with the weights of a checkpoint, which must fit the run's model; the run's own
     * (blank) puzzle table stays when the checkpoint's has another number of rows.
     */
    private static Network initialised(Network fresh, Path file) {
        Map<String, org.bytedeco.pytorch.Tensor> t = trm4j.model.Checkpoint.tensors(file);
        org.bytedeco.pytorch.Tensor puzzles = t.get(Network.PUZZLE);
        if (puzzles == null || puzzles.size(0) != fresh.puzzleTable().size(0)) {
            System.err.println("trm4j train: " + file + ": its puzzle table does not fit the data's " + fresh.puzzleTable().size(0)
                    + " puzzles; the run starts with blank puzzle embeddings");
            t.put(Network.PUZZLE, fresh.puzzleTable());
        }
        trm4j.model.Checkpoint.checkLayout(file, fresh.config(), t);
        System.err.println("trm4j train: weights from " + file);
        return new Network(fresh.config(), fresh.precision(), t);
    }

    /** The files a run writes in its folder. */
    static final List<String> RUN_FILES = List.of(TrainState.FILE, Trainer.MODEL_FILE, Trainer.METRICS_FILE, "preset.json");

    /** The run files present in a folder. */
    static List<String> runFiles(Path dir) {
        return RUN_FILES.stream().filter(f -> Files.exists(dir.resolve(f))).toList();
    }

    /** Removes a folder's run files (--force), so that nothing of the old run can be resumed by mistake. */
    private static void clear(Path dir) throws java.io.IOException {
        for (String f : RUN_FILES) Files.deleteIfExists(dir.resolve(f));
    }

    static Evaluation.Settings settings(RunSetup run, double guidance, int versions) {
        boolean dis = run.train().dis();
        return new Evaluation.Settings(dis, dis && run.train().feed().equals("prediction"), guidance,
                versions > 0 ? versions : run.dataConfig().evalVersions(), evalBatch(run.train()),
                run.train().evalSamples(), List.of(1, 2));
    }

    /**
     * Rows per evaluation batch: the training chunk (micro_batch) when the preset sets one, since a
     * row without gradient needs less memory than one with it; else the batch, within 64..256. At
     * seq 916 more rows only cost memory: ARC-AGI-1 evaluation of dis-arc-compact peaked at 8.6 GB
     * with 128 rows against 3.5 GB with 32, and took 1:16 against 1:09.
     */
    static int evalBatch(TrainConfig c) {
        return c.microBatch() > 0 ? c.microBatch() : Math.min(256, Math.max(c.batch(), 64));
    }

    private static String accuracy(Map<String, Object> line) {
        Object a = line.get("exact_acc");
        return a == null ? "-" : String.format("%.3f", (Double) a);
    }

    static Precision precisionOf(ObjectNode doc) {
        return Notices.announce(doc.path("train").path("precision").asText("auto"));
    }
}
