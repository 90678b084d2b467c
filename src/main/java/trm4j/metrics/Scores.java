package trm4j.metrics;

import java.util.List;

/**
 * What one evaluation scored: puzzles (exact accuracy) or ARC tasks (pass@k after voting). The
 * fields and their names in {@code metrics.jsonl} are in docs/METRICS.md.
 */
public sealed interface Scores permits PuzzleScores, ArcScores {
    /** The headline: pass@2 for ARC, exact accuracy for puzzles. */
    double accuracy();

    /** The headline after each supervision step; the last is the answer's. */
    List<Double> perStep();

    /** What {@link #accuracy()} measures, for a result line: "pass@2" or "exact accuracy". */
    String measure();
}
