package trm4j.data;

import java.util.Set;

import trm4j.config.DataConfig;

/** One puzzle of a generated kind, drawn as a data configuration draws its training set. */
public final class Generators {
    private Generators() {}

    public static PuzzleSet one(DataConfig c, long seed) {
        if (c instanceof DataConfig.Sudoku s) return new Sudoku(s.size()).generate(1, seed, s.minClues(), s.minEffort());
        if (c instanceof DataConfig.Maze m) return Maze.generate(1, seed, m.size(), m.minPath());
        if (c instanceof DataConfig.NQueens) return NQueens.generate(1, seed, Set.of());
        throw new DataError("data.kind " + c.kind() + ": there is no puzzle to generate (ARC tasks are read, not generated)");
    }
}
