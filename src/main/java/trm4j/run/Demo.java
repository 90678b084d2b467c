package trm4j.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import trm4j.engine.Torch;
import trm4j.model.Network;
import trm4j.report.HtmlReport;
import trm4j.report.RunMetrics;
import trm4j.train.TrainState;

/**
 * The demo: a small DIS model trained on generated 4x4 Sudoku (preset 'demo'), evaluated against
 * the same model untrained, with a report. Running it again continues the same run folder.
 */
public final class Demo {
    public static final String PRESET = "demo";

    private final Path out;
    private final TrainRun training;

    private Demo(Path out, TrainRun training) {
        this.out = out;
        this.training = training;
    }

    public static Demo prepare(Path out, Map<String, String> overrides) throws IOException {
        boolean again = Files.exists(out.resolve(TrainState.FILE));
        return new Demo(out, TrainRun.prepare(TrainRun.Request.of(PRESET, out, overrides).resuming(again)));
    }

    public void requestStop() { training.requestStop(); }

    public TrainRun.Outcome run() throws IOException {
        RunSetup run = training.setup();
        Torch.seed(run.train().seed());
        Network untrained = Network.init(run.model(), Notices.announce(run.train().precision(), run.train().device()), run.train().device());
        double before = Evaluation.run(untrained, run.data(), Evaluation.Settings.of(run), "untrained").puzzles().exact();
        TrainRun.Outcome r = training.run();
        if (r.result().stopped()) return r;
        Path page = HtmlReport.write(List.of(RunMetrics.read(out)), out.resolve("report"), List.of());
        return new TrainRun.Outcome(r.result(), r.summary() + String.format("%nuntrained model: exact accuracy %.3f on the same %d test puzzles%nreport: %s",
                before, run.data().test().size(), page));
    }
}
