package trm4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.config.DataConfig;
import trm4j.data.Datasets;
import trm4j.data.PuzzleKinds;
import trm4j.data.Sample;
import trm4j.data.Sudoku;

/**
 * The library as a user sees it: a model trained through {@link Training}, loaded, asked for
 * boards one at a time, from many threads, a thousand times without closing anything, and given
 * bad boards.
 */
class ModelTest {
    @TempDir static Path dir;
    static Model model;
    static TrainingResult trained;
    static final List<TrainingProgress> progress = new ArrayList<>();

    /** The demo's data, small: 4x4 Sudoku with 10 givens, 40 test puzzles. */
    static final Map<String, String> SMALL = Map.of("steps", "36", "data.train", "200", "data.test", "40", "eval_every", "0", "batch", "16",
            "checkpoint_every", "36");

    @BeforeAll
    static void train() {
        trained = Training.prepare(TrainingSpec.of("demo", dir.resolve("demo")).withOverrides(SMALL), new TrainingListener() {
            @Override public void progress(TrainingProgress p) {
                progress.add(p);
            }
        }).run();
        model = Model.load(trained.model());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The test puzzles of the run, as boards (the dataset's own tokens, read back as a person writes them). */
    static List<int[][]> testBoards(List<int[][]> answers) {
        Datasets.Data d = Datasets.load(new DataConfig.Sudoku(4, 200, 40, 0, 0, 10, 0, true));
        List<int[][]> boards = new ArrayList<>();
        for (Sample s : d.test()) {
            boards.add(board(Sudoku.digits(s.input())));
            answers.add(board(Sudoku.digits(s.label())));
        }
        return boards;
    }

    private static int[][] board(byte[] digits) {
        int[][] b = new int[4][4];
        for (int i = 0; i < 16; i++) b[i / 4][i % 4] = digits[i];
        return b;
    }

    @Test
    void trainingToldItsProgressAndItsTestScore() {
        assertEquals(List.of(6L, 12L, 18L, 24L, 30L, 36L), progress.stream().map(TrainingProgress::step).toList(), "a line every log_every = 6 steps");
        assertTrue(progress.stream().allMatch(p -> Double.isFinite(p.loss()) && p.totalSteps() == 36 && p.perStep().size() == 6), progress.toString());
        assertFalse(trained.stopped());
        assertEquals(36, trained.step());
        assertEquals(6, trained.testPerStep().size());
        assertTrue(trained.summary().contains("test: exact accuracy"), trained.summary());
        ModelInfo info = model.info();
        assertEquals(TaskKind.SUDOKU, info.kind());
        assertEquals(Method.DIS, info.method());
        assertEquals(66946, info.parameters(), "the demo's published count");
        assertEquals(4, info.rows());
        assertEquals(3, info.callsPerStep());
    }

    /** A refused run names what to change in the library's words, not the command line's flags. */
    @Test
    void aRefusedRunSaysWhatToChangeInTheSpec() {
        Path run = dir.resolve("demo");
        InvalidInputException taken = assertThrows(InvalidInputException.class, () -> Training.prepare(TrainingSpec.of("demo", run), TrainingListener.NONE));
        assertTrue(taken.getMessage().endsWith("add resuming(true) to continue it, forcing(true) to start it over, or choose another out folder"), taken.getMessage());
        InvalidInputException both = assertThrows(InvalidInputException.class,
                () -> Training.prepare(TrainingSpec.of("demo", run).resuming(true).withInit(run), TrainingListener.NONE));
        assertEquals("withInit starts a new run from a checkpoint; resuming(true) continues a run: not both", both.getMessage());
        assertFalse(taken.getMessage().contains("--") || both.getMessage().contains("--"));
    }

    /** A training prepared and not run writes nothing, and lets its folder go at close(): another run may take it, and the old run is whole. */
    @Test
    void aTrainingPreparedAndNotRunLeavesItsFolderAsItWas(@TempDir Path runs) throws Exception {
        Path fresh = runs.resolve("a/b");
        Training.prepare(TrainingSpec.of("demo", fresh), TrainingListener.NONE).close();
        assertFalse(Files.exists(runs.resolve("a")), "the folders it made are gone");
        Path old = runs.resolve("old");
        Files.createDirectories(old);
        Files.writeString(old.resolve("metrics.jsonl"), "{\"step\":1,\"loss\":1.0}\n");
        try (Training forced = Training.prepare(TrainingSpec.of("demo", old).forcing(true), TrainingListener.NONE)) {
            assertEquals(List.of(".lock", "metrics.jsonl"), names(old), "prepare writes nothing: forcing(true) clears the old run when the run starts");
            InvalidInputException held = assertThrows(InvalidInputException.class, () -> Training.prepare(TrainingSpec.of("demo", old).forcing(true), TrainingListener.NONE));
            assertTrue(held.getMessage().contains("is in use by another trm4j run"), held.getMessage());
        }
        assertEquals("{\"step\":1,\"loss\":1.0}\n", Files.readString(old.resolve("metrics.jsonl")));
        Training again = Training.prepare(TrainingSpec.of("demo", old).forcing(true), TrainingListener.NONE);   // taken again, once let go
        again.close();
        assertEquals("this Training is closed: Training.prepare gives another", assertThrows(InvalidInputException.class, again::run).getMessage());
    }

    private static List<String> names(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** A training run told no listener draws its progress on stderr, as the command line does (a line at the end when stderr is not a terminal). */
    @Test
    void trainingReportsItsProgressUnlessToldNotTo() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Training.prepare(TrainingSpec.of("demo", dir.resolve("told")).withOverrides(Map.of("steps", "6", "data.train", "100", "data.test", "20",
                    "eval_every", "0", "batch", "8"))).run();
            Training.prepare(TrainingSpec.of("demo", dir.resolve("silent")).withOverrides(Map.of("steps", "6", "data.train", "100", "data.test", "20",
                    "eval_every", "0", "batch", "8")), TrainingListener.NONE).run();
        } finally {
            System.setErr(old);
        }
        String told = err.toString(StandardCharsets.UTF_8);
        assertTrue(told.contains("train [########################] 100% 6/6 steps done in"), told);
        assertEquals(1, told.lines().filter(l -> l.startsWith("train [")).count(), "the second run says nothing: " + told);
    }

    /** Only a TRM model has a halting head: its answers carry the confidence per step, in [0, 1]; a DIS model's carry none (above). */
    @Test
    void aTrmModelGivesItsHaltingConfidence() {
        TrainingResult r = Training.prepare(TrainingSpec.of("trm-sudoku4-cpu", dir.resolve("trm")).withOverrides(Map.of("steps", "6", "min_clues", "10",
                "data.train", "100", "data.test", "20", "eval_every", "0", "batch", "8")), TrainingListener.NONE).run();
        try (Model trm = Model.load(r.model())) {
            assertEquals(Method.TRM, trm.method());
            Solution s = trm.solve(testBoards(new ArrayList<>()).get(0));
            assertEquals(16, s.halting().length, "one per supervision step");
            for (double h : s.halting()) assertTrue(h > 0 && h < 1, h + " is a sigmoid");
        }
    }

    private static byte[] tokens(int[][] board) {
        byte[] t = new byte[board.length * board.length];
        for (int i = 0; i < t.length; i++) t[i] = PuzzleKinds.SUDOKU.token(board[i / board.length][i % board.length]);
        return t;
    }

    /** Solving the test boards one at a time gives what the batched evaluation scored, step by step. */
    @Test
    void boardsSolvedOneAtATimeScoreAsTheEvaluationDoes() {
        List<int[][]> answers = new ArrayList<>(), boards = testBoards(answers);
        double[] exact = new double[6];
        for (int i = 0; i < boards.size(); i++) {
            Solution s = model.solve(boards.get(i));
            assertEquals(6, s.steps().size());
            assertArrayEquals(s.steps().get(5), s.answer());
            assertEquals(0, s.halting().length, "a DIS model has no halting head");
            assertEquals(Arrays.deepEquals(s.answer(), answers.get(i)), s.valid(), "a puzzle with one solution: the rules accept its label alone");
            for (int k = 0; k < 6; k++) if (Arrays.deepEquals(s.steps().get(k), answers.get(i))) exact[k] += 1.0 / boards.size();
        }
        // Sampled, the chosen trajectory's answer is the one judged, whichever sample it is.
        Solution sampled = model.solve(boards.get(0), 1.0, SolveOptions.defaults().withSamples(4).withNoise(0.5).withSeed(3));
        assertEquals(PuzzleKinds.SUDOKU.validity().test(tokens(boards.get(0)), tokens(sampled.answer())), sampled.valid());
        EvalResult e = model.evaluate(EvalOptions.defaults());
        assertEquals(40, e.count());
        for (int k = 0; k < 6; k++) assertEquals(e.perStep().get(k), exact[k], 1e-9, "step " + (k + 1));
        assertEquals(trained.testAccuracy(), e.exactAccuracy(), 1e-12, "the run's own test score");
        assertTrue(e.json().contains("\"stopped\" : false"), e.json());
        EvalResult stopped = model.evaluate(EvalOptions.defaults().withBatch(16).withStop(() -> true));
        assertTrue(stopped.json().contains("\"stopped\" : true"), "a file of a stopped evaluation says it is partial");
    }

    @Test
    void badBoardsAreOneLineTypedErrorsAndComputeNothing() {
        int[][] ok = {{1, 0, 0, 4}, {0, 4, 1, 0}, {4, 0, 0, 1}, {0, 1, 4, 0}};
        assertEquals("the board has 3 rows; this model's has 4 (a sudoku model)",
                assertThrows(InvalidInputException.class, () -> model.solve(new int[][] {{1, 2, 3, 4}, {0, 0, 0, 0}, {0, 0, 0, 0}})).getMessage());
        assertEquals("row 2 has 3 cells; this model's boards are 4x4 (a sudoku model)",
                assertThrows(InvalidInputException.class, () -> model.solve(new int[][] {{1, 0, 0, 4}, {0, 4, 1}, {4, 0, 0, 1}, {0, 1, 4, 0}})).getMessage());
        int[][] five = Arrays.stream(ok).map(int[]::clone).toArray(int[][]::new);
        five[2][3] = 5;
        assertEquals("row 3, column 4: 5 is not a sudoku cell (0..4)",
                assertThrows(InvalidInputException.class, () -> model.solve(five)).getMessage());
        assertEquals("row 1, column 1 and row 1, column 2 both hold 1 in one row (a sudoku model)",
                assertThrows(InvalidInputException.class, () -> model.solve(new int[][] {{1, 1, 0, 4}, {0, 4, 1, 0}, {4, 0, 0, 1}, {0, 1, 4, 0}})).getMessage());
        five[2][3] = -1;
        assertThrows(InvalidInputException.class, () -> model.solve(five));
        assertThrows(InvalidInputException.class, () -> model.solve((int[][]) null));
        assertThrows(InvalidInputException.class, () -> model.solve(ok, Double.NaN));
        ArcTask task = ArcTask.parse("{\"train\": [{\"input\": [[1]], \"output\": [[2]]}], \"test\": [{\"input\": [[1]]}]}", "t");
        assertTrue(assertThrows(InvalidInputException.class, () -> model.solve(task)).getMessage().contains("this is a sudoku model"));
        assertThrows(InvalidInputException.class, () -> model.adapt(task, AdaptOptions.defaults(), Progress.NONE));
        assertThrows(FileException.class, () -> Model.load(dir.resolve("nothing.safetensors")));
        assertEquals(ok.length, model.solve(ok).answer().length, "the model still answers");
        // evaluation options name their own fields, not a command line's flags
        assertEquals("batch -1: must be at least 1 (or 0 for the run's)", assertThrows(InvalidInputException.class, () -> EvalOptions.defaults().withBatch(-1)).getMessage());
        assertEquals("ks 0: k must be at least 1 (pass@k counts k attempts)", assertThrows(InvalidInputException.class, () -> EvalOptions.defaults().withKs(List.of(2, 0))).getMessage());
        assertThrows(InvalidInputException.class, () -> EvalOptions.defaults().withVersions(-2));
        assertThrows(InvalidInputException.class, () -> EvalOptions.defaults().withGuidance(Double.POSITIVE_INFINITY));
        assertEquals("select: 'halt' needs a halting head, and a DIS model has none (vote or confidence)", assertThrows(InvalidInputException.class,
                () -> model.evaluate(EvalOptions.defaults().withSolve(SolveOptions.defaults().withSelect(SolveOptions.Select.HALT)))).getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> model.evaluate(EvalOptions.defaults().withValidation(true).withOverrides(Map.of("data.validation", "0"))))
                .getMessage().startsWith("validation: this data keeps no validation puzzles"));
    }

    /** Threads share one model: their answers are the ones a single thread gets. */
    @Test
    void manyThreadsShareOneModel() throws Exception {
        List<int[][]> answers = new ArrayList<>(), boards = testBoards(answers);
        List<int[][]> alone = boards.stream().map(b -> model.solve(b).answer()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<int[][]>> futures = new ArrayList<>();
            for (int round = 0; round < 2; round++)
                for (int[][] b : boards) futures.add(pool.submit(() -> model.solve(b).answer()));
            for (int i = 0; i < futures.size(); i++) assertArrayEquals(alone.get(i % boards.size()), futures.get(i).get(), "board " + i % boards.size());
        } finally {
            pool.shutdown();
        }
    }

    /** stop() from another thread ends a run at a step it can resume from, with a checkpoint; resuming finishes it. */
    @Test
    void aStoppedRunResumesToItsEnd(@TempDir Path run) throws Exception {
        Map<String, String> set = new HashMap<>(SMALL);
        set.put("steps", "600");
        Training[] t = new Training[1];
        t[0] = Training.prepare(TrainingSpec.of("demo", run).withOverrides(set), new TrainingListener() {
            @Override public void progress(TrainingProgress p) {
                if (p.step() >= 12) t[0].stop();
            }
        });
        TrainingResult stopped = t[0].run();
        assertTrue(stopped.stopped());
        assertTrue(stopped.step() >= 12 && stopped.step() < 600, "stopped at " + stopped.step());
        assertTrue(Double.isNaN(stopped.testAccuracy()), "a stopped run scores no test set");
        assertThrows(InvalidInputException.class, () -> Training.prepare(TrainingSpec.of("demo", run).withOverrides(set)), "the folder holds a run");
        set.put("steps", "36");
        TrainingResult done = Training.prepare(TrainingSpec.of("demo", run).withOverrides(set).resuming(true), TrainingListener.NONE).run();
        assertTrue(!done.stopped() && done.step() >= stopped.step());
        InvalidInputException twice = assertThrows(InvalidInputException.class, t[0]::run);
        assertEquals("this Training has run already: Training.prepare with resuming(true) continues its folder", twice.getMessage());
    }

    @Test
    void aClosedModelSaysSo() {
        Model m = Model.load(trained.model());
        m.close();
        m.close();   // twice is harmless
        assertEquals("the model is closed", assertThrows(Trm4jException.class, () -> m.solve(new int[4][4])).getMessage());
        assertEquals("the model is closed", assertThrows(Trm4jException.class, m::info).getMessage(), "not a read of freed weights");
        assertEquals("the model is closed", assertThrows(Trm4jException.class, () -> m.samplePuzzle(1)).getMessage());
        assertEquals("the model is closed", assertThrows(Trm4jException.class, m::adaptationSteps).getMessage());
        assertEquals("the model is closed", assertThrows(Trm4jException.class, () -> m.fits(new ArcTask("t", List.of(new ArcTask.Example(new int[][] {{1}}, new int[][] {{1}})), List.of(new ArcTask.Example(new int[][] {{1}}, null))))).getMessage());
        assertNotNull(model.solve(new int[4][4]), "another model of the same file is unaffected");
    }

    /** A callback of the model's own call that closes it would free the weights the call is using: refused, and the model still answers. */
    @Test
    void aModelIsNotClosedFromInsideItsOwnCall() {
        try (Model m = Model.load(trained.model())) {
            Trm4jException e = assertThrows(Trm4jException.class, () -> m.evaluate(EvalOptions.defaults().withBatch(16).withProgress((done, total) -> m.close())));
            assertTrue(e.getMessage().startsWith("close() inside a call of this model"), e.getMessage());
            assertNotNull(m.solve(new int[4][4]), "still open");
        }
    }

    /** A data override that names no field of the run is refused at load, where it was given, not at the first evaluation. */
    @Test
    void aMisspeltOverrideIsRefusedAtLoad() {
        InvalidInputException misspelt = assertThrows(InvalidInputException.class,
                () -> Model.load(trained.model(), LoadOptions.defaults().withOverrides(Map.of("data.tset", "10"))));
        assertTrue(misspelt.getMessage().startsWith("overrides data.tset: " + trained.model() + " has no such field"), misspelt.getMessage());
        try (Model fewer = Model.load(trained.model(), LoadOptions.defaults().withOverrides(Map.of("data.test", "10")))) {
            assertEquals(10, fewer.evaluate(EvalOptions.defaults()).count());
        }
    }

    /** LoadOptions.threads is libtorch's count during a call, and the caller's count is put back after it. */
    @Test
    void aCallsThreadCountIsPutBackAfterIt() {
        int before = torch.get_num_threads();
        torch.set_num_threads(3);
        try (Model one = Model.load(trained.model(), LoadOptions.defaults().withThreads(1))) {
            List<Integer> during = new ArrayList<>();
            one.evaluate(EvalOptions.defaults().withProgress((done, total) -> during.add(torch.get_num_threads())));
            one.solve(new int[4][4]);
            assertEquals(3, torch.get_num_threads(), "the caller's count, back");
            assertTrue(!during.isEmpty() && during.stream().allMatch(n -> n == 1), during.toString());
        } finally {
            torch.set_num_threads(before);
        }
    }

    /** A run's folder and its training checkpoint load as the model the run evaluates with; a folder without one is named. */
    @Test
    void aRunFolderAndItsCheckpointLoadAsItsModel(@TempDir Path empty) {
        int[][] board = {{1, 0, 0, 4}, {0, 4, 1, 0}, {4, 0, 0, 1}, {0, 1, 4, 0}};
        Solution expected = model.solve(board);
        for (Path p : new Path[] {dir.resolve("demo"), dir.resolve("demo/checkpoint.safetensors")})
            try (Model m = Model.load(p)) {
                assertEquals(Arrays.deepToString(expected.steps().toArray()), Arrays.deepToString(m.solve(board).steps().toArray()), p.toString());
            }
        assertEquals(empty + ": a folder without model.safetensors (not a run folder, or its run has not reached a checkpoint yet)",
                assertThrows(FileException.class, () -> Model.load(empty)).getMessage());
    }

    /**
     * Sampled trajectories through the API: the default options are the deterministic answer bit for bit; samples
     * without noise all answer as it does and all agree; a seed repeats its samples; a DIS model refuses the halting rules.
     */
    @Test
    void sampledTrajectoriesRepeatTheirSeedAndDefaultToTheDeterministicAnswer() {
        int[][] board = {{1, 2, 0, 4}, {3, 4, 1, 0}, {4, 0, 2, 1}, {2, 1, 4, 0}};
        Solution plain = model.solve(board), same = model.solve(board, 1.0, SolveOptions.defaults());
        assertArrayEquals(plain.answer(), same.answer());
        for (int s = 0; s < plain.steps().size(); s++) assertArrayEquals(plain.steps().get(s), same.steps().get(s));
        assertEquals(1, same.samples().size());
        Solution quiet = model.solve(board, 1.0, SolveOptions.defaults().withSamples(4));
        assertEquals(4, quiet.agree());
        for (List<int[][]> sample : quiet.samples()) assertArrayEquals(plain.answer(), sample.get(sample.size() - 1));
        SolveOptions noisy = SolveOptions.defaults().withSamples(8).withNoise(1.0).withSeed(5).withSelect(SolveOptions.Select.CONFIDENCE);
        Solution a = model.solve(board, 1.0, noisy), b = model.solve(board, 1.0, noisy);
        assertEquals(8, a.samples().size());
        for (int k = 0; k < 8; k++) assertArrayEquals(a.samples().get(k).get(3), b.samples().get(k).get(3), "sample " + k);
        assertEquals(a.chosen(), b.chosen());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.solve(board, 1.0, noisy.withSelect(SolveOptions.Select.HALT)));
        assertEquals("select: 'halt' needs a halting head, and a DIS model has none (vote or confidence)", e.getMessage());
        assertThrows(InvalidInputException.class, () -> SolveOptions.defaults().withSamples(65));
        assertEquals(SolveOptions.Select.FIRST_HALT, SolveOptions.Select.parse("first-halt", "select"));
        assertEquals("select: 'best' is not one of vote, halt, first-halt, confidence",
                assertThrows(InvalidInputException.class, () -> SolveOptions.Select.parse("best", "select")).getMessage());
        // augmented samples: copy 0 is the puzzle itself; the others answer turned copies, turned back; a seed repeats them
        SolveOptions turned = SolveOptions.defaults().withSamples(8).withAugment(true).withSeed(2);
        Solution t = model.solve(board, 1.0, turned), u = model.solve(board, 1.0, turned);
        assertArrayEquals(plain.answer(), t.samples().get(0).get(t.samples().get(0).size() - 1));
        for (int k = 0; k < 8; k++) assertArrayEquals(t.samples().get(k).get(3), u.samples().get(k).get(3), "augmented sample " + k);
    }
}
