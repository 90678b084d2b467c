package trm4j.model;

import trm4j.UserError;

/**
 * Sampled recursion trajectories (docs/METHOD.md section 6): {@code samples} copies of each puzzle run
 * as one batch, and at the start of every supervision step each copy's latent z (and its answer y,
 * with {@code noiseY}) gets Gaussian noise of standard deviation {@code noise}, drawn on the
 * device from {@code seed}, the puzzle's index and the copy's number: the same seed gives the same
 * answers, in any batch and over any number of ranks. With {@code augment}, each copy
 * but the first is the puzzle under its own symmetry of the kind (Sudoku: digits, bands, stacks;
 * maze and N-Queens: dihedral), drawn from the seed and the puzzle's index. One sample without noise is the deterministic pass.
 */
public record Sampling(int samples, double noise, boolean noiseY, boolean augment, long seed) {
    /** The most samples one puzzle may ask for: each is a row of the batch. */
    public static final int MAX_SAMPLES = 64;
    public static final Sampling NONE = new Sampling(1, 0, false, false, 0);

    public Sampling {
        if (samples < 1 || samples > MAX_SAMPLES) throw new UserError("samples " + samples + ": must be in 1.." + MAX_SAMPLES);
        if (!(noise >= 0) || !Double.isFinite(noise)) throw new UserError("noise " + noise + ": must be a finite number at least 0");
    }

    /** Whether any noise is added. */
    public boolean noisy() {
        return noise > 0;
    }
}
