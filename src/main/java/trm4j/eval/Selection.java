package trm4j.eval;

import java.util.Arrays;
import java.util.Locale;

import trm4j.UserError;
import trm4j.config.Method;
import trm4j.model.Inference;

/**
 * How one answer is chosen among a puzzle's sampled trajectories (docs/METHOD.md section 6).
 * <ul>
 * <li>{@link #VOTE}: the answer most samples end with; ties by their mean confidence;
 * <li>{@link #HALT}: the sample whose halting head is surest at the last step, sigmoid(q_halt) (TRM);
 * <li>{@link #FIRST_HALT}: the sample whose q_halt turns positive first, its answer at that step (TRM);
 * <li>{@link #CONFIDENCE}: the sample whose answer has the highest mean cell probability (any model; DIS has no halting head).
 * </ul>
 * A vote's tie-break is the confidence ARC voting uses: sigmoid(q_halt) at the last step for a model
 * with a trained halting head, else the mean stable-max probability of the answer's cells.
 */
public enum Selection {
    VOTE, HALT, FIRST_HALT, CONFIDENCE;

    /**
     * @param sample the chosen sample of the puzzle (0..K-1)
     * @param step   the step (0-based) whose answer is taken: the last, or the halting step for {@link #FIRST_HALT}
     * @param agree  how many of the K samples end with the chosen sample's last answer
     */
    public record Choice(int sample, int step, int agree) {}

    /** Refuses what an ARC task cannot do: its answers vote over its versions and samples, and its versions are its augmentations. */
    public Selection checkForArc(boolean augment) {
        if (this != VOTE) throw new UserError("select: an ARC task's answers vote over its versions and samples, not '" + this + "'");
        if (augment) throw new UserError("augment: an ARC task's versions are its augmentations already: leave it out (versions sets how many)");
        return this;
    }

    /** Refuses a rule the model cannot follow: the halting rules need a trained halting head. */
    public Selection checkFor(Method m, String field) {
        if ((this == HALT || this == FIRST_HALT) && !m.trainsHalting())
            throw new UserError(field + ": '" + this + "' needs a halting head, and a " + m.id().toUpperCase(Locale.ROOT) + " model has none (vote or confidence)");
        return this;
    }

    /** Whether choosing needs the cells' probabilities ({@link Inference.Answer#cells}). */
    public boolean needsCells(Method m, int samples) {
        return samples > 1 && (this == CONFIDENCE || (this == VOTE && !m.trainsHalting()));
    }

    /** The choice for puzzle {@code puzzle} of an answer with {@code k} samples per puzzle (rows puzzle x k .. puzzle x k + k - 1). */
    public Choice pick(Inference.Answer a, int puzzle, int k, Method m) {
        int last = a.predictions().length - 1, first = puzzle * k;
        if (k == 1) return new Choice(0, last, 1);
        int best = 0, step = last;
        switch (this) {
            case VOTE -> {   // the most votes; the mean confidence (in [0, 1]) of a vote's samples breaks ties
                double bestScore = -1;
                for (int j = 0; j < k; j++) {
                    int votes = agree(a, first, k, j);
                    double mean = 0;
                    for (int i = 0; i < k; i++)
                        if (Arrays.equals(a.predictions()[last][first + i], a.predictions()[last][first + j]))
                            mean += (m.trainsHalting() ? halting(a, first + i) : cells(a, first + i)) / votes;
                    if (votes + mean / 2 > bestScore) {
                        bestScore = votes + mean / 2;
                        best = j;
                    }
                }
            }
            case HALT -> { for (int j = 1; j < k; j++) if (halting(a, first + j) > halting(a, first + best)) best = j; }
            case CONFIDENCE -> { for (int j = 1; j < k; j++) if (cells(a, first + j) > cells(a, first + best)) best = j; }
            case FIRST_HALT -> {
                int earliest = Integer.MAX_VALUE;
                for (int j = 0; j < k; j++) {
                    int h = haltingStep(a.qHalt(), first + j);
                    if (h < earliest || (h == earliest && halting(a, first + j) > halting(a, first + best))) {
                        earliest = h;
                        best = j;
                    }
                }
                step = earliest;
            }
        }
        return new Choice(best, step, agree(a, first, k, best));
    }

    /** The samples of a puzzle whose last answer is sample j's. */
    private static int agree(Inference.Answer a, int first, int k, int j) {
        int last = a.predictions().length - 1, n = 0;
        for (int i = 0; i < k; i++) if (Arrays.equals(a.predictions()[last][first + i], a.predictions()[last][first + j])) n++;
        return n;
    }

    /** sigmoid(q_halt) at the last step. */
    private static double halting(Inference.Answer a, int row) {
        return 1 / (1 + Math.exp(-a.qHalt()[a.qHalt().length - 1][row]));
    }

    /** The mean stable-max probability of the last answer's cells. */
    private static double cells(Inference.Answer a, int row) {
        int seq = a.predictions()[0][row].length;
        double sum = 0;
        for (int j = 0; j < seq; j++) sum += a.cells()[row * seq + j];
        return sum / seq;
    }

    /** The step (0-based) a sample halts at: the first whose q_halt is positive, else the last. */
    static int haltingStep(double[][] qHalt, int row) {
        for (int s = 0; s < qHalt.length; s++) if (qHalt[s][row] > 0) return s;
        return qHalt.length - 1;
    }

    @Override public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
