package trm4j.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.eval.Submission;

/**
 * ARC tasks a model has never seen, answered into an ARC Prize submission file: each task is
 * adapted to ({@link Model#adapt}), answered with voting, and the file is rewritten atomically after
 * every task, so a stop keeps what was answered and {@code resume} answers the rest. A task that
 * cannot be read, is larger than one answer may be ({@link ArcTask#tooLarge}) or has a grid larger
 * than the model's canvas is named and gets a placeholder answer ([[0]]), so the file stays a valid
 * submission.
 */
public final class ArcSubmission {
    private static final int[][] PLACEHOLDER = {{0}};

    /** What a submission run tells as it goes. Called on the working thread. */
    public interface Listener {
        /** Adaptation steps done of all the tasks' steps; {@code status}: which task, its test inputs answered, and pass@2 so far where known. */
        void progress(long done, long total, String status);

        /** A task that cannot be read, as one line; it gets a placeholder answer. */
        default void unread(String line) {}
    }

    /**
     * @param kept      tasks already answered in the file and kept ({@code resume})
     * @param unread    tasks that could not be read, or hold more than one answer may do ({@link ArcTask#tooLarge})
     * @param tooLarge  ids of tasks with a grid larger than the canvas
     * @param answered  tasks answered by this run
     * @param scored    tasks answered here whose test outputs are known
     * @param pass2     pass@2 over the scored tasks (NaN when none)
     * @param total     tasks in the input
     * @param stopped   whether the stop ended the run before every task was answered
     * @param adaptSeconds   wall time of the answered tasks' adaptation
     * @param adaptSteps     their adaptation steps
     * @param answerSeconds  wall time of answering them (the voted forward passes)
     */
    public record Result(Path file, int kept, int unread, List<String> tooLarge, int answered, int scored, double pass2, int total, boolean stopped,
                         int rows, int cols, double adaptSeconds, long adaptSteps, double answerSeconds) {
        /** The lines the command line prints. */
        public String summary() {
            StringBuilder b = new StringBuilder();
            if (kept > 0) b.append(String.format("%s already answered in %s and kept%n", tasks(kept, "was", "were"), file));
            if (unread > 0) b.append(String.format("%s not be read or %s too large to answer (named above), and %s placeholder answers%n",
                    tasks(unread, "could", "could"), unread == 1 ? "is" : "are", unread == 1 ? "has" : "have"));
            if (!tooLarge.isEmpty())
                b.append(String.format("%s a grid larger than the model's %dx%d canvas, answered [[0]] and not scored: %s%n", tasks(tooLarge.size(), "has", "have"),
                        rows, cols, String.join(", ", tooLarge.subList(0, Math.min(10, tooLarge.size()))) + (tooLarge.size() > 10 ? ", ..." : "")));
            if (scored > 0) b.append(String.format("pass@2 on the %d tasks that fit and have known answers: %.4f%n", scored, pass2));
            else b.append("pass@2: no task answered here has known test outputs (none scored)\n");
            if (answered > 0)
                b.append(String.format("time: %.1f s per task (adaptation %.1f s, %.3f s per step; answering %.1f s)%n", (adaptSeconds + answerSeconds) / answered,
                        adaptSeconds / answered, adaptSteps == 0 ? 0 : adaptSeconds / adaptSteps, answerSeconds / answered));
            return b.append("submission: ").append(file).toString();
        }

        /** "1 task was", "3 tasks were". */
        private static String tasks(int n, String one, String many) {
            return n == 1 ? "1 task " + one : n + " tasks " + many;
        }
    }

    private final Map<String, List<Map<String, int[][]>>> answers = new LinkedHashMap<>();   // the submission, task by task
    private final List<String> order = new ArrayList<>();
    private final Path file;

    private ArcSubmission(Path file) {
        this.file = file;
    }

    /**
     * Answers the tasks of {@code tasks} (a task file, a folder of them or a challenges file) into {@code file}.
     * {@code stop} is asked between adaptation steps; a task stopped within is not answered.
     */
    public static Result write(Model model, Path tasks, Path file, AdaptOptions options, boolean resume, Listener listener, BooleanSupplier stop) {
        return write(model, tasks, file, options, SolveOptions.defaults(), resume, listener, stop);
    }

    /** The same, each task answered over {@code solve}'s sampled trajectories (every sample of every version votes). */
    public static Result write(Model model, Path tasks, Path file, AdaptOptions options, SolveOptions solve, boolean resume, Listener listener,
                               BooleanSupplier stop) {
        Args.required("model", model, "tasks", tasks, "file", file, "options", options, "solve", solve, "listener", listener, "stop", stop);
        return Model.guarded(() -> {
            if (model.kind() != TaskKind.ARC)
                throw new InvalidInputException("a submission needs a model trained on ARC; this is a " + model.kind() + " model");
            Outputs.file(file, "file");
            ArcTask.Read read = ArcTask.readAll(tasks);
            if (read.tasks().isEmpty() && read.unread().isEmpty()) throw new UserError(tasks + ": no ARC task in it");
            ArcSubmission s = new ArcSubmission(file);
            if (resume && Files.isRegularFile(file)) s.answers.putAll(Submission.readEntries(file));
            read.tasks().forEach(t -> s.order.add(t.id()));
            read.unread().forEach(u -> s.order.add(u.id()));
            // A placeholder is not an answer: one kept for a task this run cannot answer either (unread, too large, larger than the
            // canvas) is written again and counted as such. An all-[[0]] entry of a task that can be answered may be the model's, and stays.
            read.unread().forEach(u -> s.answers.computeIfPresent(u.id(), (k, v) -> isPlaceholder(v) ? null : v));
            read.tasks().stream().filter(t -> t.tooLarge() != null || !model.fits(t))
                    .forEach(t -> s.answers.computeIfPresent(t.id(), (k, v) -> isPlaceholder(v) ? null : v));
            int kept = (int) s.order.stream().filter(s.answers::containsKey).count(), answered = 0, scored = 0;
            for (ArcTask.Unread u : read.unread()) {
                listener.unread(u.error());
                s.answers.putIfAbsent(u.id(), List.of(attempts(PLACEHOLDER, PLACEHOLDER)));
            }
            double solved = 0, adaptSeconds = 0, answerSeconds = 0;
            long adaptSteps = 0;
            List<String> tooLarge = new ArrayList<>();
            long perTask = Math.max(1, options.steps()), base = 0, total = (long) (read.tasks().size() - kept) * perTask;
            int refused = 0;
            for (int i = 0; i < read.tasks().size() && !stop.getAsBoolean(); i++) {
                ArcTask task = read.tasks().get(i);
                if (s.answers.containsKey(task.id())) continue;
                if (task.tooLarge() != null) {   // more work than one answer may be: named, and a placeholder like an unread task's
                    listener.unread(task.tooLarge() + "; it gets a placeholder answer");
                    s.answers.put(task.id(), List.of(attempts(PLACEHOLDER, PLACEHOLDER)));
                    s.save();
                    refused++;
                    continue;
                }
                if (!model.fits(task)) {
                    tooLarge.add(task.id());
                    s.answers.put(task.id(), task.test().stream().map(t -> attempts(PLACEHOLDER, PLACEHOLDER)).toList());
                    s.save();
                    continue;
                }
                String what = String.format("task %d/%d", i + 1, read.tasks().size());
                long at = base;
                ArcSolution a;
                long t0 = System.nanoTime();
                try (Model adapted = model.adapt(task, options, (n, of) -> listener.progress(at + n, total, what), stop)) {
                    if (stop.getAsBoolean() && adapted.adaptationSteps() < options.steps()) break;
                    long t1 = System.nanoTime();
                    try {
                        a = adapted.solve(task, options.versions(), 1.0, solve,
                                (n, of) -> listener.progress(at + perTask, total, what + String.format(": %d of %d test inputs answered", n, of)), stop);
                    } catch (Trm4jException e) {
                        if (stop.getAsBoolean()) break;   // stopped while answering: the task is not answered
                        throw e;
                    }
                    adaptSeconds += (t1 - t0) / 1e9;
                    answerSeconds += (System.nanoTime() - t1) / 1e9;
                    adaptSteps += adapted.adaptationSteps();
                }
                s.answers.put(task.id(), a.tests().stream().map(t -> attempts(t.attempt1(), t.attempt2())).toList());
                if (a.tests().stream().allMatch(t -> t.correct() != null)) {
                    solved += a.tests().stream().filter(ArcSolution.TestAnswer::correct).count() / (double) a.tests().size();
                    scored++;
                }
                s.save();
                answered++;
                base += perTask;
                listener.progress(base, total, scored == 0 ? "" : String.format("pass@2 so far %.3f", solved / scored));
            }
            s.save();
            return new Result(file, kept, read.unread().size() + refused, tooLarge, answered, scored, scored == 0 ? Double.NaN : solved / scored,
                    s.order.size(), stop.getAsBoolean(), model.info().rows(), model.info().cols(), adaptSeconds, adaptSteps, answerSeconds);
        });
    }

    private static boolean isPlaceholder(List<Map<String, int[][]>> entry) {
        return entry.stream().allMatch(a -> a.values().stream().allMatch(g -> Arrays.deepEquals(g, PLACEHOLDER)));
    }

    private static Map<String, int[][]> attempts(int[][] first, int[][] second) {
        Map<String, int[][]> m = new LinkedHashMap<>();
        m.put("attempt_1", first);
        m.put("attempt_2", second);
        return m;
    }

    /** The answers in the order of the tasks given (kept answers of other tasks last), atomically. */
    private void save() {
        Map<String, List<Map<String, int[][]>>> out = new LinkedHashMap<>();
        for (String id : order) if (answers.containsKey(id)) out.put(id, answers.get(id));
        answers.forEach(out::putIfAbsent);
        try {
            Submission.writeEntries(file, out);
        } catch (IOException e) {
            throw new FileException(file + ": cannot write: " + e.getMessage());
        }
    }
}
