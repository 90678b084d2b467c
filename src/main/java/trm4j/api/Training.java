package trm4j.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import trm4j.engine.Natives;
import trm4j.engine.Threads;
import trm4j.metrics.MetricsLine;
import trm4j.metrics.Scores;
import trm4j.report.HtmlReport;
import trm4j.report.RunMetrics;
import trm4j.run.Reporter;
import trm4j.run.TrainRun;
import trm4j.run.Words;
import trm4j.train.RunFolder;
import trm4j.train.Trainer;

/**
 * Training a model from a preset, with progress and metrics told to a listener: the same runs as
 * {@code trm4j train}, whose folder ({@code metrics.jsonl}, checkpoints, {@code model.safetensors})
 * a killed run resumes from.
 *
 * <pre>{@code
 * Training t = Training.prepare(TrainingSpec.of("demo", Path.of("runs/demo")).withOverrides(Map.of("steps", "600")));   // progress on stderr
 * TrainingResult r = t.run();   // another thread may call t.stop()
 * try (Model m = Model.load(r.model())) { ... }
 * }</pre>
 *
 * <p><b>The process.</b> The run sets libtorch's threads as the command line does (see
 * {@link TrainingSpec#tuneThreads}; a note says so). A JVM that ends while it trains (SIGTERM,
 * {@code System.exit} from another thread, a shutdown hook that calls {@link #stop}) first stops the
 * run at its next step with a checkpoint, as {@link #stop} does: libtorch is never torn down under a
 * step, and the run resumes from there.
 *
 * <p><b>The folder.</b> {@code prepare} takes the out folder (one writer: another run there is
 * refused; it makes the folder and its {@code .lock}) and writes no run file; {@link #run} writes them and lets the folder go when
 * it returns. A training prepared and not run lets it go at {@link #close}, leaving it as it was.
 */
public final class Training implements AutoCloseable {
    private final TrainRun run;
    private final TrainingSpec spec;
    private final Reporter reporter;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicInteger state = new AtomicInteger(PREPARED);
    private static final int PREPARED = 0, RUN = 1, CLOSED = 2;

    private Training(TrainRun run, TrainingSpec spec, Reporter reporter) {
        this.run = run;
        this.spec = spec;
        this.reporter = reporter;
    }

    /** Checks everything that can be refused (the preset, its fields, the data, the folder) before any work. */
    public static Training prepare(TrainingSpec spec, TrainingListener listener) {
        return prepare(spec, listener, Words.LIBRARY);
    }

    /** The same, its refusals in {@code words}: trm4j's own commands name their flags ({@link Words#DEMO}). */
    public static Training prepare(TrainingSpec spec, TrainingListener listener, Words words) {
        Args.required("spec", spec, "listener", listener, "words", words);
        if (spec.report() && !onClassPath("org.jfree.data.xy.XYDataset"))   // else the run would train, then fail to draw
            throw new InvalidInputException("report: the charts need JFreeChart on the class path (org.jfree:jfreechart, an optional dependency of trm4j)");
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
                TrainRun r = TrainRun.prepare(new TrainRun.Request(spec.preset(), spec.out(), spec.overrides(), spec.resume(), spec.force(), null, spec.init(), words),
                        reporter);
                long total = r.setup().train().steps();
                r.listen(new Trainer.Listener() {
                    @Override public void logged(MetricsLine line, long steps) {
                        if (line instanceof MetricsLine.Training t) listener.progress(progress(t, total));
                    }
                });
                return new Training(r, spec, reporter);
            } catch (IOException e) {
                throw new FileException(spec.out() + ": " + e.getMessage());
            }
        });
    }

    private static boolean onClassPath(String name) {
        try {
            Class.forName(name, false, Training.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Progress bars and notes on stderr ({@link TrainingListener#stderr}); {@code prepare(spec, TrainingListener.NONE)} trains silently. */
    public static Training prepare(TrainingSpec spec) {
        return prepare(spec, TrainingListener.stderr());
    }

    /** Trains to the preset's last step (or to a {@link #stop}), then scores the test set once. Once: a second call is refused. */
    public TrainingResult run() {
        if (!state.compareAndSet(PREPARED, RUN))
            throw new InvalidInputException(state.get() == CLOSED ? "this Training is closed: Training.prepare gives another"
                    : "this Training has run already: Training.prepare with resuming(true) continues its folder");
        Thread trainer = Thread.currentThread(), onExit = new Thread(() -> stopBeforeExit(trainer), "trm4j-training-exit");
        Runtime.getRuntime().addShutdownHook(onExit);
        try {
            return Model.guarded(this::train);
        } catch (UncheckedIOException e) {   // the run's files could not be written: the disk's side
            throw new FileException(e.getMessage() + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
        } finally {
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException e) {
                // the JVM is ending: the hook runs, and finds the run ended
            }
        }
    }

    private TrainingResult train() {
        if (spec.tuneThreads() && Natives.tuneProcess())
            reporter.note(String.format("train: trm4j sets libtorch's threads as its command line does: %d now, %s; "
                    + "TrainingSpec.tuningThreads(false) leaves them as they are", Threads.current(),
                    Threads.adaptive() ? "following the cores other processes leave idle (TRM4J_THREADS fixes the count)" : "as TRM4J_THREADS says"));
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
        if (!Double.isNaN(untrained)) {   // beside the test line, where the comparison is read
            int end = summary.indexOf('\n') < 0 ? summary.length() : summary.indexOf('\n');
            summary = summary.substring(0, end) + String.format("%nuntrained model: %s %.3f on the same test set", test != null ? test.measure() : "accuracy", untrained)
                    + summary.substring(end);
        }
        if (report != null) summary += "\nreport: " + report;
        return new TrainingResult(o.result().stopped(), run.step(), spec.out().resolve(RunFolder.MODEL_FILE), spec.out().resolve(RunFolder.METRICS_FILE),
                score, perStep, untrained, report, summary);
    }

    /**
     * The JVM is ending while the run trains: the run stops at its next step with a checkpoint, and the JVM ends
     * after it (libtorch torn down under a running step crashes the JVM). When the training thread is itself ending
     * the JVM (System.exit from the listener's code), nothing waits for it: it computes nothing meanwhile.
     */
    private void stopBeforeExit(Thread trainer) {
        run.requestStop();
        try {
            while (!ended.await(100, TimeUnit.MILLISECONDS))
                if (Stream.of(trainer.getStackTrace()).anyMatch(f -> f.getClassName().equals("java.lang.Shutdown"))) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets the out folder go if the training has not run (after {@link #run}, nothing to do), leaving the folder as it was. */
    @Override
    public void close() {
        if (state.compareAndSet(PREPARED, CLOSED)) run.abandon();
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
