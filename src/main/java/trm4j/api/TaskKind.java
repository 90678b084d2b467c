package trm4j.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import trm4j.data.PuzzleKind;
import trm4j.data.PuzzleKinds;

/**
 * What a model was trained to solve, and how its puzzles are written: a square board of small
 * numbers, one per cell, row by row, as {@link #description()} says; or ARC tasks. The built-in
 * kinds are the constants; {@link #of(String)} finds any kind by name, a kind added on the class
 * path (docs/EXTENDING.md) too. There is one instance per kind, so {@code ==} compares them.
 */
public final class TaskKind {
    /** Sudoku: 0 for an empty cell, else the digit 1..n (n = 4, 6 or 9). */
    public static final TaskKind SUDOKU = of(PuzzleKinds.SUDOKU);
    /** Mazes: 0 open, 1 wall, 2 start, 3 goal; answers mark the shortest path with 4. */
    public static final TaskKind MAZE = of(PuzzleKinds.MAZE);
    /** N-Queens: 0 empty, 1 queen, on 8x8; answers place all 8 queens. */
    public static final TaskKind NQUEENS = of(PuzzleKinds.NQUEENS);
    /** ARC tasks ({@link ArcTask}): grids of colours 0..9 up to the model's canvas (30x30 at most). */
    public static final TaskKind ARC = new TaskKind("arc", "grids of colours 0..9 up to the model's canvas (30x30 at most)");

    private static final Map<String, TaskKind> KNOWN = known();
    private final String name, description;

    private TaskKind(String name, String description) {
        this.name = name;
        this.description = description;
    }

    private static TaskKind of(PuzzleKind<?> k) {
        return new TaskKind(k.name(), k.description());
    }

    /** The constants, then a kind per puzzle kind found on the class path. */
    private static Map<String, TaskKind> known() {
        Map<String, TaskKind> out = new LinkedHashMap<>();
        for (TaskKind k : List.of(SUDOKU, MAZE, NQUEENS, ARC)) out.put(k.name, k);
        for (String n : PuzzleKinds.names()) out.computeIfAbsent(n, x -> of(PuzzleKinds.find(x)));
        return Collections.unmodifiableMap(out);
    }

    /** The kind of a name ({@code "sudoku"}, {@code "arc"}, or a kind added on the class path); an unknown one is an {@link InvalidInputException}. */
    public static TaskKind of(String name) {
        TaskKind k = KNOWN.get(name);
        if (k == null) throw new InvalidInputException("unknown task kind '" + name + "' (known: " + String.join(", ", KNOWN.keySet()) + ")");
        return k;
    }

    /** The name presets, files and the service write: {@code sudoku}, {@code maze}, {@code nqueens}, {@code arc}, ... */
    public String name() {
        return name;
    }

    /** How its puzzles are written, in one line (what each cell value means). */
    public String description() {
        return description;
    }

    /** The same for a model whose boards have this side (Sudoku: "... the digit 1..4"). */
    public String description(int side) {
        if (side < 1 || side > 64) throw new InvalidInputException("side " + side + ": must be in 1..64 (a board's rows)");
        return this == ARC ? description : PuzzleKinds.find(name).description(side);
    }

    @Override public String toString() {
        return name;
    }
}
