package trm4j.config;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import trm4j.UserError;

/**
 * What a run trains and evaluates on (the {@code "data"} section of a preset): one record per
 * kind of task, chosen by {@code "kind"}: ARC, or a kind of generated puzzle ({@link Puzzles}),
 * built in or found on the class path ({@link DataKind}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = DataConfig.NQueens.class, name = DataConfig.NQueens.KIND), @JsonSubTypes.Type(value = DataConfig.Sudoku.class, name = DataConfig.Sudoku.KIND),
        @JsonSubTypes.Type(value = DataConfig.Maze.class, name = DataConfig.Maze.KIND), @JsonSubTypes.Type(value = DataConfig.Arc.class, name = DataConfig.Arc.KIND)})
public sealed interface DataConfig {
    /** The built-in kinds' names, in the order messages list them. */
    List<String> BUILT_IN = List.of(NQueens.KIND, Sudoku.KIND, Maze.KIND, Arc.KIND);

    /** The kind's name, as {@code "kind"} writes it. */
    String kind();

    /** Generation and stream seed. */
    long seed();

    /**
     * A generated set of puzzles: {@code train} training puzzles, {@code test} test puzzles and
     * {@code validation} validation puzzles, held out like the test ones (the evaluations during
     * training score them, and the test set is scored once, at the end; 0 = the evaluations use
     * the test set).
     */
    non-sealed interface Puzzles extends DataConfig {
        int train();
        int test();
        int validation();

        /** Augment every training visit (Sudoku: digits, bands, stacks; maze: dihedral). */
        default boolean augment() { return false; }
    }

    /** N-Queens on 8x8 (DIS paper): 1..7 queens given, the label a full solution. */
    record NQueens(@JsonProperty("train") int train, @JsonProperty("test") int test, @JsonProperty("validation") int validation,
                   @JsonProperty("seed") long seed) implements Puzzles {
        public static final String KIND = "nqueens";
        public NQueens { checkCounts(train, test, validation); }
        @Override public String kind() { return KIND; }
    }

    /**
     * Sudoku with a unique solution.
     *
     * @param size      side: 4, 6 or 9
     * @param minClues  fewest givens
     * @param minEffort fewest search nodes of the solver (harder puzzles)
     */
    record Sudoku(@JsonProperty("size") int size, @JsonProperty("train") int train, @JsonProperty("test") int test,
                  @JsonProperty("validation") int validation, @JsonProperty("seed") long seed, @JsonProperty("min_clues") int minClues,
                  @JsonProperty("min_effort") long minEffort, @JsonProperty("augment") boolean augment) implements Puzzles {
        public static final String KIND = "sudoku";
        public Sudoku {
            checkCounts(train, test, validation);
            if (size != 4 && size != 6 && size != 9) throw new UserError("data.size " + size + ": Sudoku sides are 4, 6 or 9");
            if (minClues < 0 || minClues > size * size) throw new UserError("data.min_clues " + minClues + ": must be in 0.." + size * size);
            if (minEffort < 0) throw new UserError("data.min_effort " + minEffort + ": must be at least 0");
        }
        @Override public String kind() { return KIND; }
    }

    /**
     * Square mazes whose shortest path from S to G is at least {@code minPath} steps; null (the presets'): the side's
     * {@link #defaultMinPath}, so that a preset's mazes follow its size.
     */
    record Maze(@JsonProperty("size") int size, @JsonProperty("train") int train, @JsonProperty("test") int test,
                @JsonProperty("validation") int validation, @JsonProperty("seed") long seed, @JsonProperty("min_path") Integer minPath,
                @JsonProperty("augment") boolean augment) implements Puzzles {
        public static final String KIND = "maze";
        public Maze {
            checkCounts(train, test, validation);
            if (size < 5 || size > 30) throw new UserError("data.size " + size + ": maze sides are 5..30");
            if (minPath == null) minPath = defaultMinPath(size);
            if (minPath < 0 || minPath > size * size) throw new UserError("data.min_path " + minPath + ": must be in 0.." + size * size + " for a " + size + "x" + size + " maze");
        }
        @Override public String kind() { return KIND; }

        /**
         * The least shortest path a maze of this side has by default: longer than 110 steps at 30x30, as the reference's
         * Maze-Hard; side^2 / 8 otherwise (about the same share of the board, below most mazes' own, so drawn quickly).
         */
        public static int defaultMinPath(int side) {
            return side == 30 ? 111 : side * side / 8;
        }
    }

    /**
     * A named ARC set under {@code root} (arc-agi-1 and arc-agi-2 are the docs/METHOD.md training mixes):
     * a folder as {@code trm4j data download} fills it, or {@code sample}, the few tasks in trm4j's jar.
     *
     * @param versions         augmented versions per task (1000 in docs/METHOD.md)
     * @param evalVersions     versions voted over per test input at the final evaluation (the reference votes over all 1000)
     * @param progressVersions versions voted over by the evaluations before the last step, a faster view (0 = evalVersions)
     * @param canvas           canvas side (30 in docs/METHOD.md; smaller sets fit a smaller one; 1D-ARC is 1 x 96)
     * @param holdout          sets without an evaluation split: fraction of tasks whose test pairs are held out
     * @param validation       fraction of the other tasks (those trained with their test pairs) that keep their test pairs
     *                         apart as validation: the evaluations during training score those, and the held-out test
     *                         pairs are scored once, at the last step (0 = the evaluations score the held-out test pairs)
     */
    record Arc(@JsonProperty("set") String set, @JsonProperty("root") String root, @JsonProperty("versions") int versions,
               @JsonProperty("eval_versions") int evalVersions, @JsonProperty("progress_versions") int progressVersions,
               @JsonProperty("canvas") int canvas, @JsonProperty("holdout") double holdout, @JsonProperty("validation") double validation,
               @JsonProperty("seed") long seed) implements DataConfig {
        public static final String KIND = "arc";
        public Arc {
            if (set == null || set.isBlank()) throw new UserError("data.set: required (an ARC set name: trm4j data --help)");
            if (root == null || root.isBlank()) throw new UserError("data.root: required (the folder holding the ARC sets, or sample: the sample in trm4j's jar)");
            if (versions < 1 || versions > 100_000) throw new UserError("data.versions " + versions + ": must be in 1..100000");
            if (evalVersions < 1 || evalVersions > versions) throw new UserError("data.eval_versions must be between 1 and data.versions");
            if (progressVersions < 0 || progressVersions > versions)
                throw new UserError("data.progress_versions " + progressVersions + ": must be between 0 (= eval_versions) and data.versions");
            if (!(holdout >= 0 && holdout < 1)) throw new UserError("data.holdout " + holdout + ": must be in [0, 1)");
            if (!(validation >= 0 && validation < 1)) throw new UserError("data.validation " + validation + ": must be in [0, 1) for ARC (a fraction of the tasks)");
            if (canvas < 1 || canvas > 30)
                throw new UserError("data.canvas " + canvas + ": must be between 1 and 30 (the side of the square canvas ARC grids are written on)");
        }
        @Override public String kind() { return KIND; }

        /** The versions the evaluations before the last step vote over. */
        public int progressVersionsOrFinal() {
            return progressVersions == 0 ? evalVersions : progressVersions;
        }
    }

    /** Every kind a data section may name: the built-in ones, then those found on the class path. */
    static List<String> kinds() {
        List<String> out = new ArrayList<>(BUILT_IN);
        DataKind.found().forEach(k -> out.add(k.name()));
        return out;
    }

    /** The record of a kind, or null when no kind has that name. */
    static Class<? extends DataConfig> type(String kind) {
        for (JsonSubTypes.Type t : DataConfig.class.getAnnotation(JsonSubTypes.class).value())
            if (t.name().equals(kind)) return t.value().asSubclass(DataConfig.class);
        for (DataKind k : DataKind.found()) if (k.name().equals(kind)) return k.config();
        return null;
    }

    /** The most puzzles a generated set may hold: 10^7 9x9 Sudoku inputs and labels are 1.6 GB. */
    int MAX_PUZZLES = 10_000_000;

    private static void checkCounts(int train, int test, int validation) {
        if (train < 1 || test < 1) throw new UserError("data.train and data.test must be at least 1");
        if (train > MAX_PUZZLES || test > MAX_PUZZLES) throw new UserError("data.train and data.test must be at most " + MAX_PUZZLES);
        if (validation < 0 || validation > MAX_PUZZLES) throw new UserError("data.validation " + validation + ": must be in 0.." + MAX_PUZZLES);
    }
}
