package trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public Sudoku-Extreme and Maze-Hard CSV layouts, written here from generated puzzles. */
class CsvReadersTest {
    @TempDir Path dir;

    @Test
    void sudokuExtremeCsvReadsIntoTheSameTokens() throws Exception {
        Sudoku s = new Sudoku(9);
        byte[][] p = s.puzzle(new Random(1), 0, 0);
        StringBuilder q = new StringBuilder(), a = new StringBuilder();
        for (int i = 0; i < 81; i++) {
            q.append(p[0][i] == 0 ? "." : String.valueOf(p[0][i]));
            a.append(p[1][i]);
        }
        Path f = dir.resolve("s.csv");
        Files.writeString(f, "source,question,answer,rating\nx," + q + "," + a + ",3\n");
        PuzzleSet set = Sudoku.readCsv(f);
        assertEquals(1, set.size());
        Assertions.assertArrayEquals(Sudoku.tokens(p[0]), set.inputs()[0]);
        Assertions.assertArrayEquals(Sudoku.tokens(p[1]), set.labels()[0]);
        Files.writeString(f, "source,question,answer,rating\nx," + q.substring(1) + "," + a + ",3\n");
        DataError e = assertThrows(DataError.class, () -> Sudoku.readCsv(f));
        assertTrue(e.getMessage().contains("line 2: question has 80 cells, expected 81"), e.getMessage());
    }

    @Test
    void mazeHardCsvReadsIntoTheSameTokens() throws Exception {
        byte[][] m = Maze.generate(12, 20, new Random(4));
        String chars = "?# SGo";
        StringBuilder q = new StringBuilder(), a = new StringBuilder();
        for (int i = 0; i < 144; i++) {
            q.append(chars.charAt(m[0][i]));
            a.append(chars.charAt(m[1][i]));
        }
        Path f = dir.resolve("m.csv");
        Files.writeString(f, "source,question,answer,rating\nx," + q + "," + a + ",0\n");
        PuzzleSet set = Maze.readCsv(f);
        assertEquals(12, set.rows());
        Assertions.assertArrayEquals(m[0], set.inputs()[0]);
        Assertions.assertArrayEquals(m[1], set.labels()[0]);
        assertTrue(Maze.isShortestPath(set.inputs()[0], set.labels()[0], 12));
    }
}
