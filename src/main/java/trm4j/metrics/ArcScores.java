package trm4j.metrics;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * ARC scores after voting over augmented versions (docs/METHOD.md section 6).
 *
 * @param tasks      tasks scored
 * @param testInputs their test inputs
 * @param versions   augmented versions voted over per task
 * @param passAtK    k -> the mean over tasks of the fraction of their test inputs whose truth is among the top k
 * @param stepPass2  pass@2 after each supervision step
 */
public record ArcScores(int tasks, int testInputs, int versions, SortedMap<Integer, Double> passAtK, List<Double> stepPass2) implements Scores {
    public ArcScores {
        passAtK = Collections.unmodifiableSortedMap(new TreeMap<>(passAtK));
        stepPass2 = List.copyOf(stepPass2);
    }

    /** pass@k, NaN when it was not scored. */
    public double pass(int k) { return passAtK.getOrDefault(k, Double.NaN); }

    @Override public double accuracy() { return pass(2); }
    @Override public List<Double> perStep() { return stepPass2; }
    @Override public String measure() { return "pass@2"; }
}
