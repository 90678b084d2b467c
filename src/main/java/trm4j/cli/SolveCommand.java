package trm4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bytedeco.pytorch.Tensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import trm4j.UserError;
import trm4j.data.ArcEvalSet;
import trm4j.data.ArcReader;
import trm4j.data.ArcSets;
import trm4j.data.ArcTask;
import trm4j.data.ArcTraining;
import trm4j.data.ArcVersions;
import trm4j.data.Datasets;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.Torch;
import trm4j.eval.ArcEval;
import trm4j.eval.Submission;
import trm4j.model.Checkpoint;
import trm4j.model.Network;
import trm4j.model.Presets;
import trm4j.train.TrainConfig;
import trm4j.train.Trainer;

@Command(name = "solve", mixinStandardHelpOptions = true,
        description = {"Answer ARC tasks the model has never seen and write the ARC Prize submission file.",
                "A trained model has no puzzle embedding for a new task, so solve gives each task fresh embeddings (one per "
                + "augmented version), fits them (and, with --adapt-weights, the weights) on the task's demonstration pairs "
                + "for a fixed budget of steps, then answers the test inputs with voting. --steps 0 answers with blank (zero) "
                + "embeddings: the baseline that adaptation must beat. The submission is written after every task; Ctrl-C "
                + "keeps it, and --resume answers the tasks it lacks."})
final class SolveCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TASKS", description = "a task JSON file, a folder of them, or an ARC Prize challenges file") Path tasks;
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "model.safetensors of an ARC run") Path checkpoint;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the submission file to write") Path out;
    @Option(names = "--steps", defaultValue = "120", paramLabel = "N",
            description = "adaptation steps per task (default 120); a step is one training step on a batch of the task's demonstrations, about as long as a training step of the run at --batch rows") int steps;
    @Option(names = "--resume", description = "keep the tasks already answered in --out (from a stopped solve) and answer the rest") boolean resume;
    @Option(names = "--versions", defaultValue = "8", paramLabel = "V", description = "augmented versions per task, trained and voted (default 8)") int versions;
    @Option(names = "--adapt-weights", description = "also fine-tune the network weights (with the run's learning rate / 10)") boolean adaptWeights;
    @Option(names = "--batch", defaultValue = "16", paramLabel = "B", description = "adaptation batch (default 16)") int batch;

    @Override
    public Integer call() throws Exception {
        if (steps < 0) throw new UserError("--steps " + steps + ": must be at least 0");
        if (versions < 1) throw new UserError("--versions " + versions + ": must be at least 1");
        if (batch < 1) throw new UserError("--batch " + batch + ": must be at least 1");
        trm4j.Outputs.file(out, "--out");
        Torch.init();
        Checkpoint.Loaded loaded = Checkpoint.load(checkpoint, PrecisionChoice.of(PrecisionChoice.AUTO).precision(), Map.of());
        String preset = loaded.metadata().get(Trainer.PRESET_KEY);
        if (preset == null) throw new UserError(checkpoint + ": no run preset in its metadata (was it written by 'trm4j train'?)");
        ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(preset);
        if (!"arc".equals(doc.path("data").path("kind").asText())) throw new UserError(checkpoint + ": solve needs a model trained on ARC");
        Notices.announce(PrecisionChoice.AUTO);
        boolean oneD = "1d-arc".equals(doc.path("data").path("set").asText());
        int seq = loaded.network().config().seqLen(), rows = oneD ? 1 : (int) Math.round(Math.sqrt(seq)), cols = seq / rows;
        List<ArcTask> all = read(tasks, oneD ? ArcSets.ONE_D_MAX : ArcReader.MAX_SIDE);
        if (all.isEmpty()) throw new UserError(tasks + ": no ARC task in it");

        Map<String, String> t = new LinkedHashMap<>();
        t.put("steps", String.valueOf(Math.max(1, steps)));
        t.put("batch", String.valueOf(batch));
        t.put("warmup", "0");
        t.put("eval_every", "0");
        t.put("log_every", String.valueOf(Math.max(1, Math.min(steps, 10))));
        ObjectNode adaptDoc = Presets.apply(doc.deepCopy(), "solve", t);
        TrainConfig tc = Presets.section(adaptDoc, "train", TrainConfig.class, checkpoint.toString());
        if (adaptWeights) ((ObjectNode) adaptDoc.get("train")).put("lr", tc.lr() / 10);
        else ((ObjectNode) adaptDoc.get("train")).put("lr", 0.0);   // the weights stay as trained
        tc = Presets.section(adaptDoc, "train", TrainConfig.class, checkpoint.toString());

        Map<String, List<Map<String, int[][]>>> answers = new LinkedHashMap<>();   // the submission, task by task
        if (resume && Files.isRegularFile(out)) answers.putAll(Submission.readEntries(out));
        int kept = (int) all.stream().filter(task -> answers.containsKey(task.id())).count();
        double solved = 0, scored = 0;
        List<String> tooLarge = new ArrayList<>();
        int done = kept;
        long perTask = Math.max(1, steps);
        ProgressBar bar = new ProgressBar("solve", (all.size() - kept) * perTask, "adaptation steps");
        java.util.concurrent.atomic.AtomicReference<Trainer> current = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        try (StopSignals signals = new StopSignals(() -> {
            stop.set(true);
            Trainer tr = current.get();
            if (tr != null) tr.requestStop();
        }, "stopping; the submission keeps every finished task")) {
            long base = 0;
            for (int i = 0; i < all.size() && !stop.get(); i++) {
                ArcTask task = all.get(i);
                if (answers.containsKey(task.id())) continue;
                List<ArcEval.TestResult> results = new ArrayList<>();
                if (!Datasets.fits(task, rows, cols)) {
                    tooLarge.add(task.id());
                    for (int k = 0; k < task.test().size(); k++) results.add(new ArcEval.TestResult(task.id(), k, List.of(), null, List.of()));
                } else {
                    ArcTask trainForm = new ArcTask(task.id(), task.source(), task.train(), List.of());
                    ArcVersions v = ArcVersions.build(List.of(trainForm), versions, 0, oneD ? ArcVersions.ROW_DIHEDRALS : ArcVersions.ALL_DIHEDRALS);
                    Network net = fresh(loaded.network(), v.size() + 1);
                    if (steps > 0 && !adapt(net, tc, adaptDoc, trainForm, v, rows, cols, i, current, bar, base, String.format("task %d/%d", i + 1, all.size())))
                        break;   // stopped within the task: it is not answered
                    ArcEvalSet set = new ArcEvalSet(List.of(trainForm), new int[] {0}, List.of(task.test()), v, rows, cols);
                    boolean dis = tc.dis();
                    ArcEval.Result r = ArcEval.run(net, set, v.size(), 64, dis && tc.feed().equals("prediction"), 1.0, !dis, List.of(2), n -> {}, () -> false);
                    results.addAll(r.tests());
                    if (task.test().stream().allMatch(p -> p.output() != null)) {
                        solved += r.passAtK().get(2);
                        scored++;
                    }
                }
                answers.putAll(Submission.of(results));
                Submission.writeEntries(out, ordered(answers, all));   // atomically, after every task
                done++;
                base += perTask;
                bar.update(base, scored == 0 ? "" : String.format("pass@2 so far %.3f", solved / scored));
            }
            if (stop.get())
                throw new StopSignals.Stopped("stopped: " + done + " of " + all.size() + " tasks are answered in " + out
                        + " ('trm4j solve ... --resume' answers the rest)", signals.status());
        }
        if (kept > 0) System.out.printf("%d tasks were already answered in %s and kept%n", kept, out);
        if (!tooLarge.isEmpty())
            System.out.printf("%d tasks have a grid larger than the model's %dx%d canvas, answered [[0]] and not scored: %s%n", tooLarge.size(),
                    rows, cols, String.join(", ", tooLarge.subList(0, Math.min(10, tooLarge.size()))) + (tooLarge.size() > 10 ? ", ..." : ""));
        if (scored > 0) System.out.printf("pass@2 on the %d tasks that fit and have known answers: %.4f%n", (int) scored, solved / scored);
        else System.out.println("pass@2: no task answered here has known test outputs (none scored)");
        System.out.println("submission: " + out);
        return 0;
    }

    /**
     * Fits the task's puzzle embeddings (and with --adapt-weights the weights) in memory: the
     * trainer writes no file. Returns false when a stop signal ended it early.
     */
    private static boolean adapt(Network net, TrainConfig tc, ObjectNode doc, ArcTask task, ArcVersions v, int rows, int cols, int seed,
                                 java.util.concurrent.atomic.AtomicReference<Trainer> current, ProgressBar bar, long base, String what) {
        try {
            Trainer trainer = new Trainer(net, tc, new ArcTraining(List.of(task), v, rows, cols, seed), null, doc, new Trainer.Listener() {
                @Override public void logged(Map<String, Object> line, long total) {
                    bar.update(base + (Long) line.get("step"), what);
                }

                @Override public Map<String, Object> evaluate(Network model, long step) { return Map.of(); }
            });
            current.set(trainer);
            return !trainer.run().stopped();
        } finally {
            current.set(null);
        }
    }

    /** The answers in the order of the tasks given. */
    private static Map<String, List<Map<String, int[][]>>> ordered(Map<String, List<Map<String, int[][]>>> answers, List<ArcTask> tasks) {
        Map<String, List<Map<String, int[][]>>> out = new LinkedHashMap<>();
        for (ArcTask t : tasks) if (answers.containsKey(t.id())) out.put(t.id(), answers.get(t.id()));
        return out;
    }

    /** The trained weights (copied: adaptation may change them) with a zero puzzle table of {@code ids} rows. */
    private static Network fresh(Network trained, int ids) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        trained.tensors().forEach((k, x) -> t.put(k, x.detach().clone()));
        t.put(Network.PUZZLE, Torch.zeros(trained.puzzleTable().scalar_type().intern(), ids, trained.config().puzzleWidth()));
        return new Network(trained.config().withPuzzleIds(ids), trained.precision(), t);
    }

    private static List<ArcTask> read(Path p, int maxCols) {
        ArcReader reader = new ArcReader(maxCols);
        if (Files.isDirectory(p)) return reader.readDirectory(p, p).orThrow();
        if (!Files.isRegularFile(p)) throw new UserError(p + ": no such file");
        String name = p.getFileName().toString();
        if (name.contains("challenges")) return reader.readChallenges(p).orThrow();
        return List.of(reader.readTask(p, name));
    }
}
