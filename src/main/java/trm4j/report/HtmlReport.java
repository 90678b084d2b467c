package trm4j.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.metrics.MetricsLine;

/**
 * A report folder: PNG charts of loss and accuracy against steps, network calls and wall time
 * (one line per run, so DIS and TRM lie side by side), the test set's per-step accuracy curve, and
 * an index.html that shows them, each captioned with the split it is from, with a table of each
 * run's final numbers (the test set's).
 */
public final class HtmlReport {
    private HtmlReport() {}

    /** Copies the PNGs in {@code folder} ({@code field} names it in errors) into {@code out}/tasks, for {@link #write}; returns the copies. */
    public static List<Path> copyImages(Path folder, String field, Path out) throws IOException {
        if (!Files.isDirectory(folder)) throw new UserError(field + ": " + folder + " is not a folder");
        Files.createDirectories(out.resolve("tasks"));
        List<Path> copies = new ArrayList<>();
        try (var files = Files.list(folder)) {
            for (Path png : files.filter(f -> f.toString().endsWith(".png")).sorted().toList())
                copies.add(Files.copy(png, out.resolve("tasks").resolve(png.getFileName()), StandardCopyOption.REPLACE_EXISTING));
        }
        return copies;
    }

    /** Writes the charts and index.html into {@code out}; returns the page. */
    public static Path write(List<RunMetrics> runs, Path out, List<Path> extraImages) throws IOException {
        return write(runs, out, extraImages, Double.NaN);
    }

    /** The same, with columns for the network calls and time to first reach test accuracy {@code target}. */
    public static Path write(List<RunMetrics> runs, Path out, List<Path> extraImages, double target) throws IOException {
        Files.createDirectories(out);
        List<String> images = new ArrayList<>(), captions = new ArrayList<>();
        String curves = curvesTitle(runs);
        for (RunMetrics.Axis axis : RunMetrics.Axis.values()) {
            String loss = "loss-" + axis.file() + ".png", acc = "accuracy-" + axis.file() + ".png";
            Charts.lines(out.resolve(loss), "Training loss", axis, "loss", runs, RunMetrics::train, MetricsLine.Training::loss);
            Charts.lines(out.resolve(acc), curves, axis, "accuracy", runs, RunMetrics::evals, RunMetrics::accuracy);
            images.add(loss);
            captions.add("Training loss");
            images.add(acc);
            captions.add(curves);
        }
        Charts.stepCurve(out.resolve("step-curve.png"), STEP_CURVE_TITLE, runs);
        images.add("step-curve.png");
        captions.add(STEP_CURVE_TITLE);
        for (Path p : extraImages) {
            images.add(out.toAbsolutePath().relativize(p.toAbsolutePath()).toString());
            captions.add("");
        }

        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>trm4j report</title>"
                + "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
                + "padding:4px 8px;text-align:right}img{max-width:800px;display:block;margin:1em 0}</style></head><body>"
                + "<h1>trm4j report</h1><table><tr><th>run</th><th>method</th><th>steps</th><th>samples</th>"
                + "<th>calls per sample</th><th>wall (s)</th><th>final loss</th><th>test accuracy</th><th>test accuracy after each step</th>"
                + (Double.isNaN(target) ? "" : "<th>network calls x batch to reach " + curvesSplit(runs) + " " + target + "</th><th>wall (s) to reach " + target + "</th>") + "</tr>");
        for (RunMetrics r : runs) {
            MetricsLine.Training last = r.train().isEmpty() ? null : r.train().get(r.train().size() - 1);
            MetricsLine.Evaluation eval = r.evals().isEmpty() ? null : r.evals().get(r.evals().size() - 1);
            h.append("<tr><td>").append(escape(r.name())).append("</td><td>").append(escape(r.method())).append("</td><td>")
                    .append(last == null ? "" : last.step()).append("</td><td>")
                    .append(last == null ? "" : last.samples()).append("</td><td>")
                    .append(last == null || last.callsPerSample() == null ? "" : String.format("%.1f", last.callsPerSample())).append("</td><td>")
                    .append(last == null ? "" : String.format("%.0f", last.wallS())).append("</td><td>")
                    .append(last == null ? "" : String.format("%.4f", last.loss())).append("</td><td>")
                    .append(eval == null ? "" : String.format("%.3f", r.finalAccuracy())).append("</td><td>")
                    .append(r.lastStepCurve().stream().map(v -> String.format("%.2f", v)).reduce((a, b) -> a + " " + b).orElse(""))
                    .append("</td>");
            if (!Double.isNaN(target)) {
                MetricsLine.Evaluation hit = r.firstReaching(target);
                h.append("<td>").append(hit == null ? "not reached" : String.format("%.3g", r.x(hit, RunMetrics.Axis.CALLS)))
                        .append("</td><td>").append(hit == null ? "not reached" : String.format("%.0f", r.x(hit, RunMetrics.Axis.WALL))).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
        List<SeedGroup> groups = SeedGroup.of(runs).stream().filter(g -> g.runs().size() > 1).toList();
        if (!groups.isEmpty()) {
            h.append("<h2>Seed groups</h2><table><tr><th>group</th><th>seeds</th><th>test accuracy, mean</th><th>sd</th></tr>");
            for (SeedGroup g : groups) {
                double[] a = g.finalAccuracy();
                h.append("<tr><td>").append(escape(g.name())).append("</td><td>").append((int) a[2]).append("</td><td>")
                        .append(String.format("%.3f", a[0])).append("</td><td>").append(String.format("%.3f", a[1])).append("</td></tr>");
            }
            h.append("</table>");
        }
        for (int i = 0; i < images.size(); i++) {
            String img = escape(images.get(i));
            h.append("<figure><img src=\"").append(img).append("\" alt=\"").append(img).append("\">");
            if (!captions.get(i).isEmpty()) h.append("<figcaption>").append(escape(captions.get(i))).append("</figcaption>");
            h.append("</figure>");
        }
        h.append("</body></html>\n");
        Path page = out.resolve("index.html");
        Outputs.writeAtomically(page, h.toString().getBytes(StandardCharsets.UTF_8));
        return page;
    }

    /** The last evaluation's per-step curve is the test set's, scored at a run's last step. */
    static final String STEP_CURVE_TITLE = "Test accuracy after each supervision step (the test set, at the last evaluation)";

    /**
     * What the accuracy curves show: the validation puzzles for a run that holds them out (its test set is
     * scored once, at the end, in the table), else the test set.
     */
    static String curvesTitle(List<RunMetrics> runs) {
        String split = curvesSplit(runs);
        return Character.toUpperCase(split.charAt(0)) + split.substring(1) + " during training (exact, or pass@2 for ARC)";
    }

    private static String curvesSplit(List<RunMetrics> runs) {
        long validated = runs.stream().filter(RunMetrics::validated).count();
        return validated == runs.size() ? "validation accuracy" : validated == 0 ? "test accuracy"
                : "validation accuracy (test accuracy for runs without validation puzzles)";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
