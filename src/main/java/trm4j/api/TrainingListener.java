package trm4j.api;

/** Told how a training run goes. Called on the training thread; keep it quick. */
public interface TrainingListener {
    /** Every log line (train.log_every optimiser steps). */
    default void progress(TrainingProgress p) {}

    /** An evaluation or the test set scored: {@code phase} is "untrained", "eval @STEP", "validation @STEP" or "test @STEP". */
    default void evaluating(String phase, long done, long total) {}

    /** A line worth telling: what was resumed, what the data skipped, the precision chosen and why. */
    default void note(String line) {}

    TrainingListener NONE = new TrainingListener() {};
}
