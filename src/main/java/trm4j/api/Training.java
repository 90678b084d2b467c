package trm4j.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import trm4j.metrics.MetricsLine;
import trm4j.metrics.Scores;
import trm4j.report.HtmlReport;
import trm4j.report.RunMetrics;
import trm4j.run.Reporter;
import trm4j.run.TrainRun;
import trm4j.train.RunFolder;
import trm4j.train.Trainer;

/**
 * Training a model from a preset, with progress and metrics told to a listener: the same runs as
 * {@code trm4j train}, whose folder ({@code metrics.jsonl}, checkpoints, {@code model.safetensors})
 * a killed run resumes from.
 *
 * <pre>{@code
 * Training t = Training.prepare(TrainingSpec.of("demo", Path.of("runs/demo")).withOverrides(Map.of("steps", "600")),
 *         new TrainingListener() {
 *             public void progress(TrainingProgress p) { System.out.println(p.step() + " " + p.loss()); }
 *         });
 * TrainingResult r = t.run();   // another thread may call t.stop()
 * try (Model m = Model.load(r.model())) { ... }
 * }</pre>
 */
public final class Training {
    private final TrainRun run;
    private final TrainingSpec spec;
    private final TrainingListener listener;
    private final Reporter reporter;

    private Training(TrainRun run, TrainingSpec spec, TrainingListener listener, Reporter reporter) {
        this.run = run;
        this.spec = spec;
        this.listener = listener;
        this.reporter = reporter;
    }

    /** Checks everything that can be refused (the preset, its fields, the data, the folder) before any work. */
    public static Training prepare(TrainingSpec spec, TrainingListener listener) {
        Reporter reporter = new Reporter() {
            @Override public void progress(String label, long done, long total, String unit, String status) {
                if (!label.equals("train")) listener.evaluating(label, done, total);
            }

            @Override public void note(String line) {
                listener.note(line);
            }
        };
        return Model.guarded(() -> {
            try {
                TrainRun r = TrainRun.prepare(TrainRun.Request.of(spec.preset(), spec.out(), spec.overrides()).resuming(spec.resume())
                        .forcing(spec.force()).withInit(spec.init()), reporter);
                long total = r.setup().train().steps();
                r.listen(new Trainer.Listener() {
                    @Override public void logged(MetricsLine line, long steps) {
                        if (line instanceof MetricsLine.Training t) listener.progress(progress(t, total));
                    }
                });
                return new Training(r, spec, listener, reporter);
            } catch (IOException e) {
                throw new FileException(spec.out() + ": " + e.getMessage());
            }
        });
    }

    public static Training prepare(TrainingSpec spec) {
        return prepare(spec, TrainingListener.NONE);
    }

    /** Trains to the preset's last step (or to a {@link #stop}), then scores the test set once. */
    public TrainingResult run() {
        return Model.guarded(() -> {
            double untrained = spec.compareUntrained() ? run.untrainedScore(reporter) : Double.NaN;
            TrainRun.Outcome o = run.run();
            Scores test = o.test();
            double score = test == null ? Double.NaN : test.accuracy();
            List<Double> perStep = test == null ? List.of() : test.perStep();
            Path report = null;
            String summary = o.summary();
            if (spec.report() && !o.result().stopped()) {
                try {
                    report = HtmlReport.write(List.of(RunMetrics.read(spec.out())), spec.out().resolve("report"), List.of());
                } catch (IOException e) {
                    throw new FileException(spec.out().resolve("report") + ": cannot write: " + e.getMessage());
                }
            }
            if (!Double.isNaN(untrained))
                summary += String.format("%nuntrained model: %s %.3f on the same test set", test != null ? test.measure() : "accuracy", untrained);
            if (report != null) summary += "\nreport: " + report;
            return new TrainingResult(o.result().stopped(), run.step(), spec.out().resolve(RunFolder.MODEL_FILE), spec.out().resolve(RunFolder.METRICS_FILE),
                    score, perStep, untrained, report, summary);
        });
    }

    /** Asks the run to stop with a checkpoint at the next step it can resume from exactly. Safe from any thread. */
    public void stop() {
        run.requestStop();
    }

    private static TrainingProgress progress(MetricsLine.Training t, long total) {
        return new TrainingProgress(t.step(), total, t.loss(), t.exactAcc() == null ? Double.NaN : t.exactAcc(), t.stepAcc(), t.lr(),
                t.samples(), t.samplesPerS(), t.wallS());
    }
}
