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
