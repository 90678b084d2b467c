package trm4j.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What a loaded model is.
 *
 * @param kind       what it solves
 * @param method     how it was trained
 * @param parameters trainable parameters as the papers count them (the puzzle-embedding table excluded)
 * @param T          recursion cycles per supervision step
 * @param n          latent updates per cycle
 * @param nSup       supervision steps N_sup: a {@link Solution} has this many steps
 * @param rows       puzzles: the board's side; ARC: the canvas's rows (the largest grid it answers)
 * @param cols       the board's side, or the canvas's columns
 * @param precision  what it computes in (AUTO resolved)
 * @param precisionReason why: "as set", "this CPU has no native bf16", the bf16/fp32 speed measured here, ...
 * @param device     where it computes
 * @param reference  whether the file was a reference checkpoint (no trm4j run preset)
 * @param guessed    model fields such a file did not give, for which the reference's defaults were used
 */
public record ModelInfo(Path file, TaskKind kind, Method method, long parameters, int hiddenSize, int heads, int layers, int T, int n,
                        int nSup, int seqLen, int vocabSize, int rows, int cols, Precision precision, String precisionReason, String device, boolean reference,
                        List<String> guessed) {
    /** Network calls of one supervision step: T x (n + 1). */
    public int callsPerStep() {
        return T * (n + 1);
    }
}
