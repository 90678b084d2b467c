package trm4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Puzzle boards as people write them, and as tokens (docs/METHOD.md section 1): square, read row by
 * row, one small number per cell, which the board's {@link PuzzleKind} turns into a token and back.
 */
public final class Boards {
    private Boards() {}

    /** The side of the square board of a model with {@code seqLen} cells, or 0 when it is not square. */
    public static int side(int seqLen) {
        int s = (int) Math.round(Math.sqrt(seqLen));
        return s * s == seqLen ? s : 0;
    }

    /**
     * The tokens of a board, row by row; a board of the wrong shape, with a value out of range or with
     * givens in conflict ({@link PuzzleKind#conflict}) is refused with a message naming the rows and columns (counted from 1).
     */
    public static byte[] encode(PuzzleKind<?> kind, int[][] board, int side) {
        if (board == null || board.length != side)
            throw new IllegalArgumentException(board == null ? "the board is null" : "the board has " + board.length + (board.length == 1 ? " row" : " rows") + "; this model's has " + side);
        int max = kind.maxGiven(side);
        byte[] tokens = new byte[side * side];
        for (int r = 0; r < side; r++) {
            if (board[r] == null || board[r].length != side)
                throw new IllegalArgumentException("row " + (r + 1) + (board[r] == null ? " is null" : " has " + board[r].length + (board[r].length == 1 ? " cell" : " cells")) + "; this model's boards are " + side + "x" + side);
            for (int c = 0; c < side; c++) {
                int v = board[r][c];
                if (v < 0 || v > max) throw new IllegalArgumentException("row " + (r + 1) + ", column " + (c + 1) + ": " + v + " is not a " + kind.name() + " cell (0.." + max + ")");
                tokens[r * side + c] = kind.token(v);
            }
        }
        String conflict = kind.conflict(tokens, side);
        if (conflict != null) throw new IllegalArgumentException(conflict);
        return tokens;
    }

    /** The board a row of tokens writes; a token that writes no cell (PAD) reads as 0. */
    public static int[][] decode(PuzzleKind<?> kind, byte[] tokens, int side) {
        return decode(kind, tokens, side, side);
    }

    static int[][] decode(PuzzleKind<?> kind, byte[] tokens, int rows, int cols) {
        int[][] board = new int[rows][cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) board[r][c] = kind.value(tokens[r * cols + c]);
        return board;
    }

    /** The largest boards file read: far more boards than anyone types, and read whole before any is answered. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** The most boards one file or set gives to answer one by one (a whole test set is for 'eval'). */
    public static final int MAX_BOARDS = 10_000;

    /** A board read from a file, with the line it starts on (for messages). */
    public record Written(int[][] board, int line) {}

    /** What separates cells: spaces of any script (a no-break space copied from a page too) and commas. */
    private static final String SEPARATOR = "[\\p{javaWhitespace}\\u00A0\\u2007\\u202F,]";

    /**
     * The boards a text file writes for a model with {@code side x side} boards: a board is {@code side} rows, one line
     * each, with a blank line between boards, or one line of all its cells (as Sudoku collections write them). A row is
     * its cells' numbers separated by spaces or commas, or, with no separator, one character per cell; '.' is 0. '#'
     * begins a comment. The values are not checked here: {@link #encode} names a wrong one.
     */
    public static List<Written> read(Path file, int side) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new DataError(file + ": no such file");
        } catch (IOException e) {
            throw new DataError(file + ": cannot read: " + e.getMessage());
        }
        if (bytes.length > MAX_FILE_BYTES) throw new DataError(file + ": larger than " + MAX_FILE_BYTES / 1024 + " KiB; a boards file holds less");
        if (bytes.length >= 2 && (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF || bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))
            throw new DataError(file + ": UTF-16 text; save it as UTF-8 or ASCII");
        String text = new String(bytes, StandardCharsets.UTF_8).replaceFirst("^\uFEFF", "");   // a byte-order mark writes nothing
        if (text.strip().startsWith("{") || text.strip().startsWith("["))
            throw new DataError(file + ": JSON" + (text.strip().startsWith("{") ? " (an ARC task is answered by an ARC model)" : "") + ", not a boards file: this model's "
                    + side + "x" + side + " boards are written as " + side + " lines of " + side + " cells, a blank line between boards");
        List<Written> boards = new ArrayList<>();
        List<int[]> rows = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        int start = 0;
        for (int i = 0; i <= lines.length; i++) {
            String raw = i == lines.length ? "" : lines[i].replaceAll("^" + SEPARATOR + "+", "");
            if (raw.startsWith("#")) continue;   // a comment line, between rows too
            String line = raw.replaceFirst("#.*", "").replaceAll(SEPARATOR + "+$", "");
            if (!line.isEmpty()) {
                if (rows.isEmpty()) start = i + 1;
                int[] cells = cells(line, file, i + 1);
                if (cells.length == side * side && side > 1) {
                    if (!rows.isEmpty())
                        throw new DataError(file + ": line " + (i + 1) + " is a whole board, but the board on line " + start + " has only " + rows.size()
                                + " of its " + side + " rows (a blank line between boards)");
                    int[][] board = new int[side][];
                    for (int r = 0; r < side; r++) board[r] = Arrays.copyOfRange(cells, r * side, (r + 1) * side);
                    boards.add(new Written(board, i + 1));
                } else if (cells.length != side) {
                    throw new DataError(file + ": line " + (i + 1) + " has " + cells.length + (cells.length == 1 ? " cell" : " cells") + "; this model's boards are " + side + "x" + side
                            + " (a row of " + side + " cells, or a whole board of " + side * side + " on one line)");
                } else {
                    rows.add(cells);
                }
            } else if (!rows.isEmpty()) {
                if (rows.size() != side)
                    throw new DataError(file + ": the board on line " + start + " has " + rows.size() + " rows; this model's boards are " + side + "x" + side
                            + " (a blank line between boards)");
                boards.add(new Written(rows.toArray(new int[0][]), start));
                rows.clear();
            }
            if (boards.size() > MAX_BOARDS) throw new DataError(file + ": more than " + MAX_BOARDS + " boards");
        }
        if (boards.isEmpty()) throw new DataError(file + ": no board in it (a board is " + side + " lines of " + side + " cells)");
        return boards;
    }

    private static int[] cells(String line, Path file, int number) {
        boolean separated = line.matches(".*" + SEPARATOR + ".*");
        String[] parts = separated ? line.split(SEPARATOR + "+") : line.split("");
        int[] cells = new int[parts.length];
        for (int c = 0; c < parts.length; c++) {
            String p = parts[c];
            if (p.equals(".")) continue;
            if (p.matches("-?[0-9]{5,}")) throw new DataError(file + ": line " + number + ": " + (p.length() > 12 ? p.substring(0, 12) + "..." : p) + " is out of range for a cell");
            if (!p.matches("-?[0-9]{1,4}"))   // a negative number is the board's mistake: encode names its cell
                throw new DataError(file + ": line " + number + ": '" + (p.length() > 12 ? p.substring(0, 12) + "..." : p) + "' is not a cell (a number, or '.' for 0)");
            cells[c] = Integer.parseInt(p);
        }
        return cells;
    }

    /** The widest line {@link #sideBySide} writes before it wraps to a further row of boards. */
    public static final int LINE_WIDTH = 120;

    /**
     * Boards side by side under their titles, the cells' numbers right-aligned and 0 (a puzzle's empty cell) as '.', which
     * {@link #read} reads back (as 'data show' and 'solve' print them); boards
     * that would make a line wider than {@link #LINE_WIDTH} go on in a further row of boards, after a blank line.
     */
    public static String sideBySide(List<String> titles, List<int[][]> boards) {
        int width = 1;
        for (int[][] b : boards) for (int[] row : b) for (int v : row) width = Math.max(width, Integer.toString(v).length());
        StringBuilder out = new StringBuilder();
        for (int from = 0, used = 1, k = 0; k <= boards.size(); k++) {
            int column = k == boards.size() ? 0 : column(titles.get(k), boards.get(k), width);
            if (k == boards.size() || k > from && used + column + 3 > LINE_WIDTH) {
                out.append(from == 0 ? "" : "\n").append(block(titles.subList(from, k), boards.subList(from, k), width));
                from = k;
                used = 1;
            }
            used += column + 3;
        }
        return out.toString();
    }

    /** The width of a board's column: its title, or its cells of {@code width} characters with a space between. */
    private static int column(String title, int[][] board, int width) {
        return Math.max(title.length(), (board.length == 0 ? 0 : board[0].length) * (width + 1) - 1);
    }

    private static String block(List<String> titles, List<int[][]> boards, int width) {
        int rows = 0;
        for (int[][] b : boards) rows = Math.max(rows, b.length);
        StringBuilder out = new StringBuilder();
        for (int r = -1; r < rows; r++) {
            StringBuilder line = new StringBuilder(" ");
            for (int k = 0; k < boards.size(); k++) {
                StringBuilder cell = new StringBuilder();
                if (r < 0) cell.append(titles.get(k));
                else if (r < boards.get(k).length)
                    for (int v : boards.get(k)[r]) cell.append(cell.length() == 0 ? "" : " ").append(String.format("%" + width + "s", v == 0 ? "." : v));
                line.append(' ').append(String.format("%-" + column(titles.get(k), boards.get(k), width) + "s", cell)).append("  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
