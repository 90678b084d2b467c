package trm4j.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import trm4j.UserError;
import trm4j.engine.Device;
import trm4j.engine.PrecisionSetting;

/**
 * How a run trains (the {@code "train"} section of a preset; docs/METHOD.md sections 4-5).
 *
 * @param method          TRM (deep supervision with halting) or DIS (improvement targets), with its own options
 * @param steps           optimiser steps (one per supervision step); derived from {@code epochs} when that is set
 * @param epochs          passes over the training data as the reference trainers count them (one batch of
 *                        the data per optimiser step: steps = ceil(epochs x epoch size / batch)); 0 = use steps
 * @param batch           samples per batch
 * @param microBatch      rows per forward/backward chunk of a batch (0 = the whole batch): less
 *                        memory, the same optimiser step
 * @param optimizer       AdamATan2 or AdamW
 * @param lr              peak learning rate of the weights
 * @param warmup          linear warm-up steps
 * @param schedule        constant after warm-up, or cosine down to 0 at {@code steps}
 * @param beta1, beta2    Adam moments
 * @param weightDecay     decoupled weight decay of the weights
 * @param puzzleLr        sign-SGD learning rate of the puzzle embeddings
 * @param puzzleWd        their weight decay
 * @param precision       auto (bf16 where the CPU has native bf16 and it measures faster, else fp32), bf16, fp32 or fp64
 * @param device          cpu (default), or cuda / cuda:N with the GPU build (docs/ENGINE.md)
 * @param seed            initialisation, data stream and exploration
 * @param logEvery        optimiser steps per metrics line
 * @param evalEvery       optimiser steps between evaluations on held-out data (0 = only at the end)
 * @param checkpointEvery optimiser steps between checkpoints
 * @param evalSamples     held-out puzzles (ARC: tasks) used by evaluations during training (0 = all)
 */
public record TrainConfig(
        @JsonProperty("method") Method method,
        @JsonProperty("steps") long steps,
        @JsonProperty("epochs") long epochs,
        @JsonProperty("batch") int batch,
        @JsonProperty("micro_batch") int microBatch,
        @JsonProperty("optimizer") Optimizer optimizer,
        @JsonProperty("lr") double lr,
        @JsonProperty("warmup") long warmup,
        @JsonProperty("schedule") Schedule schedule,
        @JsonProperty("beta1") double beta1,
        @JsonProperty("beta2") double beta2,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("puzzle_lr") double puzzleLr,
        @JsonProperty("puzzle_wd") double puzzleWd,
        @JsonProperty("precision") PrecisionSetting precision,
        @JsonProperty("device") Device device,
        @JsonProperty("seed") long seed,
        @JsonProperty("log_every") int logEvery,
        @JsonProperty("eval_every") long evalEvery,
        @JsonProperty("checkpoint_every") long checkpointEvery,
        @JsonProperty("eval_samples") int evalSamples) {

    public enum Optimizer { @JsonProperty("adam_atan2") ADAM_ATAN2, @JsonProperty("adamw") ADAMW }

    public enum Schedule { @JsonProperty("constant") CONSTANT, @JsonProperty("cosine") COSINE }

    /** Data-parallel ranks share each batch, so a batch that does not split evenly among them is refused ({@code where}: the document, or null). */
    public void checkRanks(int ranks, String where) {
        if (ranks > 1 && batch % ranks != 0)   // a count below 1 is the group's to refuse
            throw new UserError((where == null ? "" : where + ": ") + "train.batch " + batch + ": does not split into " + ranks + " ranks: make it a multiple of " + ranks);
    }

    public TrainConfig {
        for (Object required : new Object[] {method, optimizer, schedule, precision, device})
            if (required == null) throw new UserError("train: method, optimizer, schedule, precision and device are required");
        positive("steps", steps);
        if (epochs < 0) throw new UserError("train.epochs " + epochs + ": must be at least 0 (0 = use train.steps)");
        positive("batch", batch);
        if (batch > 1 << 20) throw new UserError("train.batch " + batch + ": must be at most " + (1 << 20));
        if (microBatch < 0) throw new UserError("train.micro_batch: must be at least 0 (0 = the whole batch)");
        positive("log_every", logEvery);
        positive("checkpoint_every", checkpointEvery);
        if (evalEvery < 0) throw new UserError("train.eval_every " + evalEvery + ": must be at least 0 (0 = only at the end)");
        if (evalSamples < 0) throw new UserError("train.eval_samples " + evalSamples + ": must be at least 0 (0 = all)");
        rate("lr", lr, " (0 freezes the weights)");
        rate("puzzle_lr", puzzleLr, "");
        rate("weight_decay", weightDecay, "");
        rate("puzzle_wd", puzzleWd, "");
        if (warmup < 0) throw new UserError("train.warmup " + warmup + ": must be at least 0");
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) throw new UserError("train.beta1 and train.beta2 must be in [0, 1)");
    }

    /** Optimiser steps for {@code epochs} passes over a training set of {@code epochSize} samples, whole batches of {@code perBatch} steps. */
    public static long stepsOf(long epochs, long epochSize, int batch, int perBatch) {
        return Math.max(1, (epochs * epochSize + batch - 1) / batch) * perBatch;
    }

    /** Written as !(x >= 0) so that NaN is refused too; an infinite rate would make the first step's weights NaN. */
    private static void rate(String field, double value, String note) {
        if (!(value >= 0) || value == Double.POSITIVE_INFINITY) throw new UserError("train." + field + " " + value + ": must be a finite number, at least 0" + note);
    }

    private static void positive(String field, long value) {
        if (value < 1) throw new UserError("train." + field + ": must be at least 1");
    }
}
