package trm4j.metrics;

import java.util.List;

/**
 * One line of a run's {@code metrics.jsonl} (docs/METRICS.md): what the run computes with, a
 * window of training, or an evaluation. {@link MetricsFile} alone turns them into JSON and back.
 */
public sealed interface MetricsLine permits MetricsLine.Engine, MetricsLine.Training, MetricsLine.Evaluation {
    /** Optimiser steps taken when the line was written. */
    long step();

    /** What this start (or resumption) of a run computes with; the machine can change on resume. Null fields were not recorded. */
    record Engine(long step, String precision, String precisionReason, String device, Integer threads, boolean threadsAdapt, String cpu, int ranks)
            implements MetricsLine {}

    /**
     * The means of one logging window of training.
     *
     * @param position       samples drawn from the training stream so far
     * @param ce             the cross-entropy part of the loss
     * @param tokenAcc       cells right, of the supervised steps' answers
     * @param exactAcc       answers right in every cell
     * @param stepAcc        DIS: exact accuracy against each step's own target, per step; else empty
     * @param haltSteps      TRM: mean supervision steps of the rows that halted in the window; else null
     * @param qHaltAcc       TRM: how often the halting head's sign agrees with the answer's exactness; else null
     * @param callsGrad      network calls so far with a gradient
     * @param callsNograd    network calls so far without
     * @param samples        samples whose last supervision step ran
     * @param callsPerSample network calls per finished sample (null before the first finishes)
     * @param threads        intra-op threads at the end of the window (null in old runs)
     * @param wallS          the run's wall time in seconds, over all its starts
     */
    record Training(long step, long position, double loss, double ce, Double tokenAcc, Double exactAcc, List<Double> stepAcc,
                    Double haltSteps, Double qHaltAcc, double lr, long callsGrad, long callsNograd, long samples, Double callsPerSample,
                    double samplesPerS, Integer threads, double wallS) implements MetricsLine {
        public Training {
            stepAcc = List.copyOf(stepAcc);
        }

        public long calls() { return callsGrad + callsNograd; }
    }

    /**
     * An evaluation during or at the end of training.
     *
     * @param split  what {@code scores} scored: the test set, or the validation puzzles held out from training
     * @param test   the test set's scores when {@code split} is validation and this is the run's last step; else null
     * @param calls  network calls per row of the batch so far (steps x T(n+1))
     */
    record Evaluation(long step, Split split, Scores scores, Scores test, long calls, double wallS) implements MetricsLine {
        /** The scores a run ends with: the test set's. */
        public Scores testScores() { return split == Split.TEST ? scores : test; }
    }

    enum Split { TEST, VALIDATION }
}
