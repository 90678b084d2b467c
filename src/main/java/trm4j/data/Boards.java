package trm4j.data;

import trm4j.config.TaskKind;

/**
 * Puzzle boards as people write them, and as tokens (docs/METHOD.md section 1). A board is square, read
 * row by row, with one small number per cell:
 * <ul>
 * <li>Sudoku: 0 for an empty cell, else the digit 1..n (token = cell + 1);
 * <li>maze: 0 open, 1 wall, 2 start, 3 goal, and 4 for a cell of the path in answers (tokens 2, 1,
 * 3, 4, 5: the Maze-Hard characters ' ', '#', 'S', 'G', 'o');
 * <li>N-Queens: 0 empty, 1 queen (token = cell + 1).
 * </ul>
 */
public final class Boards {
    private static final byte[] MAZE_TOKEN = {Maze.OPEN, Maze.WALL, Maze.START, Maze.GOAL, Maze.PATH};

    private Boards() {}

    /** The side of the square board of a model with {@code seqLen} cells, or 0 when it is not square. */
    public static int side(int seqLen) {
        int s = (int) Math.round(Math.sqrt(seqLen));
        return s * s == seqLen ? s : 0;
    }

    /** The largest cell value a given board may hold (answers may hold more: a maze's path). */
    public static int maxGiven(TaskKind kind, int side) {
        return switch (kind) {
            case SUDOKU -> side;
            case MAZE -> 3;
            case NQUEENS -> 1;
            case ARC -> 9;
        };
    }

    /**
     * The tokens of a board, row by row; a board of the wrong shape or with a value out of range is
     * refused with a message naming the row and column.
     */
    public static byte[] encode(TaskKind kind, int[][] board, int side) {
        if (board == null || board.length != side)
            throw new IllegalArgumentException("the board has " + (board == null ? 0 : board.length) + " rows; this model's has " + side);
        int max = maxGiven(kind, side);
        byte[] tokens = new byte[side * side];
        for (int r = 0; r < side; r++) {
            if (board[r] == null || board[r].length != side)
                throw new IllegalArgumentException("row " + r + " has " + (board[r] == null ? 0 : board[r].length) + " cells; this model's boards are " + side + "x" + side);
            for (int c = 0; c < side; c++) {
                int v = board[r][c];
                if (v < 0 || v > max) throw new IllegalArgumentException("row " + r + ", column " + c + ": " + v + " is not a " + kind + " cell (0.." + max + ")");
                tokens[r * side + c] = (byte) (kind == TaskKind.MAZE ? MAZE_TOKEN[v] : v + 1);
            }
        }
        return tokens;
    }

    /** The board a row of tokens writes; a token that writes no cell (PAD) reads as 0. */
    public static int[][] decode(TaskKind kind, byte[] tokens, int side) {
        int[][] board = new int[side][side];
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++) {
                int t = tokens[r * side + c];
                board[r][c] = kind == TaskKind.MAZE ? mazeCell(t) : Math.max(0, t - 1);
            }
        return board;
    }

    private static int mazeCell(int token) {
        for (int v = 0; v < MAZE_TOKEN.length; v++) if (MAZE_TOKEN[v] == token) return v;
        return 0;
    }
}
