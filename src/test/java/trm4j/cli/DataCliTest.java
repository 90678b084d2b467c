package trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.data.PuzzleSet;

class DataCliTest {
    @TempDir Path dir;

    @Test
    void showDrawsATaskAsAPngAndInTheTerminal() throws Exception {
        Path task = dir.resolve("t.json");
        Files.writeString(task, "{\"train\": [{\"input\": [[1, 2], [3, 4]], \"output\": [[4]]}], \"test\": [{\"input\": [[0]], \"output\": [[9]]}]}");
        Path png = dir.resolve("t.png");
        assertEquals(0, CliTest.run("data", "show", task.toString(), "--png", png.toString()).status());
        BufferedImage img = ImageIO.read(png.toFile());
        // The first input cell is colour 1, ARC blue, at the top-left margin.
        assertEquals(0x0074D9, img.getRGB(16 + 5, 16 + 5) & 0xFFFFFF);
        // Into a pipe (as here: no terminal) the grid is written in digits, without colour codes.
        CliTest.Run r = CliTest.run("data", "show", task.toString());
        assertTrue(r.out().contains("  1 2    4 \n  3 4"), r.out());
        assertTrue(!r.out().contains("\u001b"), r.out());
    }

    /** A least search effort that generation cannot meet is said, with how many puzzles fell short; one it meets is not. */
    @Test
    void anEffortNotMetIsSaid() throws Exception {
        Path set = dir.resolve("hard.bin");
        CliTest.Run r = CliTest.run("data", "generate", "sudoku", "--size", "4", "--count", "2", "--min-effort", "100000", "--out", set.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().strip().matches("trm4j: 2 of 2 puzzles need fewer than --min-effort 100000 search nodes \\(the hardest \\d+\\): "
                + "no harder one turned up in the 1001 draws each gets"), r.err());
        CliTest.Run met = CliTest.run("data", "generate", "sudoku", "--size", "4", "--count", "2", "--min-effort", "1", "--out", set.toString());
        assertEquals("", met.err().strip());
    }

    /** A puzzle set whose header is not JSON is named in one line, the place in the header, not the parser's own words. */
    @Test
    void aDamagedHeaderIsOneLine() throws Exception {
        Path set = dir.resolve("damaged.bin");
        assertEquals(0, CliTest.run("data", "generate", "sudoku", "--size", "4", "--count", "2", "--out", set.toString()).status());
        byte[] b = Files.readAllBytes(set);
        int brace = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf('{', 12);   // after the mark and the header's length
        b[brace + 1] = 'x';   // {xkind": ...
        Files.write(set, b);
        CliTest.Run r = CliTest.run("data", "show", set.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("trm4j: " + set + ": header: not valid JSON at line 1, column 2: Unexpected character ('x'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    /** A generated set shows its puzzles beside their answers, in the values a request gives: checked against the set read back. */
    @Test
    void showPrintsAPuzzleSetsFirstPuzzles() throws Exception {
        Path set = dir.resolve("s.bin");
        assertEquals(0, CliTest.run("data", "generate", "sudoku", "--size", "4", "--min-clues", "8", "--count", "5", "--out", set.toString()).status());
        CliTest.Run r = CliTest.run("data", "show", set.toString(), "--puzzles", "1");
        assertEquals(0, r.status(), r.err());
        PuzzleSet read = PuzzleSet.read(set);
        StringBuilder first = new StringBuilder("  board     answer\n");
        for (int row = 0; row < 4; row++) {
            first.append(' ');
            for (byte[] board : new byte[][] {read.inputs()[0], read.labels()[0]}) {
                for (int c = 0; c < 4; c++) first.append(' ').append(board[row * 4 + c] == 1 ? "." : board[row * 4 + c] - 1);   // tokens are values + 1
                first.append("  ");
            }
            first.setLength(first.length() - 2);
            first.append('\n');
        }
        assertEquals(set + ": 5 sudoku puzzles, 4x4; values: 0 for an empty cell, else the digit 1..4 ('.' shows 0)\n\npuzzle 1:\n" + first, r.out());
        Path boards = Files.writeString(dir.resolve("boards.txt"), "# a board\n1 0 0 4\n");
        CliTest.Run text = CliTest.run("data", "show", boards.toString());
        assertEquals("trm4j: " + boards + ": neither an ARC task (a JSON object) nor a puzzle set from 'trm4j data generate' (a text file of boards "
                + "is answered by 'trm4j solve --checkpoint RUN " + boards + "')", text.err().strip());
        CliTest.Run png = CliTest.run("data", "show", set.toString(), "--png", dir.resolve("x.png").toString());
        assertEquals(2, png.status());
        assertTrue(png.err().contains("--png draws an ARC task; " + set + " is a puzzle set"), png.err());
    }

    @Test
    void generateWritesTheSameBytesForTheSameSeed() throws Exception {
        for (String kind : new String[] {"nqueens", "sudoku", "maze"}) {
            Path a = dir.resolve(kind + "a"), b = dir.resolve(kind + "b");
            String[] size = kind.equals("maze") ? new String[] {"--size", "15"} : kind.equals("sudoku") ? new String[] {"--size", "6"} : new String[0];
            for (Path f : new Path[] {a, b}) {
                String[] args = concat(new String[] {"data", "generate", kind, "--count", "5", "--seed", "3", "--out", f.toString()}, size);
                assertEquals(0, CliTest.run(args).status(), kind);
            }
            Assertions.assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), kind);
        }
    }

    @Test
    void statsReportsBadFilesOneLineEachWithStatus2() throws Exception {
        Path root = dir.resolve("data");
        Files.createDirectories(root.resolve("mini-arc/MiniARC"));
        Files.writeString(root.resolve("mini-arc/MiniARC/a.json"), "{\"train\": [{\"input\": [[1, 2], [3]], \"output\": [[4]]}], \"test\": [{\"input\": [[0]]}]}");
        Files.writeString(root.resolve("mini-arc/MiniARC/b.json"), "{\"train\": [{\"input\": [[1]], \"output\": [[4]]}], \"test\": [{\"input\": [[0]]}]}");
        CliTest.Run r = CliTest.run("data", "stats", "mini-arc", "--root", root.toString());
        assertEquals(2, r.status());
        assertTrue(r.out().contains("mini-arc/MiniARC                  1"), r.out());
        assertTrue(r.err().contains("trm4j: mini-arc/MiniARC/a.json: train[0].input[1]: 1 cell, expected 2 as in row 0"), r.err());
        assertEquals(2, CliTest.run("data", "generate", "chess", "--count", "1", "--out", dir.resolve("x").toString()).status());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
