package trm4j.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import trm4j.UserError;

/**
 * How a run trains (the {@code "train"} section of a preset; SPEC.md sections 4-5).
 *
 * @param method          "trm" (deep supervision with halting) or "dis" (improvement targets)
 * @param steps           optimiser steps (one per supervision step); derived from {@code epochs} when that is set
 * @param epochs          passes over the training data as the reference trainers count them (one batch of
 *                        the data per optimiser step: steps = ceil(epochs x epoch size / batch)); 0 = use steps
 * @param batch           samples per batch
 * @param microBatch      rows per forward/backward chunk of a batch (0 = the whole batch): less
 *                        memory, the same optimiser step
 * @param optimizer       "adam_atan2" or "adamw"
 * @param lr              peak learning rate of the weights
 * @param warmup          linear warm-up steps
 * @param schedule        "constant" after warm-up, or "cosine" down to 0 at {@code steps}
 * @param beta1, beta2    Adam moments
 * @param weightDecay     decoupled weight decay of the weights
 * @param puzzleLr        sign-SGD learning rate of the puzzle embeddings
 * @param puzzleWd        their weight decay
 * @param ema             EMA decay of the weights used for evaluation (0 = off)
 * @param qLossWeight     TRM: weight of the halting BCE loss
 * @param haltExploration TRM: probability that a row first draws a minimum of U{2..N_sup} steps
 * @param feed            DIS: "prediction" (code) or "input" (paper) as the input of steps 2..N_sup
 * @param stepWeights     DIS: "equal" or "linear" (step s weighs 2s/(N_sup+1))
 * @param precision       auto (bf16 where the CPU has native bf16 and it measures faster, else fp32), bf16, fp32 or fp64
 * @param device          cpu (default), or cuda / cuda:N with the GPU build (README "GPUs")
 * @param seed            initialisation, data stream and exploration
 * @param logEvery        optimiser steps per metrics line
 * @param evalEvery       optimiser steps between evaluations on the test set (0 = only at the end)
 * @param checkpointEvery optimiser steps between checkpoints
 * @param evalSamples     test puzzles (ARC: held-out tasks) used by evaluations during training (0 = all)
 */
public record TrainConfig(
        @JsonProperty("method") String method,
        @JsonProperty("steps") long steps,
        @JsonProperty("epochs") long epochs,
        @JsonProperty("batch") int batch,
        @JsonProperty("micro_batch") int microBatch,
        @JsonProperty("optimizer") String optimizer,
        @JsonProperty("lr") double lr,
        @JsonProperty("warmup") long warmup,
        @JsonProperty("schedule") String schedule,
        @JsonProperty("beta1") double beta1,
        @JsonProperty("beta2") double beta2,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("puzzle_lr") double puzzleLr,
        @JsonProperty("puzzle_wd") double puzzleWd,
        @JsonProperty("ema") double ema,
        @JsonProperty("q_loss_weight") double qLossWeight,
        @JsonProperty("halt_exploration") double haltExploration,
        @JsonProperty("feed") String feed,
        @JsonProperty("step_weights") String stepWeights,
        @JsonProperty("precision") String precision,
        @JsonProperty("device") String device,
        @JsonProperty("seed") long seed,
        @JsonProperty("log_every") int logEvery,
        @JsonProperty("eval_every") long evalEvery,
        @JsonProperty("checkpoint_every") long checkpointEvery,
        @JsonProperty("eval_samples") int evalSamples) {

    public TrainConfig {
        oneOf("method", method, "trm", "dis");
        oneOf("optimizer", optimizer, "adam_atan2", "adamw");
        oneOf("schedule", schedule, "constant", "cosine");
        oneOf("feed", feed, "prediction", "input");
        oneOf("step_weights", stepWeights, "equal", "linear");
        oneOf("precision", precision, "auto", "bf16", "fp32", "fp64");
        trm4j.engine.Device.check(device, "train.device");
        positive("steps", steps);
        if (epochs < 0) throw new UserError("train.epochs " + epochs + ": must be at least 0 (0 = use train.steps)");
        positive("batch", batch);
        if (microBatch < 0) throw new UserError("train.micro_batch: must be at least 0 (0 = the whole batch)");
        positive("log_every", logEvery);
        positive("checkpoint_every", checkpointEvery);
        if (lr < 0) throw new UserError("train.lr " + lr + ": must be at least 0 (0 freezes the weights)");
        if (warmup < 0) throw new UserError("train.warmup " + warmup + ": must be at least 0");
        if (ema < 0 || ema >= 1) throw new UserError("train.ema " + ema + ": must be in [0, 1) (0 turns it off)");
        if (haltExploration < 0 || haltExploration > 1) throw new UserError("train.halt_exploration " + haltExploration + ": must be in [0, 1]");
    }

    public boolean dis() { return method.equals("dis"); }

    /** Optimiser steps for {@code epochs} passes over a training set of {@code epochSize} samples. */
    public static long stepsOf(long epochs, long epochSize, int batch) {
        return Math.max(1, (epochs * epochSize + batch - 1) / batch);
    }

    private static void oneOf(String field, String value, String... allowed) {
        if (!java.util.List.of(allowed).contains(value))
            throw new UserError("train." + field + ": '" + value + "' is not one of " + String.join(", ", allowed));
    }

    private static void positive(String field, long value) {
        if (value < 1) throw new UserError("train." + field + ": must be at least 1");
    }
}
