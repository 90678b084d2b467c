package trm4j.api;

import java.time.Duration;

/**
 * How to adapt a model to a new ARC task (test-time adaptation).
 *
 * @param steps    training steps on the task's demonstrations (0: blank embeddings, no training)
 * @param versions augmented versions of the task (dihedral transforms and colour permutations), each with its own embedding, voted over
 * @param batch    demonstrations per step
 * @param weights  also fine-tune the network's weights (at the run's learning rate / 10), not only the task's embeddings
 * @param budget   the most wall time the steps may take (zero: no limit; else 1 ms to 366 days); the steps done by then are kept. It is
 *                 looked at where a batch's supervision steps end (DIS: every N_sup steps), so a few steps may run past it
 */
public record AdaptOptions(int steps, int versions, int batch, boolean weights, Duration budget) {
    public AdaptOptions {
        if (steps < 0) throw new InvalidInputException("steps " + steps + ": must be at least 0");
        if (versions < 1 || versions > 1000) throw new InvalidInputException("versions " + versions + ": must be in 1..1000");
        if (batch < 1 || batch > 4096) throw new InvalidInputException("batch " + batch + ": must be in 1..4096");
        if (budget == null || budget.isNegative() || !budget.isZero() && (budget.compareTo(Duration.ofMillis(1)) < 0 || budget.compareTo(MAX_BUDGET) > 0))
            throw new InvalidInputException("budget " + budget + ": must be zero (no limit) or from 1 ms to 366 days");
    }

    /** The longest budget: milliseconds that count without overflow, and more than any adaptation needs. */
    public static final Duration MAX_BUDGET = Duration.ofDays(366);

    /** 120 steps over 8 versions, batch 16, the weights frozen, no time limit (the command line's solve). */
    public static AdaptOptions defaults() {
        return new AdaptOptions(120, 8, 16, false, Duration.ZERO);
    }

    public AdaptOptions withSteps(int s) { return new AdaptOptions(s, versions, batch, weights, budget); }
    public AdaptOptions withVersions(int v) { return new AdaptOptions(steps, v, batch, weights, budget); }
    public AdaptOptions withBatch(int b) { return new AdaptOptions(steps, versions, b, weights, budget); }
    public AdaptOptions withWeights(boolean w) { return new AdaptOptions(steps, versions, batch, w, budget); }
    public AdaptOptions withBudget(Duration d) { return new AdaptOptions(steps, versions, batch, weights, d); }
}
