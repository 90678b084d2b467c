package trm4j.data;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;

import trm4j.config.DataConfig;

/**
 * Square mazes with a long shortest path from S to G ({@link Maze} generates and checks them). Cells
 * 0 open, 1 wall, 2 start, 3 goal, 4 path are tokens 2, 1, 3, 4, 5: the Maze-Hard characters
 * ' ', '#', 'S', 'G', 'o' (docs/METHOD.md section 1).
 */
public final class MazeKind implements PuzzleKind<DataConfig.Maze> {
    private static final byte[] TOKEN = {Maze.OPEN, Maze.WALL, Maze.START, Maze.GOAL, Maze.PATH};

    @Override public String name() { return DataConfig.Maze.KIND; }

    @Override public Class<DataConfig.Maze> config() { return DataConfig.Maze.class; }

    @Override public String description() {
        return "0 open, 1 wall, 2 start, 3 goal; answers mark the shortest path with 4";
    }

    @Override public Splits load(DataConfig.Maze m) {
        // The held-out sets first; training then avoids every maze a dihedral transform could turn into one of theirs.
        PuzzleSet test = generate(m, m.test(), m.seed() + 1);
        Set<String> held = new HashSet<>();
        for (byte[] in : test.inputs()) held.add(Maze.augmentationKey(in, m.size()));
        PuzzleSet validation = m.validation() == 0 ? null : Maze.generate(m.validation(), m.seed() + 2, m.size(), m.minPath(), held);
        if (validation != null) for (byte[] in : validation.inputs()) held.add(Maze.augmentationKey(in, m.size()));
        return new Splits(Maze.generate(m.train(), m.seed(), m.size(), m.minPath(), held), test, validation);
    }

    @Override public String summary(DataConfig.Maze m) {
        return "generated " + m.size() + "x" + m.size() + " mazes";
    }

    @Override public PuzzleSet generate(DataConfig.Maze m, int count, long seed) {
        return Maze.generate(count, seed, m.size(), m.minPath());
    }

    /** Side 30 by default, its least path {@link DataConfig.Maze#defaultMinPath} (30x30: longer than 110 steps, as the reference's Maze-Hard). */
    @Override public PuzzleSet generate(int count, long seed, Map<String, Long> o) {
        PuzzleKind.takes(name(), o, "size", "min-path");
        Long minPath = o.get("min-path");
        return generate(new DataConfig.Maze(o.getOrDefault("size", 30L).intValue(), 1, 1, 0, seed, minPath == null ? null : minPath.intValue(), false),
                count, seed);   // the data section's checks and default
    }

    /** One of the 8 dihedral transforms. */
    @Override public Symmetry symmetry(int side, Random rnd) {
        return Symmetry.dihedral(side, rnd);
    }

    @Override public int maxGiven(int side) {
        return 3;
    }

    /** Any shortest path from S to G, not only the label's: a maze may have several. */
    @Override public BiPredicate<byte[], byte[]> validity() {
        return (maze, answer) -> {
            int n = (int) Math.round(Math.sqrt(maze.length));   // a set read from a file may hold any shape: only square mazes are judged
            return n * n == maze.length && Maze.isShortestPath(maze, answer, n);
        };
    }

    /** Two starts or two goals: a maze has one of each. */
    @Override public String conflict(byte[] tokens, int side) {
        for (int v = 2; v <= 3; v++) {
            int first = -1;
            for (int i = 0; i < tokens.length; i++) {
                if (tokens[i] != token(v)) continue;
                if (first >= 0) return PuzzleKind.cells(first, i, side) + " are both " + (v == 2 ? "starts" : "goals") + "; a maze has one";
                first = i;
            }
        }
        return null;
    }

    @Override public byte token(int value) {
        return TOKEN[value];
    }

    @Override public int value(byte token) {
        for (int v = 0; v < TOKEN.length; v++) if (TOKEN[v] == token) return v;
        return 0;
    }

    @Override public BoardLook look(int side) {
        return new BoardLook(maxGiven(side), List.of(new BoardLook.Cell("", "open", "#fff", null), new BoardLook.Cell("", "wall", "#2b3440", null),
                new BoardLook.Cell("", "S", "#2ecc40", null), new BoardLook.Cell("", "G", "#d1242f", null), new BoardLook.Cell("", "path", "#ffdc00", null)), 0, 0, true);
    }
}
