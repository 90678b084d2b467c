package trm4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import trm4j.DidYouMean;
import trm4j.UserError;
import trm4j.config.DataConfig;
import trm4j.config.DataKind;

/** The kinds of generated puzzle: the built-in ones, then those found on the class path ({@link DataKind#found}). */
public final class PuzzleKinds {
    public static final NQueensKind NQUEENS = new NQueensKind();
    public static final SudokuKind SUDOKU = new SudokuKind();
    public static final MazeKind MAZE = new MazeKind();
    private static final List<PuzzleKind<?>> ALL = all();

    private PuzzleKinds() {}

    private static List<PuzzleKind<?>> all() {
        List<PuzzleKind<?>> out = new ArrayList<>(List.of(NQUEENS, SUDOKU, MAZE));
        for (DataKind k : DataKind.found()) {
            if (!(k instanceof PuzzleKind<?> p)) throw new IllegalStateException(k.getClass().getName() + ": a data kind must be a " + PuzzleKind.class.getName());
            out.add(p);
        }
        return List.copyOf(out);
    }

    /** Every kind's name. */
    public static List<String> names() {
        return ALL.stream().map(PuzzleKind::name).toList();
    }

    /** The kind of a name, or null when none has it. */
    public static PuzzleKind<?> find(String name) {
        for (PuzzleKind<?> k : ALL) if (k.name().equals(name)) return k;
        return null;
    }

    /** The kind of a name; {@code where} starts the one-line error that an unknown name gets. */
    public static PuzzleKind<?> of(String name, String where) {
        PuzzleKind<?> k = find(name);
        if (k == null) throw new DataError(where + ": '" + name + "' is not one of " + String.join(", ", names()) + DidYouMean.of(name, names()));
        return k;
    }

    /** The kind a data section names; ARC's names none. */
    public static PuzzleKind<?> of(DataConfig c) {
        return of(c.kind(), "data.kind");
    }

    /** The training, test and validation puzzles of a data section of generated puzzles. */
    public static PuzzleKind.Splits load(DataConfig.Puzzles c) {
        return own(of(c), c, PuzzleKind::load);
    }

    /** A data section of generated puzzles in a few words, as {@code info --list} shows it. */
    public static String summary(DataConfig.Puzzles c) {
        return own(of(c), c, PuzzleKind::summary);
    }

    /** {@code count} puzzles drawn as a data section draws its held-out ones; ARC tasks are read, not generated. */
    public static PuzzleSet generate(DataConfig c, int count, long seed) {
        if (!(c instanceof DataConfig.Puzzles p)) throw new DataError("data.kind " + c.kind() + ": there is no puzzle to generate (ARC tasks are read, not generated)");
        return own(of(p), p, (k, own) -> k.generate(own, count, seed));
    }

    /** What {@code trm4j data generate KIND} writes (see {@link PuzzleKind#generate(int, long, Map)}). */
    public static PuzzleSet generate(String kind, int count, long seed, Map<String, Long> options) {
        if (count < 1 || count > DataConfig.MAX_PUZZLES) throw new DataError("--count must be in 1.." + DataConfig.MAX_PUZZLES);
        try {
            return of(kind, "kind").generate(count, seed, options);
        } catch (UserError e) {   // a kind checks its options as a data section's fields (data.min_clues): here they are flags (--min-clues)
            Matcher field = Pattern.compile("^data\\.([a-z_]+)").matcher(e.getMessage());
            if (!field.find()) throw e;
            throw new DataError("--" + field.group(1).replace('_', '-') + e.getMessage().substring(field.end()));
        }
    }

    /** What a kind does with a data section, given as the kind's own record: the section's kind chose the kind, so it is of that type. */
    private static <C extends DataConfig.Puzzles, R> R own(PuzzleKind<C> k, DataConfig.Puzzles c, BiFunction<PuzzleKind<C>, C, R> f) {
        return f.apply(k, k.config().cast(c));
    }
}
