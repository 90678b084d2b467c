package trm4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.config.DataConfig;
import trm4j.config.Presets;

/**
 * The Sudoku boards the README, the docs, the javadoc and the examples show: each has exactly one
 * solution (an independent solver counts them), is of the kind the demo trains on, and the demo
 * preset's model answers it with that solution.
 */
class DocBoardsTest {
    private static final Pattern BOARD = Pattern.compile("\\{\\{[0-9, ]+}(, \\{[0-9, ]+})+}");

    /** Every board literal of the files a reader sees, by where it is. */
    static Map<String, int[][]> boards() throws Exception {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md"), Path.of("src/main/java/trm4j/api/Model.java")));
        try (Stream<Path> docs = Files.list(Path.of("docs")); Stream<Path> examples = Files.walk(Path.of("examples/src"))) {
            docs.filter(f -> f.toString().endsWith(".md")).forEach(files::add);
            examples.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
        }
        Map<String, int[][]> out = new LinkedHashMap<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = BOARD.matcher(lines.get(i));
                while (m.find()) out.put(f + ":" + (i + 1), parse(m.group()));
            }
        }
        return out;
    }

    private static int[][] parse(String literal) {
        String[] rows = literal.substring(2, literal.length() - 2).split("}, \\{");
        int[][] b = new int[rows.length][];
        for (int r = 0; r < rows.length; r++) b[r] = Stream.of(rows[r].split(", ")).mapToInt(Integer::parseInt).toArray();
        return b;
    }

    @Test
    void everyBoardShownHasOneSolutionAndIsOfTheKindTheDemoTrainsOn() throws Exception {
        Map<String, int[][]> boards = boards();
        assertTrue(boards.keySet().stream().anyMatch(k -> k.startsWith("README.md")) && boards.keySet().stream().anyMatch(k -> k.startsWith("docs/LIBRARY.md"))
                && boards.keySet().stream().anyMatch(k -> k.contains("SolveSudoku")), "the README's, LIBRARY.md's and the example's: " + boards.keySet());
        DataConfig.Sudoku demo = (DataConfig.Sudoku) Presets.dataOf(Presets.load("demo", Map.of()), "demo");
        for (Map.Entry<String, int[][]> e : boards.entrySet()) {
            int[][] b = e.getValue();
            assertEquals(demo.size(), b.length, e.getKey());
            assertEquals(1, solutions(b, 2).size(), e.getKey() + ": one solution");
            long givens = Stream.of(b).flatMapToInt(java.util.Arrays::stream).filter(v -> v != 0).count();
            assertTrue(givens >= demo.minClues(), e.getKey() + ": " + givens + " givens; the demo trains on boards with at least " + demo.minClues());
        }
        int[][] twoWays = {{1, 0, 0, 4}, {0, 4, 1, 0}, {4, 0, 0, 1}, {0, 1, 4, 0}};
        assertEquals(2, solutions(twoWays, 3).size(), "the solver finds every solution of a board that has two");
    }

    /**
     * The demo preset's model, trained here as {@code ./trm4j demo} trains it (a few minutes on 2 cores; or
     * {@code -Dtrm4j.demo.model=runs/demo/model.safetensors} names one), answers every board with its one solution.
     */
    @Test
    @Tag("slow")
    void theDemoModelAnswersEveryBoardRight(@TempDir Path dir) throws Exception {
        String given = System.getProperty("trm4j.demo.model");
        Path model = given != null ? Path.of(given) : Training.prepare(TrainingSpec.of("demo", dir.resolve("demo"))).run().model();
        try (Model m = Model.load(model)) {
            for (Map.Entry<String, int[][]> e : boards().entrySet()) {
                Solution s = m.solve(e.getValue());
                assertArrayEquals(solutions(e.getValue(), 2).get(0), s.answer(), e.getKey());
                assertEquals(Boolean.TRUE, s.valid(), e.getKey() + ": the rules accept the answer");
            }
        }
    }

    /** Up to {@code most} solutions of a square Sudoku of side 4, 6 or 9 (boxes 2x2, 2x3, 3x3), by plain backtracking over the rules. */
    static List<int[][]> solutions(int[][] board, int most) {
        int n = board.length, boxRows = n == 6 ? 2 : (int) Math.sqrt(n), boxCols = n / boxRows;
        int[][] b = new int[n][];
        for (int r = 0; r < n; r++) b[r] = board[r].clone();
        List<int[][]> out = new ArrayList<>();
        fill(b, 0, boxRows, boxCols, most, out);
        return out;
    }

    private static void fill(int[][] b, int cell, int boxRows, int boxCols, int most, List<int[][]> out) {
        int n = b.length;
        if (out.size() >= most) return;
        if (cell == n * n) {
            int[][] copy = new int[n][];
            for (int r = 0; r < n; r++) copy[r] = b[r].clone();
            out.add(copy);
            return;
        }
        int r = cell / n, c = cell % n;
        if (b[r][c] != 0) {
            if (allowed(b, r, c, b[r][c], boxRows, boxCols)) fill(b, cell + 1, boxRows, boxCols, most, out);
            return;
        }
        for (int v = 1; v <= n; v++) {
            if (!allowed(b, r, c, v, boxRows, boxCols)) continue;
            b[r][c] = v;
            fill(b, cell + 1, boxRows, boxCols, most, out);
            b[r][c] = 0;
        }
    }

    /** Whether v at (r, c) repeats no other cell's digit in its row, column or box. */
    private static boolean allowed(int[][] b, int r, int c, int v, int boxRows, int boxCols) {
        for (int i = 0; i < b.length; i++)
            if ((i != c && b[r][i] == v) || (i != r && b[i][c] == v)) return false;
        int r0 = r / boxRows * boxRows, c0 = c / boxCols * boxCols;
        for (int i = r0; i < r0 + boxRows; i++)
            for (int j = c0; j < c0 + boxCols; j++)
                if ((i != r || j != c) && b[i][j] == v) return false;
        return true;
    }
}
