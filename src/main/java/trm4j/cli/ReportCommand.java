package trm4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import trm4j.report.HtmlReport;
import trm4j.report.RunMetrics;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Draw charts of one or more training runs and an index.html that shows them.",
                "PNG charts of loss and test accuracy against optimiser steps, network calls and wall time, and of the "
                + "accuracy after each supervision step."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "run folders written by 'trm4j train'") List<Path> runs;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the report folder") Path out;
    @Option(names = "--target", paramLabel = "ACC", description = "also tabulate the network calls and wall time each run took to reach this test accuracy")
    Double target;
    @Option(names = "--task-images", paramLabel = "DIR", description = "include the ARC answer images written by 'trm4j eval --images DIR'")
    Path taskImages;

    @Override
    public Integer call() throws Exception {
        trm4j.Outputs.folder(out, "--out");
        List<RunMetrics> metrics = new ArrayList<>();
        for (Path r : runs) metrics.add(RunMetrics.read(r));
        double t = target == null ? Double.NaN : target;
        for (RunMetrics m : metrics) {
            List<Double> curve = m.lastStepCurve();
            String line = String.format("%-24s %-4s steps %s, calls/sample %s, test accuracy %s, per step %s", m.name(), m.method(),
                    m.train().isEmpty() ? "-" : m.train().get(m.train().size() - 1).path("step").asText(),
                    m.train().isEmpty() ? "-" : String.format("%.1f", m.train().get(m.train().size() - 1).path("calls_per_sample").asDouble()),
                    m.evals().isEmpty() ? "-" : String.format("%.3f", m.finalAccuracy()), curve);
            if (target != null) {
                var hit = m.firstReaching(t);
                line += hit == null ? ", " + t + " not reached" : String.format(", reached %s at %.3g calls x batch, %.0f s", t, m.x(hit, "calls"), m.x(hit, "wall"));
            }
            System.out.println(line);
        }
        for (trm4j.report.SeedGroup g : trm4j.report.SeedGroup.of(metrics)) {
            if (g.runs().size() < 2) continue;
            double[] a = g.finalAccuracy();
            System.out.printf("%-24s %d seeds, test accuracy mean %.3f, sd %.3f%n", g.name(), (int) a[2], a[0], a[1]);
        }
        List<Path> images = new ArrayList<>();
        if (taskImages != null) {
            if (!java.nio.file.Files.isDirectory(taskImages)) throw new trm4j.UserError("--task-images: " + taskImages + " is not a folder");
            java.nio.file.Files.createDirectories(out.resolve("tasks"));
            try (var files = java.nio.file.Files.list(taskImages)) {
                for (Path png : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
                    Path copy = out.resolve("tasks").resolve(png.getFileName());
                    java.nio.file.Files.copy(png, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    images.add(copy);
                }
            }
        }
        System.out.println("report: " + HtmlReport.write(metrics, out, images, t));
        return 0;
    }
}
