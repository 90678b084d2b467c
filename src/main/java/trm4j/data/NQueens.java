package trm4j.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;


/**
 * N-Queens completion (DIS paper): an 8x8 board with 1..7 queens of some solution placed; the
 * label is that full solution. Tokens: PAD 0, empty 1, queen 2. Other completions may be valid
 * too: {@link #isValidCompletion} scores any of them.
 */
public final class NQueens {
    public static final int N = 8;
    public static final byte EMPTY = 1, QUEEN = 2;

    private NQueens() {}

    /** How many distinct puzzles there are: boards with the queens of a solution on 1 to 7 of its rows, told apart by the board. */
    private static final class Distinct {
        static final int COUNT = count();

        private static int count() {
            Set<String> boards = new HashSet<>();
            for (int[] sol : solutions(N))
                for (int rows = 1; rows < (1 << N) - 1; rows++) {
                    byte[] in = new byte[N * N];
                    Arrays.fill(in, EMPTY);
                    for (int r = 0; r < N; r++) if ((rows >> r & 1) == 1) in[r * N + sol[r]] = QUEEN;
                    boards.add(key(in));
                }
            return boards.size();
        }
    }

    /** All solutions, each as queen column per row. */
    public static List<int[]> solutions(int n) {
        List<int[]> out = new ArrayList<>();
        place(new int[n], 0, out);
        return out;
    }

    private static void place(int[] cols, int row, List<int[]> out) {
        int n = cols.length;
        if (row == n) {
            out.add(cols.clone());
            return;
        }
        for (int c = 0; c < n; c++) {
            boolean ok = true;
            for (int r = 0; r < row && ok; r++) ok = cols[r] != c && Math.abs(cols[r] - c) != row - r;
            if (ok) {
                cols[row] = c;
                place(cols, row + 1, out);
            }
        }
    }

    /**
     * {@code count} distinct puzzles (by input board), skipping those in {@code exclude} (e.g. the
     * training inputs when drawing a test set).
     */
    public static PuzzleSet generate(int count, long seed, Set<String> exclude) {
        return generate("set", count, seed, exclude);
    }

    /** The same for a run's {@code split} (train, test, validation): a DataError naming the splits' fields when too many are asked. */
    public static PuzzleSet generate(String split, int count, long seed, Set<String> exclude) {
        int left = Distinct.COUNT - exclude.size();   // the excluded are puzzles too
        String fewer = split.equals("set") ? "ask for fewer" : "lower data.train, data.test or data.validation";
        if (count > left)
            throw new DataError("nqueens" + (split.equals("set") ? "" : " " + split) + ": " + count + " distinct puzzles asked"
                    + (exclude.isEmpty() ? "" : " beside the " + exclude.size() + " of the splits drawn before") + ", but 8x8 N-Queens has "
                    + Distinct.COUNT + " (1 to 7 queens of one of its 92 solutions); " + fewer);
        List<int[]> sols = solutions(N);
        Random rnd = new Random(seed);
        Set<String> seen = new HashSet<>(exclude);
        List<byte[]> inputs = new ArrayList<>(), labels = new ArrayList<>();
        long attempts = 0;
        while (inputs.size() < count) {
            if (++attempts > 100L * count + 100_000)   // drawn at random, the last few of nearly all may take long to find
                throw new DataError("nqueens" + (split.equals("set") ? "" : " " + split) + ": only " + inputs.size() + " of " + count
                        + " distinct puzzles were found in " + (attempts - 1) + " draws (8x8 N-Queens has " + Distinct.COUNT + "); " + fewer);
            int[] sol = sols.get(rnd.nextInt(sols.size()));
            int k = 1 + rnd.nextInt(N - 1);   // 1..7 queens given
            List<Integer> rows = new ArrayList<>();
            for (int r = 0; r < N; r++) rows.add(r);
            Collections.shuffle(rows, rnd);
            byte[] in = new byte[N * N], label = new byte[N * N];
            Arrays.fill(in, EMPTY);
            Arrays.fill(label, EMPTY);
            for (int r = 0; r < N; r++) label[r * N + sol[r]] = QUEEN;
            for (int i = 0; i < k; i++) in[rows.get(i) * N + sol[rows.get(i)]] = QUEEN;
            if (!seen.add(key(in))) continue;
            inputs.add(in);
            labels.add(label);
        }
        return PuzzleSet.of(PuzzleKinds.NQUEENS, N, N, 3, seed, inputs, labels);
    }

    static String key(byte[] board) {
        return new String(board, StandardCharsets.ISO_8859_1);
    }

    /** The first two queens of a board that attack each other (one row, column or diagonal), in words; null when none do. */
    static String conflict(byte[] board) {
        for (int i = 0; i < N * N; i++)
            for (int j = i + 1; j < N * N; j++)
                if (board[i] == QUEEN && board[j] == QUEEN
                        && (i / N == j / N || i % N == j % N || Math.abs(i / N - j / N) == Math.abs(i % N - j % N)))
                    return "the queens at " + PuzzleKind.cells(i, j, N) + " attack each other";
        return null;
    }

    /** True when {@code board} has N non-attacking queens and keeps every queen of {@code puzzle}. */
    public static boolean isValidCompletion(byte[] puzzle, byte[] board) {
        int[] colOfRow = new int[N];
        Arrays.fill(colOfRow, -1);
        for (int i = 0; i < N * N; i++) {
            if (puzzle[i] == QUEEN && board[i] != QUEEN) return false;
            if (board[i] == QUEEN) {
                if (colOfRow[i / N] >= 0) return false;   // two in one row
                colOfRow[i / N] = i % N;
            } else if (board[i] != EMPTY) return false;
        }
        for (int r = 0; r < N; r++) {
            if (colOfRow[r] < 0) return false;
            for (int q = 0; q < r; q++)
                if (colOfRow[q] == colOfRow[r] || Math.abs(colOfRow[q] - colOfRow[r]) == r - q) return false;
        }
        return true;
    }
}
