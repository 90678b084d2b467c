package trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import trm4j.api.Model;
import trm4j.api.Puzzle;
import trm4j.api.Solution;
import trm4j.data.Boards;
import trm4j.data.PuzzleSet;

/** solve on a puzzle model: boards from a text file, a puzzle set or generated, answered as the library answers them. */
class SolveBoardsTest {
    @TempDir static Path dir;
    static Path run;

    @BeforeAll
    static void train() {
        run = dir.resolve("run");
        CliTest.Run t = CliTest.run("train", "--preset", "demo", "--out", run.toString(), "--set", "steps=6", "--set", "data.train=200",
                "--set", "data.test=20", "--set", "eval_every=0", "--set", "batch=16");
        assertEquals(0, t.status(), t.err());
    }

    private static int[][] board(JsonNode n) {
        int[][] b = new int[n.size()][];
        for (int r = 0; r < b.length; r++) {
            b[r] = new int[n.get(r).size()];
            for (int c = 0; c < b[r].length; c++) b[r][c] = n.get(r).get(c).asInt();
        }
        return b;
    }

    /** Both ways of writing a board read as the hand-written grid, and each is answered as Model.solve answers it. */
    @Test
    void aTextFilesBoardsAreReadAndAnsweredAsTheLibraryAnswersThem() throws Exception {
        int[][] first = {{1, 0, 0, 4}, {0, 0, 1, 0}, {0, 1, 0, 0}, {4, 0, 0, 1}}, second = {{0, 2, 0, 0}, {0, 0, 0, 2}, {3, 0, 0, 0}, {0, 0, 4, 0}};
        Path file = dir.resolve("boards.txt");
        Files.writeString(file, "\uFEFF# a comment line\r\n1 0 0 4\r\n. . 1 .   # a comment after a row\r\n  # a comment between rows\r\n0,1,0,0\r\n4001\r\n\r\n\r\n"
                + ".2.....23.....4.\r\n");
        Path out = dir.resolve("answers.json");
        CliTest.Run s = CliTest.run("solve", "--checkpoint", run.toString(), file.toString(), "--trace", "--out", out.toString());
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().contains(file + ", line 2: "), s.out());
        assertTrue(s.out().contains(file + ", line 9: "), s.out());
        assertTrue(s.out().contains("step 6"), "--trace shows each of the 6 supervision steps: " + s.out());
        JsonNode answers = new ObjectMapper().readTree(out.toFile()).get("answers");
        assertEquals(2, answers.size());
        try (Model model = Model.load(run.resolve("model.safetensors"))) {
            int k = 0;
            List<String> firstRows = List.of("1 . . 4", ". 2 . .");   // as printed: an empty cell as '.', which a boards file reads as 0
            for (int[][] b : List.of(first, second)) {
                String row = firstRows.get(k);
                JsonNode a = answers.get(k++);
                assertArrayEquals(b, board(a.get("board")));
                Solution expected = model.solve(b);
                assertArrayEquals(expected.answer(), board(a.get("answer")));
                assertEquals(expected.valid(), a.get("valid").asBoolean());
                assertEquals(6, a.get("steps").size());
                assertTrue(s.out().lines().anyMatch(l -> l.startsWith("  " + row + "  ")), s.out());
            }
        }
    }

    /** Generated puzzles and a puzzle set's come with their answers: each answer is compared with it, and the count is said. */
    @Test
    void generatedPuzzlesAndPuzzleSetsAreCheckedAgainstTheirAnswers() throws Exception {
        Path out = dir.resolve("generated.json");
        CliTest.Run g = CliTest.run("solve", "--checkpoint", run.toString(), "--generate", "2", "--out", out.toString());
        assertEquals(0, g.status(), g.err());
        JsonNode answers = new ObjectMapper().readTree(out.toFile()).get("answers");
        int equal = 0;
        try (Model model = Model.load(run.resolve("model.safetensors"))) {
            for (int n = 0; n < 2; n++) {
                int i = n;
                Puzzle p = model.samplePuzzle(i);
                assertArrayEquals(p.board(), board(answers.get(i).get("board")));
                assertArrayEquals(p.answer(), board(answers.get(i).get("known")));
                boolean same = Arrays.deepEquals(p.answer(), board(answers.get(i).get("answer")));
                equal += same ? 1 : 0;
                String line = g.out().lines().filter(l -> l.startsWith("puzzle " + (i + 1) + " (seed " + i + "): ")).findFirst().orElseThrow();
                assertTrue(line.contains(same ? "equals the known answer" : "differs from the known answer"), line);
            }
        }
        assertTrue(g.out().contains(equal + " of 2 equal their known answers"), g.out());

        Path set = dir.resolve("set.bin");
        assertEquals(0, CliTest.run("data", "generate", "sudoku", "--size", "4", "--min-clues", "8", "--count", "3", "--seed", "5", "--out", set.toString()).status());
        Path setOut = dir.resolve("set.json");
        CliTest.Run s = CliTest.run("solve", "--checkpoint", run.toString(), set.toString(), "--out", setOut.toString());
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().contains(set + ", puzzle 3: "), s.out());
        PuzzleSet read = PuzzleSet.read(set);
        JsonNode known = new ObjectMapper().readTree(setOut.toFile()).get("answers").get(2).get("known");
        assertArrayEquals(Boards.decode(read.kind(), read.labels()[2], 4), board(known));
    }

    /** A mistake in a board names the file, the line and what is wrong; an ARC-only flag names itself; nothing is answered. */
    @Test
    void badBoardsAndArcFlagsAreOneLine() throws Exception {
        String[][] cases = {
                {"{\"train\": [{\"input\": [[1]]}]}\n", ": JSON (an ARC task is answered by an ARC model), not a boards file: this model's 4x4 boards are "
                        + "written as 4 lines of 4 cells, a blank line between boards"},
                {" [[1, 0, 0, 4]]\n", ": JSON, not a boards file: this model's 4x4 boards are written as 4 lines of 4 cells"},
                {"1 0 0 4\n0\n", ": line 2 has 1 cell;"},
                {"1 0 0 4\n0 0 1\n", ": line 2 has 3 cells; this model's boards are 4x4 (a row of 4 cells, or a whole board of 16 on one line)"},
                {"1 0 0 4\n0 0 1 0\n", ": the board on line 1 has 2 rows; this model's boards are 4x4 (a blank line between boards)"},
                {"1 0 0 x\n", ": line 1: 'x' is not a cell (a number, or '.' for 0)"},
                {"# nothing\n", ": no board in it (a board is 4 lines of 4 cells)"},
                {"1 0 0 4\n0 0 1 0\n1004001000000000\n", ": line 3 is a whole board, but the board on line 1 has only 2 of its 4 rows (a blank line between boards)"},
                {"1 0 0 4\n0 0 1 0\n0\u00A00\u00A00\u00A099999\n", ": line 3: 99999 is out of range for a cell"},
                {"0000000000000000\n\n7 0 0 0\n0 0 0 0\n0 0 0 0\n0 0 0 0\n", ", line 3: row 1, column 1: 7 is not a sudoku cell (0..4)"}};
        for (String[] c : cases) {
            Path file = Files.writeString(dir.resolve("bad.txt"), c[0]);
            CliTest.Run s = CliTest.run("solve", "--checkpoint", run.toString(), file.toString());
            assertEquals(2, s.status(), s.err());
            String said = s.err().strip();
            assertTrue(said.startsWith("trm4j: " + file) && said.contains(c[1]), said);
            assertEquals(1, said.lines().count(), said);
            assertEquals("", s.out());
        }
        Files.writeString(dir.resolve("utf16.txt"), "1 0 0 4", java.nio.charset.StandardCharsets.UTF_16);
        assertEquals("trm4j: " + dir.resolve("utf16.txt") + ": UTF-16 text; save it as UTF-8 or ASCII",
                CliTest.run("solve", "--checkpoint", run.toString(), dir.resolve("utf16.txt").toString()).err().strip());
        CliTest.Run halt = CliTest.run("solve", "--checkpoint", run.toString(), "--select", "halt");
        assertEquals("trm4j: --select: 'halt' needs a halting head, and a DIS model has none (vote or confidence)", halt.err().strip());
        assertEquals("", halt.out());
        // Samples that cannot differ are warned of only once the options pass: a refusal stays the one line printed.
        for (String command : List.of("solve", "eval")) {
            CliTest.Run alike = CliTest.run(command, "--checkpoint", run.toString(), "--select", "halt", "--samples", "2");
            assertEquals(2, alike.status(), alike.err());
            assertEquals("trm4j: --select: 'halt' needs a halting head, and a DIS model has none (vote or confidence)", alike.err().strip());
        }
        assertTrue(CliTest.run("solve", "--checkpoint", run.toString(), "--generate", "1", "--samples", "2").err()
                .contains("trm4j: --samples 2 without --noise or --augment: every sample follows the same trajectory"));
        CliTest.Run evalFile = CliTest.run("eval", "--checkpoint", run.toString(), "--set", "test_file=" + dir.resolve("set.bin"));
        assertEquals(2, evalFile.status());
        assertTrue(evalFile.err().strip().endsWith("answers a puzzle set of its kind and counts the answers equal to the set's"), evalFile.err());
        CliTest.Run steps = CliTest.run("solve", "--checkpoint", run.toString(), "--steps", "3");
        assertEquals("trm4j: --steps: for an ARC model; " + run + " answers sudoku boards", steps.err().strip());
        CliTest.Run both = CliTest.run("solve", "--checkpoint", run.toString(), dir.resolve("bad.txt").toString(), "--generate", "2");
        assertEquals("trm4j: --generate: answers generated puzzles instead of BOARDS; give one or the other", both.err().strip());
    }
}
