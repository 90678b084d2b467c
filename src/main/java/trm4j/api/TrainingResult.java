package trm4j.api;

import java.nio.file.Path;
import java.util.List;

/**
 * The end of a training run.
 *
 * @param stopped          whether {@link Training#stop} ended it early (with a checkpoint: resume it)
 * @param step             optimiser steps taken in all
 * @param model            the weights evaluation uses ({@code out/model.safetensors}): {@link Model#load} it
 * @param testAccuracy     puzzles: exact accuracy on the test set at the end; ARC: pass@2 (NaN when stopped)
 * @param testPerStep      the same after each supervision step
 * @param untrainedAccuracy the same model untrained, on the same test set (NaN unless asked for)
 * @param report           the report's index.html, or null
 * @param summary          the lines the command line prints
 */
public record TrainingResult(boolean stopped, long step, Path model, Path metrics, double testAccuracy, List<Double> testPerStep,
                             double untrainedAccuracy, Path report, String summary) {}
