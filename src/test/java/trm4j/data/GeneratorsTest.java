package trm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.config.DataConfig;

/** Every generator checked by an independent solver written here. */
class GeneratorsTest {
    @TempDir Path dir;

    /** Plain backtracking in cell order (no candidate ordering), counting solutions up to 2. */
    private static int countSolutions(int[] g, int n, int br, int bc, int from) {
        int i = from;
        while (i < n * n && g[i] != 0) i++;
        if (i == n * n) return 1;
        int count = 0;
        for (int d = 1; d <= n && count < 2; d++) {
            boolean ok = true;
            for (int j = 0; j < n * n && ok; j++) {
                if (g[j] != d) continue;
                boolean sameBox = j / n / br == i / n / br && j % n / bc == i % n / bc;
                ok = j / n != i / n && j % n != i % n && !sameBox;
            }
            if (!ok) continue;
            g[i] = d;
            count += countSolutions(g, n, br, bc, i + 1);
            g[i] = 0;
        }
        return count;
    }

    @Test
    void everySudokuHasExactlyOneSolutionAndItIsTheLabel() {
        for (int[] shape : new int[][] {{4, 2, 2}, {6, 2, 3}, {9, 3, 3}}) {
            int n = shape[0];
            PuzzleSet set = new Sudoku(n).generate(n == 9 ? 8 : 30, 5, 0, 0);
            for (int k = 0; k < set.size(); k++) {
                int[] g = new int[n * n];
                for (int i = 0; i < n * n; i++) g[i] = set.inputs()[k][i] - 1;   // token -> digit, blank 0
                assertEquals(1, countSolutions(g.clone(), n, shape[1], shape[2], 0), n + "x" + n + " puzzle " + k);
                for (int i = 0; i < n * n; i++) {
                    int label = set.labels()[k][i] - 1;
                    assertTrue(label >= 1 && label <= n);
                    if (g[i] != 0) assertEquals(g[i], label, "the label keeps the clues");
                    g[i] = label;
                }
                assertEquals(1, countSolutions(g, n, shape[1], shape[2], 0), "the label is a solution");
                assertTrue(PuzzleKinds.SUDOKU.validity().test(set.inputs()[k], set.labels()[k]), "the kind's rules accept the label");
            }
        }
    }

    @Test
    void sudokuAugmentationKeepsPuzzleAndSolutionConsistent() {
        Sudoku s = new Sudoku(9);
        Random rnd = new Random(2);
        byte[][] ps = s.puzzle(rnd, 30, 0);
        for (int k = 0; k < 20; k++) {
            Symmetry sym = s.symmetry(rnd);
            byte[][] aug = {Sudoku.digits(sym.apply(Sudoku.tokens(ps[0]))), Sudoku.digits(sym.apply(Sudoku.tokens(ps[1])))};
            byte[] sol = new byte[81];
            assertEquals(1, s.solve(aug[0], 2, sol)[0]);
            assertArrayEquals(aug[1], sol);
        }
    }

    @Test
    void everyMazeLabelIsAShortestPathFromStartToGoal() {
        PuzzleSet set = Maze.generate(6, 9, 30, 111);   // Maze-Hard: shortest paths longer than 110
        for (int k = 0; k < set.size(); k++) {
            byte[] in = set.inputs()[k], label = set.labels()[k];
            int s = indexOf(in, Maze.START), g = indexOf(in, Maze.GOAL);
            int[] dist = bfs(in, 30, s);
            assertTrue(dist[g] > 110, "shortest path " + dist[g]);
            int pathCells = 0;
            for (int i = 0; i < in.length; i++) {
                if (label[i] == Maze.PATH) { pathCells++; assertEquals(Maze.OPEN, in[i]); }
                else assertEquals(in[i], label[i]);
            }
            assertEquals(dist[g] - 1, pathCells, "as many path cells as a shortest path has between S and G");
            // and they connect S to G: walking on path cells alone reaches G in the same distance
            byte[] only = new byte[in.length];
            Arrays.fill(only, Maze.WALL);
            for (int i = 0; i < in.length; i++) if (label[i] == Maze.PATH || i == s || i == g) only[i] = Maze.OPEN;
            assertEquals(dist[g], bfs(only, 30, s)[g]);
            assertTrue(Maze.isShortestPath(in, label, 30));
            for (int d = 0; d < 8; d++)   // the dihedral augmentations keep it a shortest path
                assertTrue(Maze.isShortestPath(Maze.dihedral(in, 30, d), Maze.dihedral(label, 30, d), 30), "transform " + d);
            byte[] broken = label.clone();
            broken[indexOf(label, Maze.PATH)] = Maze.OPEN;
            assertFalse(Maze.isShortestPath(in, broken, 30));
        }
    }

    /** Every side's default least path draws mazes that keep it, in a handful of tries: a maze preset resized with --set size=N just works. */
    @Test
    void everySideDrawsMazesWithItsDefaultLeastPath() {
        for (int n = 5; n <= 30; n++) {
            int least = DataConfig.Maze.defaultMinPath(n);
            PuzzleSet set = Maze.generate(20, n, n, least);
            for (byte[] in : set.inputs()) assertTrue(bfs(in, n, indexOf(in, Maze.START))[indexOf(in, Maze.GOAL)] >= least, n + "x" + n);
        }
    }

    private static int[] bfs(byte[] g, int n, int from) {
        int[] d = new int[n * n];
        Arrays.fill(d, -1);
        d[from] = 0;
        ArrayDeque<Integer> q = new ArrayDeque<>(List.of(from));
        while (!q.isEmpty()) {
            int c = q.poll(), r = c / n, col = c % n;
            int[][] nbs = {{r - 1, col}, {r + 1, col}, {r, col - 1}, {r, col + 1}};
            for (int[] nb : nbs) {
                if (nb[0] < 0 || nb[1] < 0 || nb[0] >= n || nb[1] >= n) continue;
                int j = nb[0] * n + nb[1];
                if (g[j] != Maze.WALL && d[j] < 0) { d[j] = d[c] + 1; q.add(j); }
            }
        }
        return d;
    }

    private static int indexOf(byte[] a, byte v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        return -1;
    }

    @Test
    void everyNQueensLabelIsAValidSolutionExtendingItsPuzzle() {
        PuzzleSet train = NQueens.generate(7200, 1, Set.of());
        assertEquals(92, NQueens.solutions(8).size());
        Set<String> inputs = new HashSet<>();
        for (int k = 0; k < train.size(); k++) {
            byte[] in = train.inputs()[k], label = train.labels()[k];
            int given = 0, queens = 0;
            for (int i = 0; i < 64; i++) {
                if (in[i] == NQueens.QUEEN) { given++; assertEquals(NQueens.QUEEN, label[i]); }
                if (label[i] == NQueens.QUEEN) queens++;
            }
            assertTrue(given >= 1 && given <= 7);
            assertEquals(8, queens);
            for (int a = 0; a < 64; a++)
                for (int b = a + 1; b < 64; b++)
                    if (label[a] == NQueens.QUEEN && label[b] == NQueens.QUEEN) {
                        int ra = a / 8, ca = a % 8, rb = b / 8, cb = b % 8;
                        assertTrue(ra != rb && ca != cb && Math.abs(ra - rb) != Math.abs(ca - cb), "queens attack");
                    }
            assertTrue(NQueens.isValidCompletion(in, label));
            assertTrue(inputs.add(NQueens.key(in)), "puzzles are distinct");
        }
        PuzzleSet test = NQueens.generate(200, 2, inputs);
        for (byte[] in : test.inputs()) assertFalse(inputs.contains(NQueens.key(in)), "test puzzles are not training puzzles");
        assertFalse(NQueens.isValidCompletion(train.inputs()[0], train.inputs()[0]), "an unfinished board is not a completion");
    }

    /** 8x8 N-Queens has so many puzzles and no more: all of them can be drawn, one more is refused in a line naming the field. */
    @Test
    void nQueensHasAFiniteNumberOfPuzzles() {
        int counted = 0;   // counted apart from the generator: per set of given rows, the distinct column tuples the 92 solutions put there
        List<int[]> sols = NQueens.solutions(8);
        for (int rows = 1; rows < 255; rows++) {
            Set<String> tuples = new HashSet<>();
            for (int[] sol : sols) {
                StringBuilder t = new StringBuilder();
                for (int r = 0; r < 8; r++) if ((rows >> r & 1) == 1) t.append(sol[r]);
                tuples.add(t.toString());
            }
            counted += tuples.size();
        }
        int distinct = counted;
        PuzzleSet all = NQueens.generate(distinct, 5, Set.of());
        assertEquals(distinct, Arrays.stream(all.inputs()).map(NQueens::key).distinct().count(), "every puzzle there is, once");
        assertEquals("nqueens: " + (distinct + 1) + " distinct puzzles asked, but 8x8 N-Queens has " + distinct + " (1 to 7 queens of one of its 92 solutions); ask for fewer",
                assertThrows(DataError.class, () -> NQueens.generate(distinct + 1, 5, Set.of())).getMessage());
        Set<String> train = new HashSet<>();
        for (byte[] in : NQueens.generate(distinct - 10, 5, Set.of()).inputs()) train.add(NQueens.key(in));
        assertEquals("nqueens test: 11 distinct puzzles asked beside the " + (distinct - 10) + " of the splits drawn before, but 8x8 N-Queens has " + distinct
                + " (1 to 7 queens of one of its 92 solutions); lower data.train, data.test or data.validation",
                assertThrows(DataError.class, () -> NQueens.generate("test", 11, 6, train)).getMessage());
    }

    @Test
    void theSameSeedGivesTheSameBytesAndFilesRoundTrip() throws Exception {
        Path a = dir.resolve("a.set"), b = dir.resolve("b.set");
        new Sudoku(4).generate(20, 9, 0, 0).write(a);
        new Sudoku(4).generate(20, 9, 0, 0).write(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        PuzzleSet back = PuzzleSet.read(a);
        assertEquals(20, back.size());
        assertEquals(6, back.vocab());
        byte[] bytes = Files.readAllBytes(a);
        Files.write(b, Arrays.copyOf(bytes, bytes.length - 3));
        DataError e = Assertions.assertThrows(DataError.class, () -> PuzzleSet.read(b));
        assertTrue(e.getMessage().startsWith(b + ": "), e.getMessage());
    }
}
