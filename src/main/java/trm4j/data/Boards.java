package trm4j.data;

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
     * givens in conflict ({@link PuzzleKind#conflict}) is refused with a message naming the rows and columns.
     */
    public static byte[] encode(PuzzleKind<?> kind, int[][] board, int side) {
        if (board == null || board.length != side)
            throw new IllegalArgumentException("the board has " + (board == null ? 0 : board.length) + " rows; this model's has " + side);
        int max = kind.maxGiven(side);
        byte[] tokens = new byte[side * side];
        for (int r = 0; r < side; r++) {
            if (board[r] == null || board[r].length != side)
                throw new IllegalArgumentException("row " + r + " has " + (board[r] == null ? 0 : board[r].length) + " cells; this model's boards are " + side + "x" + side);
            for (int c = 0; c < side; c++) {
                int v = board[r][c];
                if (v < 0 || v > max) throw new IllegalArgumentException("row " + r + ", column " + c + ": " + v + " is not a " + kind.name() + " cell (0.." + max + ")");
                tokens[r * side + c] = kind.token(v);
            }
        }
        String conflict = kind.conflict(tokens, side);
        if (conflict != null) throw new IllegalArgumentException(conflict);
        return tokens;
    }

    /** The board a row of tokens writes; a token that writes no cell (PAD) reads as 0. */
    public static int[][] decode(PuzzleKind<?> kind, byte[] tokens, int side) {
        int[][] board = new int[side][side];
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++) board[r][c] = kind.value(tokens[r * side + c]);
        return board;
    }
}
