package trm4j.api;

import trm4j.run.Reporter;

/** Told how a training run goes. Called on the training thread; keep it quick. */
public interface TrainingListener {
    /** Every log line (train.log_every optimiser steps). */
    default void progress(TrainingProgress p) {}

    /** An evaluation or the test set scored: {@code phase} is "untrained", "eval @STEP", "validation @STEP" or "test @STEP". */
    default void evaluating(String phase, long done, long total) {}

    /** A line worth telling: what was resumed, what the data skipped, the precision chosen and why. */
    default void note(String line) {}

    /** Tells nothing. */
    TrainingListener NONE = new TrainingListener() {};

    /**
     * Progress bars and notes on stderr, as the command line draws them (redrawn in place on a
     * terminal, a line every 10 seconds into a file or pipe): what {@link Training#prepare(TrainingSpec)} tells.
     */
    static TrainingListener stderr() {
        Reporter bars = Reporter.stderr();
        return new TrainingListener() {
            @Override public void progress(TrainingProgress p) {
                bars.progress("train", p.step(), p.totalSteps(), "steps", String.format("loss %.4f acc %s %.0f samples/s", p.loss(),
                        Double.isNaN(p.exactAccuracy()) ? "-" : String.format("%.3f", p.exactAccuracy()), p.samplesPerSecond()));
            }

            @Override public void evaluating(String phase, long done, long total) {
                bars.progress(phase, done, total, "puzzles", "");
            }

            @Override public void note(String line) {
                bars.note(line);
            }
        };
    }
}
