package trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArcReaderTest {
    @TempDir Path dir;

    private static final String OK = "{\"train\": [{\"input\": [[1, 2], [3, 4]], \"output\": [[4]]}], \"test\": [{\"input\": [[0]]}]}";

    /** Each malformed file gives exactly this one line; the good file beside them is still read. */
    @Test
    void malformedFilesGiveOneLineNamingFileAndPath() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("badjson", "{\"train\": [");
        bad.put("ragged", "{\"train\": [{\"input\": [[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2]], \"output\": [[1]]}], \"test\": [{\"input\": [[1]]}]}");
        bad.put("colour10", "{\"train\": [{\"input\": [[10]], \"output\": [[1]]}], \"test\": [{\"input\": [[1]]}]}");
        bad.put("colourneg", "{\"train\": [{\"input\": [[1]], \"output\": [[-1]]}], \"test\": [{\"input\": [[1]]}]}");
        bad.put("big", "{\"train\": [{\"input\": " + grid(31) + ", \"output\": [[1]]}], \"test\": [{\"input\": [[1]]}]}");
        bad.put("notrain", "{\"test\": [{\"input\": [[1]]}]}");
        bad.put("empty", "{\"train\": [{\"input\": [], \"output\": [[1]]}], \"test\": [{\"input\": [[1]]}]}");
        bad.put("types", "{\"train\": [{\"input\": [[\"a\"]], \"output\": [[1]]}], \"test\": [{\"input\": [[1]]}]}");
        bad.put("nooutput", "{\"train\": [{\"input\": [[1]]}], \"test\": [{\"input\": [[1]]}]}");
        bad.put("misspelt", "{\"train\": [{\"input\": [[1]], \"output\": [[1]]}], \"tset\": [{\"input\": [[1]]}]}");
        Map<String, String> expected = Map.of(
                "badjson", "badjson.json: not valid JSON at line 1",
                "ragged", "ragged.json: train[0].input[3]: 2 cells, expected 3 as in row 0",
                "colour10", "colour10.json: train[0].input[0][0]: colour 10 is outside 0..9",
                "colourneg", "colourneg.json: train[0].output[0][0]: colour -1 is outside 0..9",
                "big", "big.json: train[0].input: 31 rows, at most 30",
                "notrain", "notrain.json: train: missing",
                "empty", "empty.json: train[0].input: empty grid",
                "types", "types.json: train[0].input[0][0]: expected a colour 0..9, got \"a\"",
                "nooutput", "nooutput.json: train[0].output: missing",
                "misspelt", "misspelt.json: test: missing ('tset' is there: a misspelling?)");
        for (Map.Entry<String, String> e : bad.entrySet()) Files.writeString(dir.resolve(e.getKey() + ".json"), e.getValue());
        Files.writeString(dir.resolve("good.json"), OK);
        Path huge = dir.resolve("huge.json");
        Files.writeString(huge, "{\"train\": [" + " ".repeat(50 << 20) + "]}");

        ArcReader.Result r = new ArcReader().readDirectory(dir, dir);
        assertEquals(List.of("good"), r.tasks().stream().map(ArcTask::id).toList());
        assertEquals(bad.size() + 1, r.errors().size(), String.join("\n", r.errors()));
        for (String name : bad.keySet()) {
            String line = r.errors().stream().filter(l -> l.startsWith(name + ".json:")).findFirst().orElseThrow();
            assertTrue(line.startsWith(expected.get(name)), line);
            assertTrue(!line.contains("\n"), line);
        }
        assertTrue(r.errors().stream().anyMatch(l -> l.startsWith("huge.json: file is 50 MB")), String.join("\n", r.errors()));
    }

    /** A key named twice is refused, naming it, rather than read as whichever came last. */
    @Test
    void aKeyNamedTwiceIsRefusedNamingIt() throws Exception {
        Path twice = dir.resolve("twice.json");
        Files.writeString(twice, OK.substring(0, OK.length() - 1) + ", \"test\": [{\"input\": [[5]]}]}");
        String line = assertThrows(DataError.class, () -> new ArcReader().readTask(twice, "twice.json")).getMessage();
        assertTrue(line.startsWith("twice.json: not valid JSON at line 1, column ") && line.endsWith(": the key 'test' appears twice in one object"), line);
    }

    /**
     * Text a crafted file puts in a message (a challenges key, a file's name) cannot break it into more lines: each
     * control character is written as an escape, while the refusal of several files keeps one line per file.
     */
    @Test
    void aLineBreakInAKeyOrAFileNameStaysInItsLine() throws Exception {
        Path challenges = dir.resolve("x_challenges.json");
        Files.writeString(challenges, "{\"fake\\ntrm4j: all good\": {\"test\": [{\"input\": [[1]]}]}, \"ok\": " + OK + "}");
        DataError e = assertThrows(DataError.class, () -> new ArcReader().readChallenges(challenges).orThrow());
        assertEquals(List.of(challenges + ": fake\\u000atrm4j: all good.train: missing"), e.getMessage().lines().toList());

        Path folder = Files.createDirectory(dir.resolve("folder"));
        Files.writeString(folder.resolve("one\n.json"), "{");
        Files.writeString(folder.resolve("two\t.json"), "{");
        e = assertThrows(DataError.class, () -> new ArcReader().readDirectory(folder, folder).orThrow());
        List<String> lines = e.getMessage().lines().toList();
        assertEquals(2, lines.size(), e.getMessage());
        assertTrue(lines.get(0).startsWith("one\\u000a.json: not valid JSON"), lines.get(0));
        assertTrue(lines.get(1).startsWith("two\\u0009.json: not valid JSON"), lines.get(1));
    }

    private static String grid(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int r = 0; r < n; r++) sb.append(r == 0 ? "" : ",").append("[1]");
        return sb.append("]").toString();
    }

    /**
     * A task of more JSON tokens than one task may take is refused while it streams, before its tree
     * is built: alone in a file, and in a challenges file, where the tasks beside it are still read.
     */
    @Test
    void aTaskOfTooManyTokensIsRefusedAndItsNeighboursRead() throws Exception {
        int inputs = ArcReader.MAX_TASK_TOKENS / 8 + 1;   // {"input": [[0]]}: 8 tokens each
        StringBuilder many = new StringBuilder("{\"train\": [{\"input\": [[1]], \"output\": [[1]]}], \"test\": [");
        for (int i = 0; i < inputs; i++) many.append(i == 0 ? "" : ",").append("{\"input\": [[0]]}");
        String huge = many.append("]}").toString();
        Path file = dir.resolve("huge.json");
        Files.writeString(file, huge);
        DataError e = assertThrows(DataError.class, () -> new ArcReader().readTask(file, "huge.json"));
        String tooMany = " JSON tokens, more than the 1048576 one task may take";
        assertEquals("huge.json: " + (8L * inputs + 22) + tooMany, e.getMessage());
        assertEquals("request: " + (8L * inputs + 22) + tooMany, assertThrows(DataError.class, () -> new ArcReader().readTask(huge, "t", "request")).getMessage());

        Path challenges = dir.resolve("x_challenges.json");
        Files.writeString(challenges, "{\"a\": " + OK + ", \"big\": " + huge + ", \"c\": " + OK + "}");
        ArcReader.Result r = new ArcReader().readChallenges(challenges);
        assertEquals(List.of("a", "c"), r.tasks().stream().map(ArcTask::id).toList());
        assertEquals(1, r.bad().size());
        assertEquals("big", r.bad().get(0).id());
        assertEquals(challenges + ": big: " + (8L * inputs + 22) + tooMany, r.bad().get(0).error());
    }

    @Test
    void challengesLayoutReadsSolutionsBeside() throws Exception {
        Files.writeString(dir.resolve("x_challenges.json"), "{\"abc\": " + OK + "}");
        Files.writeString(dir.resolve("x_solutions.json"), "{\"abc\": [[[7, 7]]]}");
        List<ArcTask> tasks = new ArcReader().readChallenges(dir.resolve("x_challenges.json")).orThrow();
        assertEquals("abc", tasks.get(0).id());
        assertEquals(Grid.of(new int[][] {{7, 7}}), tasks.get(0).test().get(0).output());
    }

    /**
     * A solutions entry that is malformed or too large makes its task bad, one without an entry is
     * read without test outputs, and a solutions file that is not an object is named while the tasks
     * are still read.
     */
    @Test
    void solutionsAreCheckedPerTask() throws Exception {
        Path challenges = dir.resolve("y_challenges.json"), solutions = dir.resolve("y_solutions.json");
        Files.writeString(challenges, "{\"ok\": " + OK + ", \"bad\": " + OK + ", \"big\": " + OK + ", \"none\": " + OK + "}");
        int grids = ArcReader.MAX_TASK_TOKENS / 5 + 1;   // [[0]]: 5 tokens each
        String huge = "[" + "[[0]],".repeat(grids - 1) + "[[0]]]";
        Files.writeString(solutions, "{\"ok\": [[[7]]], \"bad\": [[[12]]], \"big\": " + huge + "}");
        ArcReader.Result r = new ArcReader().readChallenges(challenges);
        assertEquals(List.of("ok", "none"), r.tasks().stream().map(ArcTask::id).toList());
        assertEquals(Grid.of(new int[][] {{7}}), r.tasks().get(0).test().get(0).output());
        assertEquals(null, r.tasks().get(1).test().get(0).output());
        assertEquals(List.of(solutions + ": bad[0][0][0]: colour 12 is outside 0..9",
                solutions + ": big: " + (5L * grids + 2) + " JSON tokens, more than the 1048576 one task may take"), r.errors());

        Files.writeString(solutions, "[1, 2]");
        r = new ArcReader().readChallenges(challenges);
        assertEquals(4, r.tasks().size());
        assertEquals(List.of(solutions + ": expected an object {task_id: ...}"), r.errors());
    }

    /** Where the full sets are when the tests run beside a copy of them (CI); without it the tests that need them say so and skip. */
    static final Path FULL = Path.of("../shared/data");

    static void needFullSets() {
        Assumptions.assumeTrue(Files.isDirectory(FULL.resolve("arc-agi-1")), "needs the full ARC sets in " + FULL
                + " (beside the clone in CI; the sample in the jar has a few tasks of each)");
    }

    /** The full sets in ../shared/data have the counts of its README. */
    @Test
    void fullSetCountsMatchTheirReadme() {
        needFullSets();
        Path root = FULL;
        int[][] expected = {{400, 1302, 416}, {400, 1363, 419}, {1000, 3232, 1076}, {160, 427, 480}, {16, 46, 48}, {149, 528, 149}, {901, 2703, 901}};
        int i = 0;
        for (String set : ArcSets.names())
            for (ArcReader.Result r : ArcSets.read(set, root, "data.root").values()) {
                List<ArcTask> t = r.orThrow();
                int train = t.stream().mapToInt(x -> x.train().size()).sum(), test = t.stream().mapToInt(x -> x.test().size()).sum();
                assertEquals(List.of(expected[i][0], expected[i][1], expected[i][2]), List.of(t.size(), train, test), set);
                i++;
            }
        assertEquals(7, i);
    }

    /** The ARC-AGI-1 training mix is the reference's 960 tasks; the 400 evaluation tasks keep their test pairs apart. */
    @Test
    void theArcAgi1MixIsTheReferences960Tasks() {
        needFullSets();
        List<ArcSets.MixTask> mix = ArcSets.mix("arc-agi-1", FULL, "data.root");
        assertEquals(960, mix.size());
        assertEquals(400, mix.stream().filter(ArcSets.MixTask::testHeldOut).count());
    }
}
