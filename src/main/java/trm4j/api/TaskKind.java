package trm4j.api;

/**
 * What a model was trained to solve, and how its puzzles are written: a square board of small
 * numbers, one per cell, row by row.
 */
public enum TaskKind {
    /** 0 for an empty cell, else the digit 1..n (n = 4, 6 or 9). */
    SUDOKU,
    /** 0 open, 1 wall, 2 start, 3 goal; answers mark the shortest path with 4. */
    MAZE,
    /** 0 empty, 1 queen, on 8x8; answers place all 8 queens. */
    NQUEENS,
    /** ARC tasks: grids of colours 0..9 up to the model's canvas (30x30 at most); see {@link ArcTask}. */
    ARC
}
