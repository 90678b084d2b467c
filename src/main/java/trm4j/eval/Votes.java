package trm4j.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import trm4j.data.Grid;

/**
 * Voting over the answers to the augmented versions of one test input (docs/METHOD.md section 6): answers
 * are mapped back to the original frame first, identical grids pool their votes, ties are broken by
 * the mean confidence of the answers that voted for the grid.
 */
public final class Votes {
    private final Map<Grid, double[]> tally = new LinkedHashMap<>();   // grid -> {votes, confidence sum}

    public void add(Grid answer, double confidence) {
        if (answer == null) return;   // no grid could be decoded: no vote
        double[] t = tally.computeIfAbsent(answer, g -> new double[2]);
        t[0]++;
        t[1] += confidence;
    }

    public record Candidate(Grid grid, int votes, double confidence) {}

    /** Candidates by votes, then by mean confidence. */
    public List<Candidate> ranked() {
        List<Candidate> out = new ArrayList<>();
        tally.forEach((g, t) -> out.add(new Candidate(g, (int) t[0], t[1] / t[0])));
        out.sort(Comparator.comparingInt(Candidate::votes).reversed().thenComparing(Comparator.comparingDouble(Candidate::confidence).reversed()));
        return out;
    }

    /** True when one of the first k candidates is the truth (pass@k). */
    public static boolean passes(List<Candidate> ranked, Grid truth, int k) {
        for (int i = 0; i < Math.min(k, ranked.size()); i++) if (ranked.get(i).grid().equals(truth)) return true;
        return false;
    }
}
