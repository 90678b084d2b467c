package trm4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import trm4j.Outputs;
import trm4j.UserError;
import trm4j.api.AdaptOptions;
import trm4j.api.ArcSolution;
import trm4j.api.ArcTask;
import trm4j.api.LoadOptions;
import trm4j.api.Model;
import trm4j.api.TaskKind;
import trm4j.api.Trm4jException;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.eval.Submission;
import trm4j.run.Reporter;

@Command(name = "solve", mixinStandardHelpOptions = true,
        description = {"Answer ARC tasks the model has never seen and write the ARC Prize submission file.",
                "A trained model has no puzzle embedding for a new task, so solve gives each task fresh embeddings (one per "
                + "augmented version), fits them (and, with --adapt-weights, the weights) on the task's demonstration pairs "
                + "for a fixed budget of steps, then answers the test inputs with voting. --steps 0 answers with blank (zero) "
                + "embeddings: the baseline that adaptation must beat. The submission is written after every task; Ctrl-C "
                + "keeps it, and --resume answers the tasks it lacks. A task that cannot be read or does not fit the canvas "
                + "is named and gets a placeholder answer, so the submission stays valid."})
final class SolveCommand implements Callable<Integer> {
    private static final int[][] PLACEHOLDER = {{0}};

    @Parameters(paramLabel = "TASKS", description = "a task JSON file, a folder of them, or an ARC Prize challenges file") Path tasks;
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "model.safetensors of an ARC run") Path checkpoint;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the submission file to write") Path out;
    @Option(names = "--steps", defaultValue = "120", paramLabel = "N",
            description = "adaptation steps per task (default 120); a step is one training step on a batch of the task's demonstrations") int steps;
    @Option(names = "--seconds", defaultValue = "0", paramLabel = "S", description = "at most this many seconds of adaptation per task (0: no limit)") double seconds;
    @Option(names = "--resume", description = "keep the tasks already answered in --out (from a stopped solve) and answer the rest") boolean resume;
    @Option(names = "--versions", defaultValue = "8", paramLabel = "V", description = "augmented versions per task, trained and voted (default 8)") int versions;
    @Option(names = "--adapt-weights", description = "also fine-tune the network weights (with the run's learning rate / 10)") boolean adaptWeights;
    @Option(names = "--batch", defaultValue = "16", paramLabel = "B", description = "adaptation batch (default 16)") int batch;
    @Mixin DeviceOption device;

    @Override
    public Integer call() throws Exception {
        if (Group.environmentSize() > 1) throw new UserError("solve runs in one process: start it without torchrun's WORLD_SIZE");
        if (seconds < 0 || !Double.isFinite(seconds)) throw new UserError("--seconds " + seconds + ": must be at least 0 (0: no limit)");
        Outputs.file(out, "--out");
        AdaptOptions options = api(() -> new AdaptOptions(steps, versions, batch, adaptWeights, java.time.Duration.ofMillis(Math.round(seconds * 1000))));
        Natives.tuneProcess();
        AtomicBoolean stop = new AtomicBoolean();
        Reporter bar = Reporter.stderr();
        try (StopSignals signals = new StopSignals(() -> stop.set(true), "stopping; the submission keeps every finished task");
             Model model = api(() -> Model.load(checkpoint, LoadOptions.defaults().withDevice(device.get().toString())))) {
            if (model.kind() != TaskKind.ARC) throw new UserError(checkpoint + ": solve needs a model trained on ARC; this is a " + model.kind().name().toLowerCase() + " model");
            ArcTask.Read read = api(() -> ArcTask.readAll(tasks));
            if (read.tasks().isEmpty() && read.unread().isEmpty()) throw new UserError(tasks + ": no ARC task in it");
            Map<String, List<Map<String, int[][]>>> answers = new LinkedHashMap<>();   // the submission, task by task
            if (resume && Files.isRegularFile(out)) answers.putAll(Submission.readEntries(out));
            List<String> order = new ArrayList<>();
            read.tasks().forEach(t -> order.add(t.id()));
            read.unread().forEach(u -> order.add(u.id()));
            int kept = (int) order.stream().filter(answers::containsKey).count(), done = kept;
            for (ArcTask.Unread u : read.unread()) {   // named, and answered with a placeholder: the file stays a valid submission
                System.err.println("trm4j: " + u.error());
                answers.putIfAbsent(u.id(), List.of(attempts(PLACEHOLDER, PLACEHOLDER)));
            }
            double solved = 0, scored = 0;
            List<String> tooLarge = new ArrayList<>();
            long perTask = Math.max(1, steps), base = 0, total = (long) (read.tasks().size() - kept) * perTask;
            for (int i = 0; i < read.tasks().size() && !stop.get(); i++) {
                ArcTask task = read.tasks().get(i);
                if (answers.containsKey(task.id())) continue;
                if (!model.fits(task)) {   // a grid larger than the model's canvas: named, not scored
                    tooLarge.add(task.id());
                    answers.put(task.id(), task.test().stream().map(t -> attempts(PLACEHOLDER, PLACEHOLDER)).toList());
                    write(answers, order);
                    continue;
                }
                String what = String.format("task %d/%d", i + 1, read.tasks().size());
                long at = base;
                ArcSolution s;
                try (Model adapted = model.adapt(task, options, (n, of) -> bar.progress("solve", at + n, total, "adaptation steps", what), stop::get)) {
                    if (stop.get() && adapted.adaptationSteps() < steps) break;   // stopped within the task: it is not answered
                    s = adapted.solve(task);
                }
                answers.put(task.id(), s.tests().stream().map(t -> attempts(t.attempt1(), t.attempt2())).toList());
                if (s.tests().stream().allMatch(t -> t.correct() != null)) {
                    solved += s.tests().stream().filter(ArcSolution.TestAnswer::correct).count() / (double) s.tests().size();
                    scored++;
                }
                write(answers, order);   // atomically, after every task
                done++;
                base += perTask;
                bar.progress("solve", base, total, "adaptation steps", scored == 0 ? "" : String.format("pass@2 so far %.3f", solved / scored));
            }
            write(answers, order);
            if (stop.get())
                throw new StopSignals.Stopped("stopped: " + done + " of " + order.size() + " tasks are answered in " + out
                        + " ('trm4j solve ... --resume' answers the rest)", signals.status());
            StringBuilder b = new StringBuilder();
            if (kept > 0) b.append(String.format("%d tasks were already answered in %s and kept%n", kept, out));
            if (!read.unread().isEmpty()) b.append(String.format("%d tasks could not be read (named above) and have placeholder answers%n", read.unread().size()));
            if (!tooLarge.isEmpty())
                b.append(String.format("%d tasks have a grid larger than the model's %dx%d canvas, answered [[0]] and not scored: %s%n", tooLarge.size(),
                        model.info().rows(), model.info().cols(), String.join(", ", tooLarge.subList(0, Math.min(10, tooLarge.size())))
                                + (tooLarge.size() > 10 ? ", ..." : "")));
            if (scored > 0) b.append(String.format("pass@2 on the %d tasks that fit and have known answers: %.4f%n", (int) scored, solved / scored));
            else b.append("pass@2: no task answered here has known test outputs (none scored)\n");
            b.append("submission: ").append(out);
            System.out.println(b);
        }
        return 0;
    }

    private static Map<String, int[][]> attempts(int[][] first, int[][] second) {
        Map<String, int[][]> m = new LinkedHashMap<>();
        m.put("attempt_1", first);
        m.put("attempt_2", second);
        return m;
    }

    /** The answers in the order of the tasks given (kept earlier answers of other tasks last). */
    private void write(Map<String, List<Map<String, int[][]>>> answers, List<String> order) throws java.io.IOException {
        Map<String, List<Map<String, int[][]>>> out = new LinkedHashMap<>();
        for (String id : order) if (answers.containsKey(id)) out.put(id, answers.get(id));
        answers.forEach(out::putIfAbsent);
        Submission.writeEntries(this.out, out);
    }

    /** An API call whose one-line errors are the command line's. */
    static <T> T api(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (Trm4jException e) {
            throw new UserError(e.getMessage());
        }
    }
}
