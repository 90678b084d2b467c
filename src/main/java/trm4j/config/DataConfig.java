package trm4j.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a run trains and evaluates on (the {@code "data"} section of a preset).
 *
 * @param kind          nqueens, sudoku, maze (generated) or arc (a named set under {@code root})
 * @param size          Sudoku side (4, 6, 9) or maze side
 * @param train         generated training puzzles
 * @param test          generated test puzzles
 * @param validation    generated validation puzzles, held out like the test ones: the evaluations during training
 *                      use them, and the test set is scored once, at the end (0 = evaluate on the test set)
 * @param seed          generation and stream seed
 * @param minClues      Sudoku: fewest givens; minEffort: fewest search nodes (harder puzzles)
 * @param minPath       maze: shortest-path length at least this
 * @param augment       Sudoku/Maze: augment every training visit
 * @param set           ARC set name (arc-agi-1 and arc-agi-2 are the SPEC.md mixes)
 * @param root          folder holding the ARC sets
 * @param versions      augmented versions per ARC task (1000 in SPEC.md)
 * @param evalVersions  versions voted over per test input at the final evaluation (the reference votes over all 1000)
 * @param progressVersions versions voted over by the evaluations before the last step, a faster view (0 = evalVersions)
 * @param canvas        ARC canvas side (30 in SPEC.md; smaller sets fit a smaller one; 1D-ARC is 1 x 96)
 * @param holdout       sets without an evaluation split: fraction of tasks whose test pairs are held out
 */
public record DataConfig(
        @JsonProperty("kind") String kind,
        @JsonProperty("size") int size,
        @JsonProperty("train") int train,
        @JsonProperty("test") int test,
        @JsonProperty("validation") int validation,
        @JsonProperty("seed") long seed,
        @JsonProperty("min_clues") int minClues,
        @JsonProperty("min_effort") long minEffort,
        @JsonProperty("min_path") int minPath,
        @JsonProperty("augment") boolean augment,
        @JsonProperty("set") String set,
        @JsonProperty("root") String root,
        @JsonProperty("versions") int versions,
        @JsonProperty("eval_versions") int evalVersions,
        @JsonProperty("progress_versions") int progressVersions,
        @JsonProperty("canvas") int canvas,
        @JsonProperty("holdout") double holdout) {

    public DataConfig {
        if (!java.util.List.of("nqueens", "sudoku", "maze", "arc").contains(kind))
            throw new trm4j.UserError("data.kind: '" + kind + "' is not one of nqueens, sudoku, maze, arc");
        if (!kind.equals("arc") && (train < 1 || test < 1)) throw new trm4j.UserError("data.train and data.test must be at least 1");
        if (kind.equals("arc") && (versions < 1 || evalVersions < 1 || evalVersions > versions))
            throw new trm4j.UserError("data.eval_versions must be between 1 and data.versions");
        if (progressVersions < 0 || progressVersions > versions)
            throw new trm4j.UserError("data.progress_versions " + progressVersions + ": must be between 0 (= eval_versions) and data.versions");
        if (validation < 0) throw new trm4j.UserError("data.validation " + validation + ": must be at least 0");
        if (holdout < 0 || holdout >= 1) throw new trm4j.UserError("data.holdout " + holdout + ": must be in [0, 1)");
        if (kind.equals("arc") && (canvas < 1 || canvas > 30))
            throw new trm4j.UserError("data.canvas " + canvas + ": must be between 1 and 30 (the side of the square canvas ARC grids are written on)");
    }

    /** The versions the evaluations before the last step vote over. */
    public int progressVersionsOrFinal() {
        return progressVersions == 0 ? evalVersions : progressVersions;
    }
}
