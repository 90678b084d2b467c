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
        description = {"Draw PNG charts of one or more training runs (loss and test accuracy against optimiser steps,",
                "network calls and wall time; accuracy after each supervision step) and an index.html that shows them."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "run folders written by 'trm4j train'") List<Path> runs;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the report folder") Path out;

    @Override
    public Integer call() throws Exception {
        List<RunMetrics> metrics = new ArrayList<>();
        for (Path r : runs) metrics.add(RunMetrics.read(r));
        System.out.println("report: " + HtmlReport.write(metrics, out, List.of()));
        return 0;
    }
}
