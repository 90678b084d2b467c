package trm4j.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import trm4j.UserError;
import trm4j.checkpoint.CheckpointException;
import trm4j.config.Method.Trm;
import trm4j.config.ModelConfig;
import trm4j.data.Boards;
import trm4j.data.Grid;
import trm4j.data.PuzzleKind;
import trm4j.data.PuzzleKinds;
import trm4j.data.PuzzleSet;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.PrecisionSetting;
import trm4j.engine.Scope;
import trm4j.engine.Threads;
import trm4j.eval.Answering;
import trm4j.eval.Selection;
import trm4j.eval.ArcEval;
import trm4j.eval.Submission;
import trm4j.eval.Trajectories;
import trm4j.model.Inference;
import trm4j.model.Sampling;
import trm4j.run.Adaptation;
import trm4j.run.EvalRun;
import trm4j.run.ModelFile;
import trm4j.run.Reporter;

/**
 * A trained Tiny Recursive Model, loaded from a file: trm4j's own {@code model.safetensors} (or a
 * run's folder, or its {@code checkpoint.safetensors}), a reference TRM/DIS export in safetensors,
 * or a PyTorch {@code torch.save} checkpoint.
 *
 * <pre>{@code
 * try (Model model = Model.load(Path.of("runs/demo/model.safetensors"))) {
 *     Solution s = model.solve(new int[][] {{1, 2, 0, 4}, {3, 4, 1, 0}, {4, 0, 2, 1}, {2, 1, 4, 0}});
 *     s.steps().forEach(b -> System.out.println(Arrays.deepToString(b)));   // the answer after each supervision step
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> A model is safe to share: any number of threads may call it at once, and the
 * calls run one at a time, in the order they arrive (each uses libtorch's intra-op threads, all the
 * cores by default). <b>Memory.</b> A model owns every native allocation it makes; a call frees its
 * own before it returns, and answers are plain Java arrays, so nothing leaks when a caller keeps
 * them or drops them. {@link #close()} frees the weights; after it, every call but {@link #kind()},
 * {@link #method()} and {@code close()} is refused with a {@link Trm4jException} ("the model is closed"), and
 * {@code close()} from a callback of the model's own call still running is refused too.
 * <b>Errors.</b> Bad input is an {@link InvalidInputException}, a bad file a {@link FileException}: one
 * line, nothing computed. <b>Process.</b> Loading the natives is safe in any order and on an empty
 * native cache; the host process's settings are left alone. {@link LoadOptions#threads} sets
 * libtorch's thread count, which is the process's, for each call, and puts the count it found back
 * when the call returns (two models with different counts called at once share one).
 */
public final class Model implements AutoCloseable {
    private final ModelFile file;
    private final LoadOptions options;
    private final Adaptation.Fitted fitted;   // the task this model was adapted to, or null
    private final String precisionReason;
    private final ModelInfo info;   // read from the weights at load: a closed model's are gone
    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile boolean closed;

    private Model(ModelFile file, LoadOptions options, String precisionReason, Adaptation.Fitted fitted) {
        this.file = file;
        this.options = options;
        this.precisionReason = precisionReason;
        this.fitted = fitted;
        ModelConfig c = file.network().config();
        int[] shape = shape();
        this.info = new ModelInfo(file.file(), kind(), method(), file.network().parameterCount(), c.hiddenSize(), c.heads(), c.layers(), c.T(), c.n(),
                c.nSup(), c.seqLen(), c.vocabSize(), shape[0], shape[1], Precision.valueOf(file.network().precision().name()), precisionReason,
                file.network().device().toString(), file.reference(), file.guessed());
    }

    public static Model load(Path file) {
        return load(file, LoadOptions.defaults());
    }

    /** {@code file} is a checkpoint, or a run folder: its {@code model.safetensors}. */
    public static Model load(Path file, LoadOptions options) {
        Args.required("file", file, "options", options);
        if (!Files.exists(file)) throw new FileException(file + ": no such file");
        return guarded(() -> {
            Natives.load();
            Device device = Device.parse(options.device(), "LoadOptions.device").available("LoadOptions.device");
            PrecisionSetting setting = PrecisionSetting.valueOf(options.precision().name());
            String reason = PrecisionChoice.of(setting, device).reason();
            ModelFile m = ModelFile.load(file, setting, device, options.overrides());
            try {
                return new Model(m, options, reason, null);
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        });
    }

    /** What this model is: its task, method, size, recursion and where it computes. */
    public ModelInfo info() {
        open();
        return info;
    }

    public TaskKind kind() {
        return TaskKind.of(file.kind());
    }

    public Method method() {
        return file.method() instanceof Trm ? Method.TRM : Method.DIS;
    }

    /** Whether the model has a trained halting head (TRM): only then do answers carry its confidence. */
    private boolean halts() {
        return file.method().trainsHalting();
    }

    // ---------------------------------------------------------------- puzzles

    /** A board of this model's kind ({@code kind().description(info().rows())} says how it is written), answered with plain decoding. */
    public Solution solve(int[][] board) {
        return solve(board, 1.0);
    }

    /**
     * A board answered with guided decoding: (1 - w) x the logits before each step + w x those
     * after it; w = 1 is plain decoding, w in 0..1 mixes, and a w outside it extrapolates (any finite w).
     */
    public Solution solve(int[][] board, double guidance) {
        return solve(board, guidance, SolveOptions.defaults());
    }

    /**
     * A board answered over sampled recursion trajectories (docs/METHOD.md section 6): {@code o}'s
     * samples run as one batch, each with its noise, and its rule chooses the answer.
     */
    public Solution solve(int[][] board, double guidance, SolveOptions o) {
        Args.required("board", board, "options", o);
        Selection select = selection(o);
        guarded(() -> select.checkFor(file.method(), "select"));
        if (kind() == TaskKind.ARC) throw new InvalidInputException("this is an ARC model: give it an ArcTask (solve(ArcTask))");
        if (!Double.isFinite(guidance)) throw new InvalidInputException("guidance " + guidance + ": must be a finite number");
        int side = shape()[0];
        byte[] tokens;
        try {
            tokens = Boards.encode(puzzles(), board, side);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage().contains(kind() + " cell") ? e.getMessage() : e.getMessage() + " (a " + kind() + " model)");
        }
        return call(() -> {
            long t0 = System.nanoTime();
            long[] in = new long[tokens.length];
            for (int i = 0; i < in.length; i++) in[i] = tokens[i];
            Inference.Answer a = Trajectories.run(file.network(), in, new long[] {0}, 0, puzzles(), file.method(), guidance,
                    select.needsCells(file.method(), o.samples()), sampling(o));
            Selection.Choice c = select.pick(a, 0, o.samples(), file.method());
            List<List<int[][]>> samples = new ArrayList<>();
            for (int k = 0; k < o.samples(); k++) {
                List<int[][]> steps = new ArrayList<>();
                for (byte[][] step : a.predictions()) steps.add(Boards.decode(puzzles(), step[k], side));
                samples.add(List.copyOf(steps));
            }
            double[] halting = new double[halts() ? a.predictions().length : 0];
            for (int s = 0; s < halting.length; s++) halting[s] = 1 / (1 + Math.exp(-a.qHalt()[s][c.sample()]));
            List<int[][]> chosen = samples.get(c.sample());
            BiPredicate<byte[], byte[]> rules = puzzles().validity();
            return new Solution(chosen, chosen.get(c.step()), halting, (System.nanoTime() - t0) / 1_000_000, List.copyOf(samples), c.sample(), c.agree(),
                    rules == null ? null : rules.test(tokens, a.predictions()[c.step()][c.sample()]));
        });
    }

    /**
     * A new puzzle of this model's kind, generated as its training data was (a Sudoku with a
     * unique solution and as many givens, a maze with as long a path, N-Queens with some queens
     * placed), with its answer. The same seed gives the same puzzle (seeds are {@link java.util.Random}'s:
     * two that agree in their low 48 bits give the same one).
     */
    public Puzzle samplePuzzle(long seed) {
        open();
        if (kind() == TaskKind.ARC) throw new InvalidInputException("ARC models answer ARC tasks; there is no puzzle to generate");
        PuzzleSet set = guarded(() -> PuzzleKinds.generate(file.data(), 1, seed));
        int side = shape()[0];
        return new Puzzle(Boards.decode(set.kind(), set.inputs()[0], side), Boards.decode(set.kind(), set.labels()[0], side));
    }

    // ---------------------------------------------------------------- ARC

    /**
     * An ARC task answered over {@code versions} augmented versions, voted: two attempts per test
     * input. A model {@link #adapt adapted} to this task answers with the embeddings it fitted;
     * any other answers with blank ones (the baseline that adaptation must beat).
     */
    public ArcSolution solve(ArcTask task, int versions, double guidance) {
        return solve(task, versions, guidance, Progress.NONE, () -> false);
    }

    /**
     * The same, telling {@code progress} the test inputs answered; {@code stop}, asked between
     * batches of the network, ends the call early with a {@link Trm4jException}.
     */
    public ArcSolution solve(ArcTask task, int versions, double guidance, Progress progress, BooleanSupplier stop) {
        return solve(task, versions, guidance, SolveOptions.defaults(), progress, stop);
    }

    /**
     * The same with sampled trajectories: every sample of every version votes (the rule is the vote;
     * {@code o.select()} must be {@link SolveOptions.Select#VOTE}).
     */
    public ArcSolution solve(ArcTask task, int versions, double guidance, SolveOptions o, Progress progress, BooleanSupplier stop) {
        Args.required("task", task, "options", o, "progress", progress, "stop", stop);
        guarded(() -> selection(o).checkForArc(o.augment()));
        if (kind() != TaskKind.ARC) throw new InvalidInputException("this is a " + kind() + " model: give it a board (solve(int[][]))");
        if (!Double.isFinite(guidance)) throw new InvalidInputException("guidance " + guidance + ": must be a finite number");
        if (fitted != null && !fitted.task().id().equals(task.id()))
            throw new InvalidInputException("this model was adapted to task " + fitted.task().id() + ", not " + task.id());
        trm4j.data.ArcTask t = fits(bounded(task).internal());
        return call(() -> {
            long t0 = System.nanoTime();
            Adaptation.Fitted f = fitted != null ? fitted
                    : Adaptation.fit(file, t, new Adaptation.Options(0, versions, 1, false, 0), n -> {}, () -> false);
            try {
                ArcEval.Result r = Adaptation.answer(f, t.test(), new Answering(file.method(), guidance, 64, sampling(o), Selection.VOTE),
                        n -> progress.at(n, t.test().size()), stop);
                if (r.tests().size() < t.test().size())
                    throw new Trm4jException("task " + task.id() + ": stopped with " + r.tests().size() + " of its " + t.test().size() + " test inputs answered");
                return arcSolution(task.id(), r, (System.nanoTime() - t0) / 1_000_000, halts());
            } finally {
                if (f != fitted) f.close();
            }
        });
    }

    /** {@link #solve(ArcTask, int, double)} over 8 versions (the adapted versions, for an adapted model), plain decoding. */
    public ArcSolution solve(ArcTask task) {
        return solve(task, fitted != null ? fitted.versions().size() : 8, 1.0);
    }

    /**
     * A new, independent model fitted to an ARC task it has never seen (test-time adaptation): fresh
     * embeddings for the task's augmented versions, trained on its demonstrations (and the weights
     * too, when asked). The budget of steps and time is in the options; {@code progress} is told
     * the steps done. Close the model it returns; this one is unchanged, and other calls on it wait
     * only while its weights are copied.
     */
    public Model adapt(ArcTask task, AdaptOptions o, Progress progress) {
        return adapt(task, o, progress, () -> false);
    }

    /** The same, where {@code stop}, asked between steps, may end the steps early (the ones done are kept). */
    public Model adapt(ArcTask task, AdaptOptions o, Progress progress, BooleanSupplier stop) {
        Args.required("task", task, "options", o, "progress", progress, "stop", stop);
        if (kind() != TaskKind.ARC) throw new InvalidInputException("adapt is for ARC models; this is a " + kind() + " model");
        if (fitted != null) throw new InvalidInputException("this model is already adapted to task " + fitted.task().id() + ": adapt the model it came from");
        trm4j.data.ArcTask t = fits(bounded(task).internal());
        Adaptation.Options a = guarded(() -> new Adaptation.Options(o.steps(), o.versions(), o.batch(), o.weights(), o.budget().toMillis()));
        // This model is held only while its weights are copied: the training is the new model's own.
        Adaptation.Fitted fresh = call(() -> Adaptation.fresh(file, t, a));
        Adaptation.Fitted f = guarded(() -> {
            try (Scope scope = Scope.open()) {
                return Threads.during(options.threads(), () -> Adaptation.train(fresh, file.preset(), a, done -> progress.at(done, o.steps()), stop));
            }
        });
        return new Model(new ModelFile(file.file(), f.network(), file.preset(), file.reference(), file.guessed()), options, precisionReason, f);
    }

    /** Whether every grid of an ARC task fits this model's canvas (a task that does not cannot be answered). */
    public boolean fits(ArcTask task) {
        Args.required("task", task);
        open();
        return kind() == TaskKind.ARC && Adaptation.fits(file, task.internal());
    }

    /** The adaptation steps this model took (0 for a model loaded from a file). */
    public int adaptationSteps() {
        open();
        return fitted == null ? 0 : fitted.stepsDone();
    }

    /** The ARC Prize submission entries of solutions, in order: {@code {task_id: [{"attempt_1": grid, "attempt_2": grid}, ...]}}. */
    public static Map<String, List<Map<String, int[][]>>> submission(List<ArcSolution> solutions) {
        Map<String, List<Map<String, int[][]>>> out = new LinkedHashMap<>();
        for (ArcSolution s : Args.elements("solutions", solutions))
            for (ArcSolution.TestAnswer t : s.tests())
                out.computeIfAbsent(s.taskId(), k -> new ArrayList<>()).add(new LinkedHashMap<>(Map.of("attempt_1", t.attempt1(), "attempt_2", t.attempt2())));
        return out;
    }

    // ---------------------------------------------------------------- evaluation

    /** Scores on the run's held-out data (its test set; a reference checkpoint: the ARC-AGI-1 evaluation tasks). */
    public EvalResult evaluate(EvalOptions o) {
        Args.required("options", o);
        Map<String, String> overrides = new LinkedHashMap<>(options.overrides());
        overrides.putAll(o.overrides());
        EvalRun.Request r = new EvalRun.Request(overrides, o.versions(), o.guidance(), o.ks(), o.batch(), o.identifiers(), sampling(o.solve()),
                selection(o.solve()), o.validation());
        Reporter progress = new Reporter() {
            @Override public void progress(String label, long done, long total, String unit, String status) {
                o.progress().at(done, total);
            }

            @Override public void note(String line) {}
        };
        return call(() -> new EvalResult(EvalRun.run(file, r, o.stop(), progress), kind()));
    }

    /** The options' trajectories in the engine's terms. */
    static Sampling sampling(SolveOptions o) {
        return new Sampling(o.samples(), o.noise(), o.noiseY(), o.augment(), o.seed());
    }

    static Selection selection(SolveOptions o) {
        return Selection.valueOf(o.select().name());
    }

    // ---------------------------------------------------------------- the rest

    @Override public void close() {
        if (lock.isHeldByCurrentThread())   // from a callback of this model's own call, which is still using the weights
            throw new Trm4jException("close() inside a call of this model (from its progress, listener or stop callback): close it after the call returns");
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            if (fitted != null) fitted.close();
            else file.close();
        } finally {
            lock.unlock();
        }
    }

    /** Rows and columns of the board or canvas. */
    private int[] shape() {
        if (kind() == TaskKind.ARC) return Adaptation.canvas(file);
        int side = Boards.side(file.network().config().seqLen());
        return new int[] {side, side};
    }

    private static ArcTask bounded(ArcTask task) {
        if (task.tooLarge() != null) throw new InvalidInputException(task.tooLarge());
        return task;
    }

    private trm4j.data.ArcTask fits(trm4j.data.ArcTask t) {
        if (!Adaptation.fits(file, t)) {
            int[] c = shape();
            throw new InvalidInputException("task " + t.id() + ": a grid is larger than this model's " + c[0] + "x" + c[1] + " canvas");
        }
        return t;
    }

    private static ArcSolution arcSolution(String id, ArcEval.Result r, long millis, boolean halts) {
        List<ArcSolution.TestAnswer> tests = new ArrayList<>();
        Map<String, List<Map<String, int[][]>>> attempts = Submission.of(r.tests());
        for (int i = 0; i < r.tests().size(); i++) {
            ArcEval.TestResult t = r.tests().get(i);
            Map<String, int[][]> a = attempts.get(t.taskId()).get(i);
            List<int[][]> steps = new ArrayList<>();
            for (Grid g : t.path()) steps.add(g == null ? null : g.toArray());
            int votes = t.ranked().isEmpty() ? 0 : t.ranked().get(0).votes();
            int[][] truth = t.truth() == null ? null : t.truth().toArray();
            tests.add(new ArcSolution.TestAnswer(a.get("attempt_1"), a.get("attempt_2"), votes, r.versions(), Collections.unmodifiableList(steps),
                    halts ? t.halting() : new double[0], truth == null ? null : Arrays.deepEquals(truth, a.get("attempt_1")) || Arrays.deepEquals(truth, a.get("attempt_2"))));
        }
        return new ArcSolution(id, List.copyOf(tests), millis);
    }

    /** The kind of a puzzle model's boards. */
    private PuzzleKind<?> puzzles() {
        return guarded(() -> PuzzleKinds.of(file.kind(), "data.kind"));
    }

    private void open() {
        if (closed) throw new Trm4jException("the model is closed");
    }

    /** Runs one call under the lock, in a scope of its own, with the threads asked for; errors as the API's. */
    private <T> T call(Supplier<T> body) {
        lock.lock();
        try {
            open();
            return guarded(() -> {
                try (Scope scope = Scope.open()) {
                    return Threads.during(options.threads(), body);
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /** The internals' one-line errors as the API's typed ones. */
    static <T> T guarded(Supplier<T> body) {
        try {
            return body.get();
        } catch (CheckpointException e) {
            throw new FileException(e.getMessage());
        } catch (UserError e) {
            throw new InvalidInputException(e.getMessage());
        }
    }
}
