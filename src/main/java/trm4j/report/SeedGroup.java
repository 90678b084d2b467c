package trm4j.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import trm4j.metrics.MetricsLine;

/**
 * Runs that differ only by their seed, recognised by a folder name ending in {@code -seedN},
 * {@code _seedN} or {@code -sN}: a report draws their mean with a band of one standard deviation
 * and tabulates mean and standard deviation, so that a comparison shows its spread.
 */
public record SeedGroup(String name, List<RunMetrics> runs) {
    private static final Pattern SEED = Pattern.compile("[-_](seed|s)\\d+$");

    /** Runs grouped by their name without the seed suffix, in the order first seen. */
    public static List<SeedGroup> of(List<RunMetrics> runs) {
        Map<String, List<RunMetrics>> groups = new LinkedHashMap<>();
        for (RunMetrics r : runs) groups.computeIfAbsent(SEED.matcher(r.name()).replaceFirst(""), k -> new ArrayList<>()).add(r);
        List<SeedGroup> out = new ArrayList<>();
        groups.forEach((name, members) -> out.add(new SeedGroup(name, members)));
        return out;
    }

    /** One point of a group's curve: mean x, mean y and the standard deviation of y across seeds. */
    public record Point(double x, double mean, double sd) {}

    /**
     * The group's curve: the i-th points of every run (their lines in order) averaged, up to the
     * shortest run; x is averaged too (steps agree across seeds, calls and wall time nearly).
     */
    public <L extends MetricsLine> List<Point> curve(Function<RunMetrics, List<L>> pick, ToDoubleFunction<L> y, RunMetrics.Axis axis) {
        int n = runs.stream().mapToInt(r -> pick.apply(r).size()).min().orElse(0);
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] xs = new double[runs.size()], ys = new double[runs.size()];
            for (int k = 0; k < runs.size(); k++) {
                L line = pick.apply(runs.get(k)).get(i);
                xs[k] = runs.get(k).x(line, axis);
                ys[k] = y.applyAsDouble(line);
            }
            out.add(new Point(mean(xs), mean(ys), sd(ys)));
        }
        return out;
    }

    /** Mean and standard deviation (n - 1 in the denominator) of each run's final accuracy (the test set's, see {@link RunMetrics#finalAccuracy}). */
    public double[] finalAccuracy() {
        double[] a = runs.stream().filter(r -> !r.evals().isEmpty())
                .mapToDouble(RunMetrics::finalAccuracy).filter(v -> !Double.isNaN(v)).toArray();
        return new double[] {mean(a), sd(a), a.length};
    }

    /** One line: the seeds and the mean and sd of their final accuracy, and the runs' last steps where they differ. */
    public String summary() {
        double[] a = finalAccuracy();
        List<Long> last = runs.stream().map(r -> r.evals().isEmpty() ? (r.train().isEmpty() ? 0L : r.train().get(r.train().size() - 1).step())
                : r.evals().get(r.evals().size() - 1).step()).toList();
        return String.format("%-24s %d seeds, test accuracy mean %.3f, sd %.3f", name, (int) a[2], a[0], a[1])
                + (last.stream().distinct().count() > 1 ? "; their last steps differ (" + last.stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + "): the mean mixes runs of different lengths" : "");
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    static double sd(double[] v) {
        if (v.length < 2) return 0;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }
}
