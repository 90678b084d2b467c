package trm4j.metrics;

import java.util.List;

/**
 * Exact accuracy on a puzzle set (docs/METHOD.md section 6).
 *
 * @param count        puzzles scored
 * @param exact        the fraction whose answer is the label, every cell: the answer after the last step (with
 *                     sampled trajectories, the chosen one's; at its halting step when the rule takes that one)
 * @param tokens       the fraction of cells right
 * @param stepAccuracy exact accuracy after step s = 1..N_sup (of the chosen trajectory); the last is {@code exact}
 *                     but for a rule that answers at the halting step
 * @param valid        a kind that checks answers: the fraction of valid ones (any solution, not only the label: N-Queens' completions, a maze's other shortest paths), else null
 * @param haltExact    a model with a trained halting head: exact accuracy of the answer at the step each sample
 *                     halts (the first with q_halt > 0, else the last), as TRM would stop; else null
 * @param haltStep     the mean of that step, else null
 * @param agree        with sampled trajectories: the mean fraction of a puzzle's samples that end with the chosen answer; else null
 */
public record PuzzleScores(int count, double exact, double tokens, List<Double> stepAccuracy, Double valid, Double haltExact, Double haltStep,
                           Double agree)
        implements Scores {
    public PuzzleScores {
        stepAccuracy = List.copyOf(stepAccuracy);
    }

    @Override public double accuracy() { return exact; }
    @Override public List<Double> perStep() { return stepAccuracy; }
    @Override public String measure() { return "exact accuracy"; }
}
