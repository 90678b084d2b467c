package trm4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import trm4j.data.ArcEvalSet;
import trm4j.data.ArcTask;
import trm4j.data.ArcVersions;
import trm4j.data.Grid;

class VotingTest {
    private static final Grid TRUTH = Grid.of(new int[][] {{1, 2, 0}, {3, 4, 5}});

    /** The transforms themselves are pinned to the reference's numbering in ReferenceNumberingTest; here, the votes. */
    @Test
    void transformedPredictionsOfAKnownGridVoteItBackAfterInversion() {
        ArcTask task = new ArcTask("t", "", List.of(new ArcTask.Pair(TRUTH, TRUTH)), List.of());
        ArcVersions versions = ArcVersions.build(List.of(task), 40, 7);
        Votes votes = new Votes();
        for (int v = 0; v < versions.size(); v++) {
            // What a perfect model answers under version v: the truth, transformed like the task.
            Grid answer = task.transform(versions.dihedralOf(v), versions.coloursOf(v)).train().get(0).output();
            votes.add(versions.invert(v, answer), 0.5);
        }
        votes.add(Grid.of(new int[][] {{9}}), 1.0);   // one stray answer
        List<Votes.Candidate> ranked = votes.ranked();
        assertEquals(TRUTH, ranked.get(0).grid());
        assertEquals(versions.size(), ranked.get(0).votes());
    }

    @Test
    void tiesAreBrokenByMeanConfidenceAndPassAtTwoCountsEitherAttempt() {
        Grid a = Grid.of(new int[][] {{1}}), b = Grid.of(new int[][] {{2}}), c = Grid.of(new int[][] {{3}});
        Votes votes = new Votes();
        votes.add(a, 0.2);
        votes.add(b, 0.9);
        votes.add(c, 0.1);
        votes.add(c, 0.1);
        votes.add(null, 1.0);   // undecodable: no vote
        List<Votes.Candidate> r = votes.ranked();
        assertEquals(List.of(c, b, a), r.stream().map(Votes.Candidate::grid).toList());
        assertFalse(Votes.passes(r, b, 1));
        assertTrue(Votes.passes(r, b, 2));
        assertFalse(Votes.passes(r, a, 2));
    }

    /**
     * pass@k for k = 1, 2, 3 and 5 and the task-level mean, expected values worked out by hand from the reference
     * evaluator (TinyRecursiveModels evaluators/arc.py at the pinned commit): candidates sorted by [votes, mean
     * sigmoid(q)] descending with Python's stable sort (an exact tie keeps the first-seen grid first), a test input
     * counts if its truth is in the first k, a task scores the fraction of its test inputs, the set the mean of its tasks.
     */
    @Test
    void passAtKAndTaskScoresFollowTheReferenceEvaluator() {
        Grid ta0 = Grid.of(new int[][] {{1, 1}}), ta1 = Grid.of(new int[][] {{2, 2}}), tb0 = Grid.of(new int[][] {{3}});
        Grid x = Grid.of(new int[][] {{4}}), y = Grid.of(new int[][] {{5}}), z = Grid.of(new int[][] {{6}}), w = Grid.of(new int[][] {{7}}), p = Grid.of(new int[][] {{8}});
        ArcTask a = new ArcTask("a", "", List.of(new ArcTask.Pair(ta0, ta0)), List.of(new ArcTask.Pair(ta0, ta0), new ArcTask.Pair(ta1, ta1)));
        ArcTask b = new ArcTask("b", "", List.of(new ArcTask.Pair(tb0, tb0)), List.of(new ArcTask.Pair(tb0, tb0)));
        ArcEvalSet set = new ArcEvalSet(List.of(a, b), new int[] {0, 1}, List.of(a.test(), b.test()), ArcVersions.build(List.of(a, b), 1, 0), 30, 30);
        Votes a0 = new Votes(), a1 = new Votes(), b0 = new Votes();
        a0.add(x, 0.9); a0.add(x, 0.1);          // 2 votes, mean 0.5
        a0.add(y, 0.6); a0.add(y, 0.6);          // 2 votes, mean 0.6: first
        a0.add(ta0, 0.99); a0.add(z, 0.2);       // 1 vote each: the truth third
        a1.add(ta1, 0.1); a1.add(ta1, 0.1); a1.add(ta1, 0.1); a1.add(w, 1.0);   // votes before confidence: the truth first
        b0.add(p, 0.5); b0.add(tb0, 0.5);        // an exact tie: the first seen first, the truth second
        Map<String, List<Votes>> votes = Map.of("0/0", List.of(a0), "0/1", List.of(a1), "1/0", List.of(b0));
        ArcEval.Result r = ArcEval.score(set, votes, Map.of(), Map.of(), List.of(1, 2, 3, 5), 1, 1, 2);
        assertEquals(List.of(y, x, ta0, z), r.tests().get(0).ranked().stream().map(Votes.Candidate::grid).toList());
        assertEquals(List.of(p, tb0), r.tests().get(2).ranked().stream().map(Votes.Candidate::grid).toList());
        // task a: 0 of 2 inputs at k=1..2 for input 0, input 1 always; task b: from k=2
        assertEquals((0.5 + 0) / 2, r.passAtK().get(1), 1e-12);
        assertEquals((0.5 + 1) / 2, r.passAtK().get(2), 1e-12);
        assertEquals(1.0, r.passAtK().get(3), 1e-12);
        assertEquals(1.0, r.passAtK().get(5), 1e-12);
        assertEquals(List.of(0.75), r.stepPass2());
    }

    @Test
    void submissionRoundTripsThroughTheArcPrizeLayout(@TempDir Path dir) throws Exception {
        Grid g1 = Grid.of(new int[][] {{1, 2}}), g2 = Grid.of(new int[][] {{3}, {4}});
        Votes v = new Votes();
        v.add(g1, 1);
        v.add(g1, 1);
        v.add(g2, 1);
        List<ArcEval.TestResult> tests = List.of(
                new ArcEval.TestResult("task-a", 0, v.ranked(), g1, List.of(), new double[0]),
                new ArcEval.TestResult("task-a", 1, new Votes().ranked(), g2, List.of(), new double[0]),
                new ArcEval.TestResult("task-b", 0, v.ranked(), g2, List.of(), new double[0]));
        Path file = dir.resolve("submission.json");
        Submission.write(file, tests);
        // The ARC Prize layout, written out by hand: task -> one entry per test input -> attempt_1, attempt_2.
        assertEquals(new ObjectMapper().readTree("{\"task-a\": [{\"attempt_1\": [[1, 2]], \"attempt_2\": [[3], [4]]},"
                + " {\"attempt_1\": [[0]], \"attempt_2\": [[0]]}], \"task-b\": [{\"attempt_1\": [[1, 2]], \"attempt_2\": [[3], [4]]}]}"),
                new ObjectMapper().readTree(file.toFile()));
        Map<String, List<Grid[]>> back = Submission.read(file);
        assertEquals(List.of("task-a", "task-b"), List.copyOf(back.keySet()));
        assertEquals(2, back.get("task-a").size(), "one entry per test input, in order");
        assertArrayEquals(new Grid[] {g1, g2}, back.get("task-a").get(0));
        assertArrayEquals(new Grid[] {Grid.of(new int[][] {{0}}), Grid.of(new int[][] {{0}})}, back.get("task-a").get(1));
        assertArrayEquals(new Grid[] {g1, g2}, back.get("task-b").get(0));
    }
}
