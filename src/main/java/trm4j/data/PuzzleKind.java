package trm4j.data;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiPredicate;

import trm4j.config.DataConfig;
import trm4j.config.DataKind;

/**
 * A kind of generated puzzle, whole: its name and data section ({@link DataKind}), its puzzles,
 * their augmentation, how its boards are written and checked, and how a page draws them. Training,
 * evaluation, the API, the service and the page ask the kind; {@link PuzzleKinds} finds it by
 * name. A board is square, read row by row, one small number per cell (0 usually empty); its
 * tokens are what the model reads and writes. docs/EXTENDING.md says how to add one.
 *
 * @param <C> the record of its data section
 */
public interface PuzzleKind<C extends DataConfig.Puzzles> extends DataKind {
    @Override Class<C> config();

    /** How its boards are written, in one line: what each cell value means. */
    String description();

    /** The same for boards of one side, where the side changes what a cell may hold (Sudoku's digits). */
    default String description(int side) {
        return description();
    }

    /** The training, test and validation puzzles of a data section, apart as the kind defines it; validation is null when none is asked for. */
    Splits load(C c);

    /** A data section in a few words, as {@code info --list} shows it ("generated 4x4 Sudoku"). */
    String summary(C c);

    /** {@code count} puzzles drawn as {@code c} draws its held-out ones, from {@code seed} (one is the API's sample puzzle). */
    PuzzleSet generate(C c, int count, long seed);

    /**
     * The puzzles {@code trm4j data generate} writes: {@code count} from {@code seed}, shaped by the options given, by
     * name without the dashes ({@code size}, {@code min-clues}, {@code min-effort}, {@code min-path}); a kind reads
     * those it has and fills in its defaults.
     */
    PuzzleSet generate(int count, long seed, Map<String, Long> options);

    /** Refuses, naming it, an option given to {@code kind}'s {@link #generate(int, long, Map)} that is not among {@code own}. */
    static void takes(String kind, Map<String, Long> options, String... own) {
        List<String> known = List.of(own);
        for (String o : options.keySet())
            if (!known.contains(o))
                throw new DataError("--" + o + ": not an option of " + kind + (known.isEmpty() ? " (it takes none)"
                        : " (it takes " + String.join(", ", known.stream().map(k -> "--" + k).toList()) + ")"));
    }

    /**
     * A random symmetry of a side x side board, after which a puzzle is a puzzle with the transformed answer: augmented
     * training, and sampled answering's copies ({@code --augment}). The identity by default: a kind without symmetries.
     */
    default Symmetry symmetry(int side, Random rnd) {
        return Symmetry.identity(side * side);
    }

    /**
     * What a set generated with {@code options} ({@link #generate(int, long, Map)}) falls short of, where an option asks for what
     * generation only tries for (Sudoku's least search effort); null when it meets them all.
     */
    default String shortOf(PuzzleSet set, Map<String, Long> options) {
        return null;
    }

    /** The largest cell value a given board of this side may hold (answers may hold more: a maze's path). */
    int maxGiven(int side);

    /** The token of a cell value: value + 1 unless the kind says otherwise (token 0 is PAD). */
    default byte token(int value) {
        return (byte) (value + 1);
    }

    /** The cell value of a token, the inverse of {@link #token}; a token that writes no cell (PAD) reads as 0. */
    default int value(byte token) {
        return Math.max(0, token - 1);
    }

    /**
     * Whether an answer (tokens) solves its puzzle (tokens) though it may differ from the label, as N-Queens'
     * completions do: evaluations report the share of valid answers beside the exact ones. Null: only the label counts.
     */
    default BiPredicate<byte[], byte[]> validity() {
        return null;
    }

    /**
     * Why a given board (tokens) cannot be answered: two givens that break the kind's rules, naming their cells; null when none
     * do. The API refuses such a board before the model sees it.
     */
    default String conflict(byte[] tokens, int side) {
        return null;
    }

    /** Two cells of a board of this side, in words, counted from 1 as people count: "row 1, column 2 and row 1, column 4". */
    static String cells(int i, int j, int side) {
        return "row " + (i / side + 1) + ", column " + (i % side + 1) + " and row " + (j / side + 1) + ", column " + (j % side + 1);
    }

    /** How a page draws boards of this side. */
    BoardLook look(int side);

    /** A data section's puzzle sets; validation is null when it asks for none. */
    record Splits(PuzzleSet train, PuzzleSet test, PuzzleSet validation) {}
}
