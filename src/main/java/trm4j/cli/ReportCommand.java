package trm4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.report.HtmlReport;
import trm4j.report.RunMetrics;
import trm4j.report.SeedGroup;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Draw charts of one or more training runs and an index.html that shows them.",
                "PNG charts of loss and test accuracy against optimiser steps, network calls and wall time, and of the "
                + "accuracy after each supervision step."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "run folders written by 'trm4j train'") List<Path> runs;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the report folder") Path out;
    @Option(names = "--target", paramLabel = "ACC", description = "also tabulate the network calls and wall time each run took to reach this test accuracy") Double target;
    @Option(names = "--task-images", paramLabel = "DIR", description = "include the ARC answer images written by 'trm4j eval --images DIR'") Path taskImages;

    @Override
    public Integer call() throws Exception {
        if (target != null && !(target > 0 && target <= 1)) throw new UserError("--target " + target + ": an accuracy, above 0 and at most 1");
        Outputs.folder(out, "--out");
        List<RunMetrics> metrics = RunMetrics.read(runs);
        for (RunMetrics m : metrics) System.out.println(m.summary(target));
        for (SeedGroup g : SeedGroup.of(metrics)) if (g.runs().size() > 1) System.out.println(g.summary());
        List<Path> images = taskImages == null ? List.of() : HtmlReport.copyImages(taskImages, "--task-images", out);
        System.out.println("report: " + HtmlReport.write(metrics, out, images, target == null ? Double.NaN : target));
        return 0;
    }
}
