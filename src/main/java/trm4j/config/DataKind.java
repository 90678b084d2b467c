package trm4j.config;

import java.util.List;

/**
 * A kind of generated puzzle as a preset's data section names it: its name ({@code "kind"}) and the
 * record the section reads into. trm4j.data's PuzzleKind extends it with everything else a kind
 * does. A kind written outside trm4j lists its class in {@code META-INF/services/trm4j.config.DataKind};
 * {@link Json#MAPPER} then reads its record by its name (docs/EXTENDING.md).
 */
public interface DataKind {
    /** The name presets, puzzle-set files, the API and the page write ({@code "sudoku"}). */
    String name();

    /** The record of a data section of this kind. */
    Class<? extends DataConfig.Puzzles> config();

    /** The kinds listed by the class path's service files, in its order; each is one instance, loaded once. */
    static List<DataKind> found() {
        return FoundKinds.ALL;
    }
}
