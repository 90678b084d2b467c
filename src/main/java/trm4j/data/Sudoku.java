package trm4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

import trm4j.UserError;

/**
 * Sudoku of side n = 4, 6 or 9 (boxes 2x2, 2x3, 3x3): a generator of puzzles with exactly one
 * solution, the augmentations of docs/METHOD.md, and the reader of the public Sudoku-Extreme CSV.
 * Tokens: PAD 0, blank 1, digit d -> d+1. Grids here are digits 0..n with 0 for a blank.
 */
public final class Sudoku {
    public final int n, boxRows, boxCols;

    public Sudoku(int n) {
        this.n = n;
        switch (n) {
            case 4: boxRows = 2; boxCols = 2; break;
            case 6: boxRows = 2; boxCols = 3; break;
            case 9: boxRows = 3; boxCols = 3; break;
            default: throw new UserError("sudoku size " + n + " is not supported (4, 6 or 9)");
        }
    }

    public int vocab() {
        return n + 2;
    }

    private int box(int cell) {
        int r = cell / n, c = cell % n;
        return r / boxRows * boxRows + c / boxCols;
    }

    /** The first two equal givens (digits, 0 blank) in one row, column or box, in words; null when there are none. */
    String conflict(byte[] g) {
        for (int i = 0; i < n * n; i++)
            for (int j = i + 1; j < n * n; j++)
                if (g[i] != 0 && g[i] == g[j] && (i / n == j / n || i % n == j % n || box(i) == box(j)))
                    return PuzzleKind.cells(i, j, n) + " both hold " + g[i] + " in one " + (i / n == j / n ? "row" : i % n == j % n ? "column" : "box");
        return null;
    }

    /** Whether {@code answer} fills every cell of {@code puzzle} (both digits, 0 blank), keeps its givens and repeats no digit in a row, column or box. */
    boolean solves(byte[] puzzle, byte[] answer) {
        int[] rows = new int[n], cols = new int[n], boxes = new int[n];
        for (int i = 0; i < n * n; i++) {
            int d = answer[i], bit = 1 << d;
            if (d < 1 || d > n || puzzle[i] != 0 && puzzle[i] != d || ((rows[i / n] | cols[i % n] | boxes[box(i)]) & bit) != 0) return false;
            rows[i / n] |= bit; cols[i % n] |= bit; boxes[box(i)] |= bit;
        }
        return true;
    }

    /**
     * Counts solutions up to {@code limit}, filling {@code solution} with the first one found;
     * returns {count, search nodes}. Depth-first with the most constrained cell first.
     */
    public long[] solve(byte[] grid, int limit, byte[] solution) {
        int[] rows = new int[n], cols = new int[n], boxes = new int[n];
        byte[] g = grid.clone();
        for (int i = 0; i < n * n; i++) {
            if (g[i] == 0) continue;
            int bit = 1 << g[i];
            if ((rows[i / n] & bit) != 0 || (cols[i % n] & bit) != 0 || (boxes[box(i)] & bit) != 0) return new long[] {0, 0};
            rows[i / n] |= bit; cols[i % n] |= bit; boxes[box(i)] |= bit;
        }
        long[] state = {0, 0};
        search(g, rows, cols, boxes, limit, solution, state);
        return state;
    }

    private void search(byte[] g, int[] rows, int[] cols, int[] boxes, int limit, byte[] solution, long[] state) {
        state[1]++;
        int best = -1, bestFree = 0, bestCount = Integer.MAX_VALUE;
        int all = ((1 << (n + 1)) - 2);
        for (int i = 0; i < n * n; i++) {
            if (g[i] != 0) continue;
            int free = all & ~(rows[i / n] | cols[i % n] | boxes[box(i)]);
            int count = Integer.bitCount(free);
            if (count < bestCount) { best = i; bestFree = free; bestCount = count; if (count <= 1) break; }
        }
        if (best < 0) {
            if (state[0]++ == 0 && solution != null) System.arraycopy(g, 0, solution, 0, g.length);
            return;
        }
        for (int d = 1; d <= n && state[0] < limit; d++) {
            int bit = 1 << d;
            if ((bestFree & bit) == 0) continue;
            g[best] = (byte) d;
            rows[best / n] |= bit; cols[best % n] |= bit; boxes[box(best)] |= bit;
            search(g, rows, cols, boxes, limit, solution, state);
            rows[best / n] &= ~bit; cols[best % n] &= ~bit; boxes[box(best)] &= ~bit;
            g[best] = 0;
        }
    }

    /** A random full solution. */
    public byte[] randomSolution(Random rnd) {
        byte[] g = new byte[n * n];
        fill(g, 0, rnd);
        return g;
    }

    private boolean fill(byte[] g, int i, Random rnd) {
        if (i == n * n) return true;
        List<Integer> digits = new ArrayList<>();
        for (int d = 1; d <= n; d++) digits.add(d);
        Collections.shuffle(digits, rnd);
        for (int d : digits) {
            if (!allowed(g, i, d)) continue;
            g[i] = (byte) d;
            if (fill(g, i + 1, rnd)) return true;
        }
        g[i] = 0;
        return false;
    }

    private boolean allowed(byte[] g, int i, int d) {
        for (int j = 0; j < n * n; j++)
            if (j != i && g[j] == d && (j / n == i / n || j % n == i % n || box(j) == box(i))) return false;
        return true;
    }

    /** The draws a puzzle gets to need at least the least search effort asked for; the last is kept whatever it needs. */
    public static final int MOST_DRAWS = 1001;

    /**
     * A puzzle with a unique solution: clues removed in random order while the solution stays
     * unique, down to {@code minClues}; puzzles whose search takes fewer than {@code minEffort}
     * nodes are drawn again (harder puzzles need more search), up to {@link #MOST_DRAWS} draws in all.
     * @return {puzzle, solution}
     */
    public byte[][] puzzle(Random rnd, int minClues, long minEffort) {
        for (int attempt = 0; ; attempt++) {
            byte[] solution = randomSolution(rnd), p = solution.clone();
            List<Integer> cells = new ArrayList<>();
            for (int i = 0; i < n * n; i++) cells.add(i);
            Collections.shuffle(cells, rnd);
            int clues = n * n;
            for (int cell : cells) {
                if (clues <= minClues) break;
                byte keep = p[cell];
                p[cell] = 0;
                if (solve(p, 2, null)[0] != 1) p[cell] = keep;
                else clues--;
            }
            if (solve(p, 2, null)[1] >= minEffort || attempt + 1 >= MOST_DRAWS) return new byte[][] {p, solution};
        }
    }

    /** Digits (0 = blank) of a token sequence: the inverse of {@link #tokens}. */
    public static byte[] digits(byte[] tokens) {
        byte[] d = new byte[tokens.length];
        for (int i = 0; i < d.length; i++) d[i] = (byte) (tokens[i] - 1);
        return d;
    }

    /** Token sequence of a grid of digits (0 = blank). */
    public static byte[] tokens(byte[] digits) {
        byte[] t = new byte[digits.length];
        for (int i = 0; i < t.length; i++) t[i] = (byte) (digits[i] + 1);
        return t;
    }

    public PuzzleSet generate(int count, long seed, int minClues, long minEffort) {
        return generate("set", count, seed, minClues, minEffort, Set.of());
    }

    /**
     * {@code count} puzzles none of which is an augmentation of a puzzle whose {@link #augmentationKey}
     * is in {@code exclude} (the other split's), so that augmented training never shows a test
     * puzzle. A DataError naming the {@code split} when the space runs out (4x4 Sudoku has few puzzles).
     */
    public PuzzleSet generate(String split, int count, long seed, int minClues, long minEffort, Set<String> exclude) {
        Random rnd = new Random(seed);
        List<byte[]> in = new ArrayList<>(), out = new ArrayList<>();
        for (long tries = 0; in.size() < count; tries++) {
            if (tries > 200L * count + 10_000)
                throw new DataError("sudoku " + n + "x" + n + " " + split + ": only " + in.size() + " of " + count + " puzzles found outside the "
                        + exclude.size() + " classes of the sets drawn before it; raise data.min_clues (puzzles with more givens are more numerous) or lower data.train, data.test or data.validation");
            byte[][] ps = puzzle(rnd, minClues, minEffort);
            if (!exclude.isEmpty() && exclude.contains(augmentationKey(ps[0]))) continue;
            in.add(tokens(ps[0]));
            out.add(tokens(ps[1]));
        }
        return PuzzleSet.of(PuzzleKinds.SUDOKU, n, n, vocab(), seed, in, out);
    }

    /**
     * A key shared by a puzzle (digits, 0 = blank) and all its augmentations ({@link #augment}). Up
     * to 6x6 it is exact: the smallest image over every line order (and transpose), digits renamed
     * by first appearance, so equal keys mean one puzzle. 9x9 has 3.4 million line orders, so its key
     * is an invariant (per band and stack, the sorted clue counts of its lines; the sorted digit
     * counts; the smaller of the two orientations): equal keys may also join different puzzles,
     * which makes excluding by it err on the safe side.
     */
    public String augmentationKey(byte[] digits) {
        if (n > 6) return invariantKey(digits);
        String best = null;
        List<int[]> rows = lineOrders(n / boxRows, boxRows), cols = lineOrders(n / boxCols, boxCols);
        byte[] g = new byte[n * n];
        for (int t = 0; t < (boxRows == boxCols ? 2 : 1); t++)
            for (int[] ro : rows)
                for (int[] co : cols) {
                    for (int r = 0; r < n; r++)
                        for (int c = 0; c < n; c++) g[r * n + c] = t == 1 ? digits[co[c] * n + ro[r]] : digits[ro[r] * n + co[c]];
                    byte[] rename = new byte[n + 1];
                    byte next = 1;
                    char[] key = new char[n * n];
                    for (int i = 0; i < g.length; i++) {
                        if (g[i] != 0 && rename[g[i]] == 0) rename[g[i]] = next++;
                        key[i] = (char) ('0' + rename[g[i]]);
                    }
                    String k = new String(key);
                    if (best == null || k.compareTo(best) < 0) best = k;
                }
        return best;
    }

    private String invariantKey(byte[] d) {
        int[] digitCounts = new int[n + 1];
        for (byte x : d) digitCounts[x]++;
        int[] digits = Arrays.copyOfRange(digitCounts, 1, n + 1);
        Arrays.sort(digits);
        String rows = lineCounts(d, boxRows, false), cols = lineCounts(d, boxCols, true);
        String oriented = boxRows == boxCols && cols.compareTo(rows) < 0 ? cols + "|" + rows : rows + "|" + cols;
        return oriented + "|" + Arrays.toString(digits);
    }

    /** Per group of {@code size} lines, the sorted clue counts of its lines; the groups sorted. */
    private String lineCounts(byte[] d, int size, boolean columns) {
        List<String> groups = new ArrayList<>();
        for (int g = 0; g < n / size; g++) {
            int[] counts = new int[size];
            for (int l = 0; l < size; l++)
                for (int i = 0; i < n; i++) if (d[columns ? i * n + g * size + l : (g * size + l) * n + i] != 0) counts[l]++;
            Arrays.sort(counts);
            groups.add(Arrays.toString(counts));
        }
        Collections.sort(groups);
        return groups.toString();
    }

    /** Every order of lines that permutes groups of {@code size} lines and the lines within each group. */
    private static List<int[]> lineOrders(int groups, int size) {
        List<int[]> groupPerms = permutations(groups), linePerms = permutations(size), out = new ArrayList<>();
        int combos = (int) Math.pow(linePerms.size(), groups);
        for (int[] gp : groupPerms)
            for (int k = 0; k < combos; k++) {
                int[] o = new int[groups * size];
                for (int g = 0, rest = k; g < groups; g++, rest /= linePerms.size()) {
                    int[] lp = linePerms.get(rest % linePerms.size());
                    for (int i = 0; i < size; i++) o[g * size + i] = gp[g] * size + lp[i];
                }
                out.add(o);
            }
        return out;
    }

    private static List<int[]> permutations(int m) {
        List<int[]> out = new ArrayList<>();
        permute(new int[m], new boolean[m], 0, out);
        return out;
    }

    private static void permute(int[] a, boolean[] used, int i, List<int[]> out) {
        if (i == a.length) {
            out.add(a.clone());
            return;
        }
        for (int v = 0; v < a.length; v++)
            if (!used[v]) {
                used[v] = true;
                a[i] = v;
                permute(a, used, i + 1, out);
                used[v] = false;
            }
    }

    /**
     * A random validity-preserving transform of puzzles and their solutions, as tokens ({@link #tokens}):
     * digit permutation, transpose (square boxes only), bands and rows within a band, stacks and
     * columns within a stack.
     */
    public Symmetry symmetry(Random rnd) {
        byte[] relabel = new byte[n + 2];   // tokens: 0 PAD and 1 blank stay, digit d is token d + 1
        List<Integer> ds = new ArrayList<>();
        for (int d = 1; d <= n; d++) ds.add(d);
        Collections.shuffle(ds, rnd);
        relabel[1] = 1;
        for (int d = 1; d <= n; d++) relabel[d + 1] = (byte) (ds.get(d - 1) + 1);
        int[] rowOrder = order(n / boxRows, boxRows, rnd), colOrder = order(n / boxCols, boxCols, rnd);
        boolean transpose = boxRows == boxCols && rnd.nextBoolean();
        int[] from = new int[n * n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++) {
                int sr = rowOrder[r], sc = colOrder[c];
                from[r * n + c] = transpose ? sc * n + sr : sr * n + sc;
            }
        return Symmetry.of(from, relabel);
    }

    /** A permutation of groups of {@code size} lines and of the lines inside each group. */
    private static int[] order(int groups, int size, Random rnd) {
        List<Integer> g = new ArrayList<>();
        for (int i = 0; i < groups; i++) g.add(i);
        Collections.shuffle(g, rnd);
        int[] out = new int[groups * size];
        for (int i = 0; i < groups; i++) {
            List<Integer> lines = new ArrayList<>();
            for (int j = 0; j < size; j++) lines.add(g.get(i) * size + j);
            Collections.shuffle(lines, rnd);
            for (int j = 0; j < size; j++) out[i * size + j] = lines.get(j);
        }
        return out;
    }

    /** The public Sudoku-Extreme CSV: {@code source,question,answer,rating}, '.' for a blank. */
    public static PuzzleSet readCsv(Path file) {
        List<byte[]> in = new ArrayList<>(), out = new ArrayList<>();
        for (PuzzleCsv.Row r : PuzzleCsv.read(file)) {
            in.add(tokens(digits(r.question(), file, r.line(), "question")));
            out.add(tokens(digits(r.answer(), file, r.line(), "answer")));
        }
        return PuzzleSet.of(PuzzleKinds.SUDOKU, 9, 9, new Sudoku(9).vocab(), 0, in, out);
    }

    private static byte[] digits(String s, Path file, int line, String field) {
        if (s.length() != 81) throw new DataError(file + ": line " + line + ": " + field + " has " + s.length() + " cells, expected 81");
        byte[] d = new byte[81];
        for (int i = 0; i < 81; i++) {
            char ch = s.charAt(i);
            if (ch == '.' || ch == '0') d[i] = 0;
            else if (ch >= '1' && ch <= '9') d[i] = (byte) (ch - '0');
            else throw new DataError(file + ": line " + line + ": " + field + ": '" + ch + "' at cell " + i + " is not a digit or '.'");
        }
        return d;
    }
}
