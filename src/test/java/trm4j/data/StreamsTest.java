package trm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The training streams: reproducible by position, one version per task per epoch, prefetched in order. */
class StreamsTest {
    private static ArcTask task(String id, int pairs, int seed) {
        Random r = new Random(seed);
        List<ArcTask.Pair> p = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            int[][] a = new int[2][3], b = new int[3][2];
            for (int[] row : a) for (int c = 0; c < row.length; c++) row[c] = r.nextInt(10);
            for (int[] row : b) for (int c = 0; c < row.length; c++) row[c] = r.nextInt(10);
            p.add(new ArcTask.Pair(Grid.of(a), Grid.of(b)));
        }
        return new ArcTask(id, "", p, List.of());
    }

    @Test
    void anArcEpochVisitsEveryTaskOnceWithOneVersionAndAllItsPairs() {
        List<ArcTask> tasks = List.of(task("a", 2, 1), task("b", 3, 2), task("c", 1, 3));
        ArcVersions v = ArcVersions.build(tasks, 20, 0);
        ArcTraining stream = new ArcTraining(tasks, v, 8, 8, 5);
        assertEquals(6, stream.epochSize());
        for (int epoch = 0; epoch < 3; epoch++) {
            Map<Integer, Set<Integer>> versionsOfTask = new HashMap<>();
            Map<Integer, Integer> pairsOfTask = new HashMap<>();
            for (long pos = epoch * 6L; pos < epoch * 6L + 6; pos++) {
                Sample s = stream.get(pos);
                int version = s.puzzleId() - 1, t = v.taskOf(version);
                versionsOfTask.computeIfAbsent(t, k -> new HashSet<>()).add(version);
                pairsOfTask.merge(t, 1, Integer::sum);
            }
            assertEquals(Map.of(0, 2, 1, 3, 2, 1), pairsOfTask);
            versionsOfTask.values().forEach(vs -> assertEquals(1, vs.size(), "one version per task per epoch"));
        }
        Sample again = new ArcTraining(tasks, v, 8, 8, 5).get(13);
        assertArrayEquals(stream.get(13).input(), again.input(), "a position gives the same sample in a new stream");
        assertArrayEquals(stream.get(13).label(), again.label());
    }

    @Test
    void translatedPairsDecodeToTheVersionsGridsAndTheCanvasKeepsThemWhole() {
        List<ArcTask> tasks = List.of(task("a", 4, 9));
        ArcVersions v = ArcVersions.build(tasks, 50, 0);
        ArcTraining stream = new ArcTraining(tasks, v, 8, 8, 1);
        int moved = 0;
        for (long pos = 0; pos < 200; pos++) {
            Sample s = stream.get(pos);
            int colours = 0;
            for (byte b : s.input()) if (b >= ArcCanvas.COLOUR0) colours++;
            assertEquals(6, colours, "a 2x3 grid keeps its 6 cells on the canvas");
            if (s.input()[0] < ArcCanvas.COLOUR0) moved++;
        }
        assertTrue(moved > 100, "most pairs are translated away from the corner: " + moved);
    }

    @Test
    void thePrefetcherHandsOutTheStreamInOrder() {
        PuzzleSet set = NQueens.generate(50, 1, Set.of());
        PuzzleTraining stream = new PuzzleTraining(set, false, 3);
        try (Prefetcher p = new Prefetcher(stream, 37, 8)) {
            for (long pos = 37; pos < 137; pos++) {
                assertEquals(pos, p.position());
                assertArrayEquals(stream.get(pos).input(), p.next().input());
            }
        }
    }
}
