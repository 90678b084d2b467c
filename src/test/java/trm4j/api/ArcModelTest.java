package trm4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARC through the API: a small model trained on Mini-ARC answers a task it never saw, adapts to
 * it as a new and independent model, and refuses what does not fit.
 */
class ArcModelTest {
    @TempDir static Path dir;
    static Model model;
    static ArcTask task;

    @BeforeAll
    static void train() throws Exception {
        TrainingResult r = Training.prepare(TrainingSpec.of("dis-miniarc-cpu", dir.resolve("arc")).withOverrides(Map.of(
                "steps", "6", "batch", "8", "versions", "4", "eval_versions", "2")), TrainingListener.NONE).run();   // on the sample in the jar
        model = Model.load(r.model());
        task = ArcTask.sample("mini-arc").get(0);
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    @Test
    void aTaskIsAnsweredWithTwoAttemptsPerTestInputAndItsStepPath() {
        ModelInfo info = model.info();
        assertEquals(TaskKind.ARC, info.kind());
        assertEquals(8, info.rows(), "dis-miniarc-cpu's 8x8 canvas");
        ArcSolution s = model.solve(task, 4, 1.0);
        assertEquals(task.id(), s.taskId());
        assertEquals(task.test().size(), s.tests().size());
        ArcSolution.TestAnswer t = s.tests().get(0);
        assertNotNull(t.attempt1());
        assertNotNull(t.attempt2());
        assertEquals(4, t.versions());
        assertTrue(t.votes() >= 0 && t.votes() <= 4);
        assertEquals(info.nSup(), t.steps().size(), "the untransformed version's answer after each step");
        assertEquals(0, t.halting().length, "a DIS model has no halting head");
        assertNotNull(t.correct(), "Mini-ARC's test outputs are known");
        assertEquals(s.tests().get(0).attempt1().length, model.solve(task, 4, 1.0).tests().get(0).attempt1().length, "the same again");
    }

    /** Sampled trajectories on ARC: every sample of every version votes; samples without noise vote as their version does. */
    @Test
    void everySampleOfEveryVersionVotes() {
        ArcSolution plain = model.solve(task, 4, 1.0);
        ArcSolution three = model.solve(task, 4, 1.0, SolveOptions.defaults().withSamples(3), Progress.NONE, () -> false);
        for (int i = 0; i < plain.tests().size(); i++) {
            assertArrayEquals(plain.tests().get(i).attempt1(), three.tests().get(i).attempt1(), "test input " + i);
            assertEquals(3 * plain.tests().get(i).votes(), three.tests().get(i).votes(), "three samples of each version, each a vote");
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.solve(task, 4, 1.0,
                SolveOptions.defaults().withSelect(SolveOptions.Select.CONFIDENCE), Progress.NONE, () -> false));
        assertTrue(e.getMessage().startsWith("select: an ARC task's answers vote"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> model.solve(task, 4, 1.0, SolveOptions.defaults().withAugment(true), Progress.NONE, () -> false));
        assertEquals("augment: an ARC task's versions are its augmentations already: leave it out (versions sets how many)", e.getMessage());
    }

    @Test
    void adaptingMakesANewModelAndLeavesThisOneAsItWas() {
        ArcSolution before = model.solve(task, 4, 1.0);
        AtomicLong told = new AtomicLong();
        try (Model adapted = model.adapt(task, AdaptOptions.defaults().withSteps(3).withVersions(4).withBatch(4).withWeights(true),
                (done, total) -> { told.set(done); assertEquals(3, total); })) {
            assertEquals(3, told.get());
            assertEquals(3, adapted.adaptationSteps());
            assertEquals(task.test().size(), adapted.solve(task).tests().size());
            assertTrue(assertThrows(InvalidInputException.class, () -> adapted.solve(ArcTask.parse(TINY, "other"))).getMessage()
                    .contains("adapted to task " + task.id()));
        }
        ArcSolution after = model.solve(task, 4, 1.0);
        for (int i = 0; i < before.tests().size(); i++) {
            assertArrayEquals(before.tests().get(i).attempt1(), after.tests().get(i).attempt1(), "the trained weights are unchanged");
            assertEquals(before.tests().get(i).votes(), after.tests().get(i).votes());
        }
    }

    @Test
    void aTimeBudgetEndsAdaptationWithTheStepsDone() {
        try (Model adapted = model.adapt(task, AdaptOptions.defaults().withSteps(100_000).withVersions(2).withBatch(2)
                .withBudget(Duration.ofMillis(300)), Progress.NONE)) {
            assertTrue(adapted.adaptationSteps() >= 1 && adapted.adaptationSteps() < 100_000, adapted.adaptationSteps() + " steps");
        }
        // A budget under a millisecond would count as none, and one of centuries overflows the milliseconds: both refused.
        for (Duration d : List.of(Duration.ofNanos(1), Duration.ofSeconds(Long.MAX_VALUE), Duration.ofMillis(-1)))
            assertEquals("budget " + d + ": must be zero (no limit) or from 1 ms to 366 days",
                    assertThrows(InvalidInputException.class, () -> AdaptOptions.defaults().withBudget(d)).getMessage());
        for (Duration d : List.of(Duration.ZERO, Duration.ofMillis(1), Duration.ofDays(366)))   // the bounds themselves are budgets
            assertEquals(d, AdaptOptions.defaults().withBudget(d).budget());
    }

    /** A task beyond the bounds of one answer is refused before any work; an answer tells its test inputs as it goes, and stops when told. */
    @Test
    void anAnswerIsBoundedReportsItsTestInputsAndStops() {
        ArcTask eleven = new ArcTask("eleven", task.train(), Collections.nCopies(11, task.test().get(0)));
        assertEquals("task eleven: 11 test inputs, more than the 10 one task may have", eleven.tooLarge());
        assertEquals(eleven.tooLarge(), assertThrows(InvalidInputException.class, () -> model.solve(eleven)).getMessage());
        assertEquals(eleven.tooLarge(), assertThrows(InvalidInputException.class, () -> model.adapt(eleven, AdaptOptions.defaults(), Progress.NONE)).getMessage());
        int[][] canvas = new int[30][30];
        ArcTask cells = new ArcTask("cells", Collections.nCopies(28, new ArcTask.Example(canvas, canvas)), task.test());
        assertTrue(cells.tooLarge().startsWith("task cells: 50" ) && cells.tooLarge().endsWith(" cells in its grids, more than the 50000 one task may have"), cells.tooLarge());

        ArcTask ten = new ArcTask("ten", task.train(), Collections.nCopies(10, task.test().get(0)));
        assertNull(ten.tooLarge());
        List<Long> told = new ArrayList<>();
        ArcSolution s = model.solve(ten, 8, 1.0, (done, total) -> {
            assertEquals(10, total);
            told.add(done);
        }, () -> false);
        assertEquals(10, s.tests().size());
        assertTrue(told.size() >= 2 && told.get(told.size() - 1) == 10, "test inputs answered, told as they are: " + told);
        for (int i = 1; i < told.size(); i++) assertTrue(told.get(i) >= told.get(i - 1), told.toString());
        assertEquals("task ten: stopped with 0 of its 10 test inputs answered",
                assertThrows(Trm4jException.class, () -> model.solve(ten, 8, 1.0, Progress.NONE, () -> true)).getMessage());
    }

    static final String TINY = "{\"train\": [{\"input\": [[1, 2]], \"output\": [[2, 1]]}], \"test\": [{\"input\": [[3, 4]]}]}";

    @Test
    void tasksThatDoNotFitAreRefusedInOneLine() {
        assertTrue(assertThrows(InvalidInputException.class, () -> ArcTask.parse("{\"train\": [", "t")).getMessage().startsWith("task t: not valid JSON at line 1"));
        assertEquals("task t: not valid JSON at line 2, column 17: Unexpected end-of-input: expected close marker for Array (opened at line 2, column 13)",
                assertThrows(InvalidInputException.class, () -> ArcTask.parse("{\"train\":\n [{\"input\": [[1]", "t")).getMessage());
        String colour = TINY.replace("[[3, 4]]", "[[3, 10]]");
        assertEquals("task t: test[0].input[0][1]: colour 10 is outside 0..9",
                assertThrows(InvalidInputException.class, () -> ArcTask.parse(colour, "t")).getMessage());
        int[][] big = new int[9][9];
        ArcTask large = new ArcTask("large", List.of(new ArcTask.Example(big, big)), List.of(new ArcTask.Example(big, null)));
        assertEquals("task large: a grid is larger than this model's 8x8 canvas", assertThrows(InvalidInputException.class, () -> model.solve(large)).getMessage());
        assertTrue(!model.fits(large) && model.fits(task));
        ArcTask ragged = new ArcTask("ragged", List.of(new ArcTask.Example(new int[][] {{1, 2}, {3}}, new int[][] {{1}})), List.of(new ArcTask.Example(new int[][] {{1}}, null)));
        assertEquals("task ragged: train[0].input[1]: 1 cell, expected 2 as in row 0", assertThrows(InvalidInputException.class, () -> model.solve(ragged)).getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> model.solve(new int[][] {{0}})).getMessage().contains("this is an ARC model"));
    }
}
