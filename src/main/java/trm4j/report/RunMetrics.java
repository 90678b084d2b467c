package trm4j.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import trm4j.UserError;
import trm4j.config.Json;
import trm4j.metrics.MetricsFile;
import trm4j.metrics.MetricsLine;
import trm4j.metrics.Scores;

/**
 * A run folder's metrics as series: training lines (loss, accuracy) and evaluation lines, each
 * placed on the three x-axes a comparison needs ({@link Axis}).
 */
public record RunMetrics(String name, String method, int batch, List<MetricsLine.Training> train, List<MetricsLine.Evaluation> evals) {

    /** The x-axes of a chart. */
    public enum Axis {
        STEP("optimiser steps"),
        /** Network calls times the batch: per-sample network passes, the cost DIS and TRM differ in. */
        CALLS("network calls x batch size = per-sample network passes (log scale)"),
        WALL("wall time (s)");

        public final String label;

        Axis(String label) { this.label = label; }

        public String file() { return name().toLowerCase(); }
    }

    /**
     * The runs of several folders, each named by its folder's name, or by as much of its path as tells it from
     * another of the same name ({@code exp1/demo}, {@code exp2/demo}); a folder given twice is refused.
     */
    public static List<RunMetrics> read(List<Path> dirs) {
        List<Path> real = new ArrayList<>();
        for (Path d : dirs) {
            Path r = d.toAbsolutePath().normalize();
            try {
                r = d.toRealPath();
            } catch (IOException e) {
                // a folder that is not there is named by read(dir)
            }
            if (real.contains(r)) throw new UserError(d + ": given twice");
            real.add(r);
        }
        int[] depth = new int[dirs.size()];
        Arrays.fill(depth, 1);
        List<String> names = new ArrayList<>();
        for (boolean clash = true; clash; ) {
            names.clear();
            for (int i = 0; i < dirs.size(); i++) names.add(tail(real.get(i), depth[i]));
            clash = false;
            for (int i = 0; i < dirs.size(); i++)
                if (Collections.frequency(names, names.get(i)) > 1 && depth[i] < real.get(i).getNameCount()) {
                    depth[i]++;
                    clash = true;
                }
        }
        List<RunMetrics> out = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            RunMetrics m = read(dirs.get(i));
            out.add(new RunMetrics(names.get(i), m.method(), m.batch(), m.train(), m.evals()));
        }
        return out;
    }

    private static String tail(Path p, int n) {
        return p.getNameCount() == 0 ? p.toString() : p.subpath(Math.max(0, p.getNameCount() - n), p.getNameCount()).toString();
    }

    public static RunMetrics read(Path dir) {
        Path metrics = dir.resolve("metrics.jsonl"), preset = dir.resolve("preset.json");
        if (!Files.isRegularFile(metrics)) throw new UserError(dir + ": no metrics.jsonl (is it a 'trm4j train' run folder?)");
        List<MetricsLine.Training> train = new ArrayList<>();
        List<MetricsLine.Evaluation> evals = new ArrayList<>();
        for (MetricsLine l : MetricsFile.read(metrics)) {
            if (l instanceof MetricsLine.Training t) train.add(t);
            else if (l instanceof MetricsLine.Evaluation e) evals.add(e);
        }
        JsonNode p;
        try {
            p = Files.isRegularFile(preset) ? Json.MAPPER.readTree(preset.toFile()) : Json.MAPPER.createObjectNode();
        } catch (IOException e) {
            throw new UserError(preset + ": " + (e instanceof JsonProcessingException j ? Json.problem(j) : e.getMessage()));
        }
        return new RunMetrics(dir.getFileName().toString(), methodOf(p.path("train").path("method")), p.path("train").path("batch").asInt(1), train, evals);
    }

    /** The x value of a line on an axis. */
    public double x(MetricsLine line, Axis axis) {
        return switch (axis) {
            case STEP -> line.step();
            case WALL -> line instanceof MetricsLine.Training t ? t.wallS() : ((MetricsLine.Evaluation) line).wallS();
            case CALLS -> (double) batch * (line instanceof MetricsLine.Training t ? t.calls() : ((MetricsLine.Evaluation) line).calls());
        };
    }

    /** The accuracy an evaluation line reports (validation or test, whichever it scored): pass@2 for ARC, exact accuracy for puzzles. */
    public static double accuracy(MetricsLine.Evaluation e) {
        return e.scores().accuracy();
    }

    /** Whether the run held out validation puzzles: its curves follow those, and its test set is scored once, at the end. */
    public boolean validated() {
        return evals.stream().anyMatch(e -> e.split() == MetricsLine.Split.VALIDATION);
    }

    /** The run's final score: the test set's at the last evaluation (NaN when a validated run has not reached its end). */
    public double finalAccuracy() {
        Scores test = evals.get(evals.size() - 1).testScores();
        return test == null ? Double.NaN : test.accuracy();
    }

    /** The first evaluation line whose accuracy reaches {@code target}, or null. */
    public MetricsLine.Evaluation firstReaching(double target) {
        for (MetricsLine.Evaluation e : evals) if (accuracy(e) >= target) return e;
        return null;
    }

    /** One line: steps, calls per sample, the final accuracy and its curve, and when {@code target} (null: none) was first reached. */
    public String summary(Double target) {
        MetricsLine.Training last = train.isEmpty() ? null : train.get(train.size() - 1);
        String line = String.format("%-24s %-4s steps %s, calls/sample %s, test accuracy %s, test per step %s", name, method,
                last == null ? "-" : String.valueOf(last.step()), last == null ? "-" : String.format("%.1f", last.callsPerSample()),
                evals.isEmpty() ? "-" : String.format("%.3f", finalAccuracy()), lastStepCurve());
        if (target == null) return line;
        MetricsLine.Evaluation hit = firstReaching(target);
        return line + (hit == null ? ", " + target + " not reached"
                : String.format(", reached %s at %.3g calls x batch, %.0f s", target, x(hit, Axis.CALLS), x(hit, Axis.WALL)));
    }

    /** The test set's accuracy after each supervision step, at the last evaluation (empty when a validated run has not reached its end). */
    public List<Double> lastStepCurve() {
        Scores test = evals.isEmpty() ? null : evals.get(evals.size() - 1).testScores();
        return test == null ? List.of() : test.perStep();
    }

    /** The method's name: the kind of the method object, or the plain string older run folders hold. */
    private static String methodOf(JsonNode m) {
        return (m.isObject() ? m.path("kind") : m).asText("?");
    }
}
