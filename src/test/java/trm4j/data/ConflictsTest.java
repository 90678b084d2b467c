package trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** A kind's rules on hand-written boards: givens that break them (the generators' puzzles have none), answers that keep them. */
class ConflictsTest {
    private static byte[] tokens(PuzzleKind<?> kind, int[][] board) {
        byte[] t = new byte[board.length * board.length];
        for (int r = 0; r < board.length; r++)
            for (int c = 0; c < board.length; c++) t[r * board.length + c] = kind.token(board[r][c]);
        return t;
    }

    private static int[][] copy(int[][] board) {
        return Arrays.stream(board).map(int[]::clone).toArray(int[][]::new);
    }

    @Test
    void sudokuGivensRepeatedInARowAColumnOrABox() {
        PuzzleKind<?> s = PuzzleKinds.SUDOKU;
        assertNull(s.conflict(tokens(s, new int[][] {{1, 0, 0, 4}, {0, 4, 1, 0}, {4, 0, 0, 1}, {0, 1, 4, 0}}), 4));
        assertEquals("row 2, column 1 and row 2, column 4 both hold 2 in one row",
                s.conflict(tokens(s, new int[][] {{0, 0, 0, 0}, {2, 0, 0, 2}, {0, 0, 0, 0}, {0, 0, 0, 0}}), 4));
        assertEquals("row 1, column 3 and row 4, column 3 both hold 3 in one column",
                s.conflict(tokens(s, new int[][] {{0, 0, 3, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 3, 0}}), 4));
        assertEquals("row 3, column 1 and row 4, column 2 both hold 4 in one box",
                s.conflict(tokens(s, new int[][] {{0, 0, 0, 0}, {0, 0, 0, 0}, {4, 0, 0, 0}, {0, 4, 0, 0}}), 4));
        // 6x6 boxes are 2 rows by 3 columns: (0, 0) and (1, 2) share one, (0, 0) and (2, 1) do not
        int[][] six = new int[6][6];
        six[0][0] = 5;
        six[2][1] = 5;
        assertNull(s.conflict(tokens(s, six), 6));
        six[1][2] = 5;
        assertEquals("row 1, column 1 and row 2, column 3 both hold 5 in one box", s.conflict(tokens(s, six), 6));
    }

    @Test
    void sudokuAnswersThatSolveTheirPuzzle() {
        PuzzleKind<?> s = PuzzleKinds.SUDOKU;
        byte[] puzzle = tokens(s, new int[][] {{1, 0, 0, 4}, {0, 4, 1, 0}, {4, 0, 0, 1}, {0, 1, 4, 0}});
        // The puzzle has two solutions; either solves it.
        assertTrue(s.validity().test(puzzle, tokens(s, new int[][] {{1, 2, 3, 4}, {3, 4, 1, 2}, {4, 3, 2, 1}, {2, 1, 4, 3}})));
        assertTrue(s.validity().test(puzzle, tokens(s, new int[][] {{1, 3, 2, 4}, {2, 4, 1, 3}, {4, 2, 3, 1}, {3, 1, 4, 2}})));
        assertFalse(s.validity().test(puzzle, tokens(s, new int[][] {{1, 2, 3, 4}, {3, 4, 1, 2}, {4, 3, 2, 1}, {2, 1, 4, 0}})), "a blank cell");
        assertFalse(s.validity().test(puzzle, tokens(s, new int[][] {{2, 1, 3, 4}, {3, 4, 2, 1}, {4, 3, 1, 2}, {1, 2, 4, 3}})), "a Sudoku, but not this puzzle's givens");
        assertFalse(s.validity().test(puzzle, tokens(s, new int[][] {{1, 3, 2, 4}, {3, 4, 1, 2}, {4, 3, 2, 1}, {2, 1, 4, 3}})), "3 twice in column 1");
        byte[] empty = tokens(s, new int[4][4]);
        assertFalse(s.validity().test(empty, tokens(s, new int[][] {{1, 2, 3, 4}, {2, 3, 4, 1}, {3, 4, 1, 2}, {4, 1, 2, 3}})), "rows and columns right, 2 twice in a box");
        // 6x6 boxes are 2 rows by 3 columns: a board right under those, and one whose rows and columns are right but not its boxes
        int[][] six = new int[6][6], latin = new int[6][6];
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 6; c++) {
                six[r][c] = (3 * (r % 2) + r / 2 + c) % 6 + 1;
                latin[r][c] = (r + c) % 6 + 1;
            }
        assertTrue(s.validity().test(tokens(s, new int[6][6]), tokens(s, six)));
        assertFalse(s.validity().test(tokens(s, new int[6][6]), tokens(s, latin)));
    }

    @Test
    void mazeAnswersThatSolveTheirMaze() {
        PuzzleKind<?> m = PuzzleKinds.MAZE;
        int[][] maze = {{1, 1, 1, 1, 1}, {1, 2, 0, 0, 1}, {1, 0, 1, 0, 1}, {1, 0, 0, 3, 1}, {1, 1, 1, 1, 1}};
        byte[] in = tokens(m, maze);
        // Two shortest paths of 4 steps, over the top right or the bottom left: either solves it.
        assertTrue(m.validity().test(in, tokens(m, new int[][] {{1, 1, 1, 1, 1}, {1, 2, 4, 4, 1}, {1, 0, 1, 4, 1}, {1, 0, 0, 3, 1}, {1, 1, 1, 1, 1}})));
        assertTrue(m.validity().test(in, tokens(m, new int[][] {{1, 1, 1, 1, 1}, {1, 2, 0, 0, 1}, {1, 4, 1, 0, 1}, {1, 4, 4, 3, 1}, {1, 1, 1, 1, 1}})));
        assertFalse(m.validity().test(in, tokens(m, new int[][] {{1, 1, 1, 1, 1}, {1, 2, 4, 4, 1}, {1, 4, 1, 4, 1}, {1, 4, 4, 3, 1}, {1, 1, 1, 1, 1}})), "both at once");
        assertFalse(m.validity().test(in, tokens(m, new int[][] {{1, 1, 1, 1, 1}, {1, 2, 4, 4, 1}, {1, 0, 1, 0, 1}, {1, 0, 0, 3, 1}, {1, 1, 1, 1, 1}})), "a path that stops short");
        assertFalse(m.validity().test(in, tokens(m, new int[][] {{1, 1, 1, 1, 1}, {1, 2, 4, 0, 1}, {1, 0, 4, 0, 1}, {1, 0, 0, 3, 1}, {1, 1, 1, 1, 1}})), "through a wall");
        assertFalse(m.validity().test(in, in), "no path at all");

        // A shortest path of 4 steps along the top, and a detour of 8 below: the detour leads to G but is not a shortest path.
        int[][] loop = {{1, 1, 1, 1, 1, 1, 1}, {1, 2, 0, 0, 0, 3, 1}, {1, 0, 1, 1, 1, 0, 1}, {1, 0, 0, 0, 0, 0, 1}, {1, 1, 1, 1, 1, 1, 1},
                {1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1}};
        int[][] top = copy(loop), detour = copy(loop);
        for (int c = 2; c <= 4; c++) top[1][c] = 4;
        for (int[] cell : new int[][] {{2, 1}, {3, 1}, {3, 2}, {3, 3}, {3, 4}, {3, 5}, {2, 5}}) detour[cell[0]][cell[1]] = 4;
        assertTrue(m.validity().test(tokens(m, loop), tokens(m, top)));
        assertFalse(m.validity().test(tokens(m, loop), tokens(m, detour)), "a path to G longer than the shortest");
        int[][] noStart = copy(top);
        noStart[1][1] = 0;
        loop[1][1] = 0;
        assertFalse(m.validity().test(tokens(m, loop), tokens(m, noStart)), "no start");
        loop[1][1] = 2;
        loop[1][3] = 1;
        loop[3][3] = 1;
        assertFalse(m.validity().test(tokens(m, loop), tokens(m, loop)), "G cannot be reached");
    }

    @Test
    void nQueensGivenQueensThatAttackEachOther() {
        PuzzleKind<?> q = PuzzleKinds.NQUEENS;
        int[][] board = new int[8][8];
        board[0][0] = 1;
        board[1][2] = 1;
        assertNull(q.conflict(tokens(q, board), 8));
        board[4][4] = 1;
        assertEquals("the queens at row 1, column 1 and row 5, column 5 attack each other", q.conflict(tokens(q, board), 8));
        board[4][4] = 0;
        board[1][7] = 1;
        assertEquals("the queens at row 2, column 3 and row 2, column 8 attack each other", q.conflict(tokens(q, board), 8));
    }

    @Test
    void mazesWithTwoStartsOrTwoGoals() {
        PuzzleKind<?> m = PuzzleKinds.MAZE;
        int[][] board = {{2, 0, 1, 0, 0}, {0, 1, 0, 0, 0}, {0, 0, 0, 1, 3}, {0, 0, 0, 0, 0}, {1, 0, 0, 0, 0}};
        assertNull(m.conflict(tokens(m, board), 5));
        board[3][3] = 3;
        assertEquals("row 3, column 5 and row 4, column 4 are both goals; a maze has one", m.conflict(tokens(m, board), 5));
        board[3][3] = 2;
        assertEquals("row 1, column 1 and row 4, column 4 are both starts; a maze has one", m.conflict(tokens(m, board), 5));
    }

    @Test
    void generatedPuzzlesHaveNoConflict() {
        for (int side : new int[] {4, 6, 9}) {
            PuzzleSet set = new Sudoku(side).generate(50, side, 0, 0);
            for (byte[] in : set.inputs()) assertNull(PuzzleKinds.SUDOKU.conflict(in, side));
            for (byte[] out : set.labels()) assertNull(PuzzleKinds.SUDOKU.conflict(out, side), "a solution repeats nothing");
        }
        PuzzleSet queens = NQueens.generate(100, 3, java.util.Set.of());
        for (byte[] in : queens.inputs()) assertNull(PuzzleKinds.NQUEENS.conflict(in, 8));
        for (byte[] out : queens.labels()) assertNull(PuzzleKinds.NQUEENS.conflict(out, 8));
        PuzzleSet mazes = Maze.generate(30, 4, 9, 27);
        for (byte[] in : mazes.inputs()) assertNull(PuzzleKinds.MAZE.conflict(in, 9));
    }
}
