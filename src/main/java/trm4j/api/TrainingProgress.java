package trm4j.api;

import java.util.List;

/**
 * One log line of a training run.
 *
 * @param exactAccuracy DIS: of the batches finished in the window; TRM: of the rows that halted in it (NaN when none did)
 * @param perStep       DIS: exact accuracy after each supervision step in the window (empty for TRM)
 * @param samplesPerSecond samples that finished their last supervision step, per second of the window
 */
public record TrainingProgress(long step, long totalSteps, double loss, double exactAccuracy, List<Double> perStep, double learningRate,
                               long samples, double samplesPerSecond, double wallSeconds) {}
