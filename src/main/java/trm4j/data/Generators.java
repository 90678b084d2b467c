package trm4j.data;

import java.util.Set;

import trm4j.config.DataConfig;
import trm4j.config.TaskKind;

/** Generated puzzle sets: one puzzle drawn as a data configuration draws its training set, or a set by kind and bounds. */
public final class Generators {
    private Generators() {}

    /**
     * A set of {@code count} puzzles of a kind; null bounds take the kind's defaults (Sudoku 9x9, mazes 30x30 with a
     * shortest path longer than 110 steps as the reference's Maze-Hard, or of 3 x side for other sides).
     */
    public static PuzzleSet generate(String kind, int count, long seed, Integer size, int minClues, long minEffort, Integer minPath) {
        if (count < 1 || count > DataConfig.MAX_PUZZLES) throw new DataError("--count must be in 1.." + DataConfig.MAX_PUZZLES);
        TaskKind k = TaskKind.of(kind);
        if (k == TaskKind.SUDOKU) return new Sudoku(size == null ? 9 : size).generate(count, seed, minClues, minEffort);
        if (k == TaskKind.NQUEENS) return NQueens.generate(count, seed, Set.of());
        if (k != TaskKind.MAZE) throw new DataError("unknown kind '" + kind + "' (sudoku, maze or nqueens)");
        int n = size == null ? 30 : size;
        if (n < 5) throw new DataError("--size: a maze needs a side of at least 5");
        return Maze.generate(count, seed, n, minPath != null ? minPath : n == 30 ? 111 : 3 * n);
    }

    public static PuzzleSet one(DataConfig c, long seed) {
        if (c instanceof DataConfig.Sudoku s) return new Sudoku(s.size()).generate(1, seed, s.minClues(), s.minEffort());
        if (c instanceof DataConfig.Maze m) return Maze.generate(1, seed, m.size(), m.minPath());
        if (c instanceof DataConfig.NQueens) return NQueens.generate(1, seed, Set.of());
        throw new DataError("data.kind " + c.kind() + ": there is no puzzle to generate (ARC tasks are read, not generated)");
    }
}
