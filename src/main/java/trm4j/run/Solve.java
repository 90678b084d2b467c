package trm4j.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.bytedeco.pytorch.Tensor;

import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.config.Json;
import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.data.ArcEvalSet;
import trm4j.data.ArcReader;
import trm4j.data.ArcSets;
import trm4j.data.ArcTask;
import trm4j.data.ArcTraining;
import trm4j.data.ArcVersions;
import trm4j.data.Datasets;
import trm4j.engine.Group;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.PrecisionSetting;
import trm4j.engine.Torch;
import trm4j.eval.Answering;
import trm4j.eval.ArcEval;
import trm4j.eval.Submission;
import trm4j.model.Checkpoint;
import trm4j.model.Network;
import trm4j.train.RunFolder;
import trm4j.train.Trainer;

/**
 * Answering ARC tasks the model has never seen. A trained model has no puzzle embedding for a new
 * task, so each task gets fresh (zero) embeddings, one per augmented version, fitted in memory on
 * the task's demonstration pairs (with the weights too when asked), then its test inputs are
 * answered with voting. The submission is written after every task, so a stop keeps the tasks done.
 */
public final class Solve {
    /**
     * @param steps        adaptation steps per task (0: answer with blank embeddings)
     * @param resume       keep the tasks already answered in {@code out}
     * @param versions     augmented versions per task, trained and voted
     * @param adaptWeights also fine-tune the weights (at the run's learning rate / 10)
     * @param batch        adaptation batch
     */
    public record Request(Path tasks, Path checkpoint, Path out, int steps, boolean resume, int versions, boolean adaptWeights, int batch, Device device) {}

    /** @param stopped whether a stop ended it before the last task */
    public record Outcome(String summary, boolean stopped) {}

    private final Request r;
    private final AtomicReference<Trainer> current = new AtomicReference<>();
    private volatile boolean stop;

    public Solve(Request r) {
        this.r = r;
    }

    /** Stops at the next adaptation step; the tasks answered so far stay in the submission. */
    public void requestStop() {
        stop = true;
        Trainer t = current.get();
        if (t != null) t.requestStop();
    }

    public Outcome run() throws IOException {
        if (Group.environmentSize() > 1) throw new UserError("solve runs in one process: start it without torchrun's WORLD_SIZE");
        if (r.steps() < 0) throw new UserError("--steps " + r.steps() + ": must be at least 0");
        if (r.versions() < 1) throw new UserError("--versions " + r.versions() + ": must be at least 1");
        if (r.batch() < 1) throw new UserError("--batch " + r.batch() + ": must be at least 1");
        Outputs.file(r.out(), "--out");
        Natives.load();
        Checkpoint.Loaded loaded = Checkpoint.load(r.checkpoint(), PrecisionChoice.of(PrecisionSetting.AUTO, r.device()).precision(), r.device(), Map.of());
        String preset = loaded.metadata().get(RunFolder.PRESET_KEY);
        if (preset == null) throw new UserError(r.checkpoint() + ": no run preset in its metadata (was it written by 'trm4j train'?)");
        ObjectNode doc = Presets.upgrade((ObjectNode) Json.MAPPER.readTree(preset));
        if (!"arc".equals(doc.path("data").path("kind").asText())) throw new UserError(r.checkpoint() + ": solve needs a model trained on ARC");
        Notices.announce(PrecisionSetting.AUTO, r.device());
        boolean oneD = "1d-arc".equals(doc.path("data").path("set").asText());
        int seq = loaded.network().config().seqLen(), rows = oneD ? 1 : (int) Math.round(Math.sqrt(seq)), cols = seq / rows;
        List<ArcTask> all = read(r.tasks(), oneD ? ArcSets.ONE_D_MAX : ArcReader.MAX_SIDE);
        if (all.isEmpty()) throw new UserError(r.tasks() + ": no ARC task in it");
        TrainConfig tc = adaptation(doc, r);

        Map<String, List<Map<String, int[][]>>> answers = new LinkedHashMap<>();   // the submission, task by task
        if (r.resume() && Files.isRegularFile(r.out())) answers.putAll(Submission.readEntries(r.out()));
        int kept = (int) all.stream().filter(task -> answers.containsKey(task.id())).count();
        double solved = 0, scored = 0;
        List<String> tooLarge = new ArrayList<>();
        int done = kept;
        long perTask = Math.max(1, r.steps()), base = 0;
        ProgressBar bar = new ProgressBar("solve", (all.size() - kept) * perTask, "adaptation steps");
        for (int i = 0; i < all.size() && !stop; i++) {
            ArcTask task = all.get(i);
            if (answers.containsKey(task.id())) continue;
            List<ArcEval.TestResult> results = new ArrayList<>();
            if (!Datasets.fits(task, rows, cols)) {
                tooLarge.add(task.id());
                for (int k = 0; k < task.test().size(); k++) results.add(new ArcEval.TestResult(task.id(), k, List.of(), null, List.of()));
            } else {
                ArcTask trainForm = new ArcTask(task.id(), task.source(), task.train(), List.of());
                ArcVersions v = ArcVersions.build(List.of(trainForm), r.versions(), 0, oneD ? ArcVersions.ROW_DIHEDRALS : ArcVersions.ALL_DIHEDRALS);
                Network net = fresh(loaded.network(), v.size() + 1);
                long at = base;
                String what = String.format("task %d/%d", i + 1, all.size());
                if (r.steps() > 0 && !adapt(net, tc, new ArcTraining(List.of(trainForm), v, rows, cols, i), step -> bar.update(at + step, what)))
                    break;   // stopped within the task: it is not answered
                ArcEvalSet set = new ArcEvalSet(List.of(trainForm), new int[] {0}, List.of(task.test()), v, rows, cols);
                ArcEval.Result res = ArcEval.run(net, set, v.size(), List.of(2), new Answering(tc.method(), 1.0, 64), n -> {}, () -> false);
                results.addAll(res.tests());
                if (task.test().stream().allMatch(p -> p.output() != null)) {
                    solved += res.passAtK().get(2);
                    scored++;
                }
            }
            answers.putAll(Submission.of(results));
            Submission.writeEntries(r.out(), ordered(answers, all));   // atomically, after every task
            done++;
            base += perTask;
            bar.update(base, scored == 0 ? "" : String.format("pass@2 so far %.3f", solved / scored));
        }
        if (stop)
            return new Outcome("stopped: " + done + " of " + all.size() + " tasks are answered in " + r.out()
                    + " ('trm4j solve ... --resume' answers the rest)", true);
        StringBuilder b = new StringBuilder();
        if (kept > 0) b.append(String.format("%d tasks were already answered in %s and kept%n", kept, r.out()));
        if (!tooLarge.isEmpty())
            b.append(String.format("%d tasks have a grid larger than the model's %dx%d canvas, answered [[0]] and not scored: %s%n", tooLarge.size(),
                    rows, cols, String.join(", ", tooLarge.subList(0, Math.min(10, tooLarge.size()))) + (tooLarge.size() > 10 ? ", ..." : "")));
        if (scored > 0) b.append(String.format("pass@2 on the %d tasks that fit and have known answers: %.4f%n", (int) scored, solved / scored));
        else b.append("pass@2: no task answered here has known test outputs (none scored)\n");
        b.append("submission: ").append(r.out());
        return new Outcome(b.toString(), false);
    }

    /** The run's training settings for adaptation: the request's steps and batch, no warm-up, no evaluation, the weights frozen unless asked. */
    private static TrainConfig adaptation(ObjectNode doc, Request r) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("steps", String.valueOf(Math.max(1, r.steps())));
        t.put("batch", String.valueOf(r.batch()));
        t.put("warmup", "0");
        t.put("eval_every", "0");
        t.put("log_every", "1");
        ObjectNode adaptDoc = Presets.apply(doc.deepCopy(), "solve", t);
        TrainConfig tc = Presets.trainOf(adaptDoc, r.checkpoint().toString());
        ((ObjectNode) adaptDoc.get("train")).put("lr", r.adaptWeights() ? tc.lr() / 10 : 0.0);
        return Presets.trainOf(adaptDoc, r.checkpoint().toString());
    }

    /** Fits the task's puzzle embeddings (and maybe the weights) in memory; false when a stop ended it early. */
    private boolean adapt(Network net, TrainConfig tc, ArcTraining data, java.util.function.LongConsumer progress) {
        Trainer trainer = new Trainer(net, tc, data).listen(new Trainer.Listener() {
            @Override public void logged(Map<String, Object> line, long total) {
                if (line.containsKey("loss")) progress.accept((Long) line.get("step"));
            }
        });
        current.set(trainer);
        try {
            if (stop) return false;
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
        t.put(Network.PUZZLE, Torch.zeros(trained.device(), trained.puzzleTable().scalar_type().intern(), ids, trained.config().puzzleWidth()));
        return new Network(trained.config().withPuzzleIds(ids), trained.precision(), trained.device(), t);
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
