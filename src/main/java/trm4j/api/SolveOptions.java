package trm4j.api;

import java.util.Locale;

/**
 * How a model answers a puzzle: {@code samples} recursion trajectories run together, each with
 * Gaussian noise of standard deviation {@code noise} added to its latent z (and to its answer y,
 * with {@code noiseY}) at the start of every supervision step, drawn from {@code seed} (the same
 * seed, the same answers); with {@code augment} every sample but the first answers the puzzle under
 * its own symmetry (Sudoku: digits, bands, stacks; maze and N-Queens: dihedral), its answer
 * mapped back; {@code select} chooses the answer. The defaults, one trajectory without noise, give
 * the deterministic answer. An ARC task votes over every sample of every version (its versions are
 * its augmentations).
 */
public record SolveOptions(int samples, double noise, boolean noiseY, boolean augment, Select select, long seed) {
    /** The most trajectories one puzzle may ask for (each is a row of the batch). */
    public static final int MAX_SAMPLES = 64;

    /** How the answer is chosen among the samples (docs/METHOD.md section 6). */
    public enum Select {
        /** The answer most samples end with; ties by their mean confidence. */
        VOTE,
        /** The sample whose halting head is surest at the last step (a TRM model). */
        HALT,
        /** The sample whose halting head says "halt" first, with its answer at that step (a TRM model). */
        FIRST_HALT,
        /** The sample whose answer's cells have the highest mean probability. */
        CONFIDENCE;

        /** A rule by its name: vote, halt, first-halt or confidence; a wrong one names {@code field}. */
        public static Select parse(String name, String field) {
            for (Select s : values()) if (s.toString().equals(name)) return s;
            throw new InvalidInputException(field + ": '" + name + "' is not one of vote, halt, first-halt, confidence");
        }

        @Override public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public SolveOptions {
        if (samples < 1 || samples > MAX_SAMPLES) throw new InvalidInputException("samples " + samples + ": must be in 1.." + MAX_SAMPLES);
        if (!(noise >= 0) || !Double.isFinite(noise)) throw new InvalidInputException("noise " + noise + ": must be a finite number at least 0");
        if (select == null) throw new InvalidInputException("select: required (VOTE, HALT, FIRST_HALT or CONFIDENCE)");
    }

    /** One trajectory, no noise: the deterministic answer. */
    public static SolveOptions defaults() {
        return new SolveOptions(1, 0, false, false, Select.VOTE, 0);
    }

    public SolveOptions withSamples(int k) { return new SolveOptions(k, noise, noiseY, augment, select, seed); }
    public SolveOptions withNoise(double sigma) { return new SolveOptions(samples, sigma, noiseY, augment, select, seed); }
    public SolveOptions withNoiseY(boolean y) { return new SolveOptions(samples, noise, y, augment, select, seed); }
    public SolveOptions withAugment(boolean a) { return new SolveOptions(samples, noise, noiseY, a, select, seed); }
    public SolveOptions withSelect(Select s) { return new SolveOptions(samples, noise, noiseY, augment, s, seed); }
    public SolveOptions withSeed(long s) { return new SolveOptions(samples, noise, noiseY, augment, select, s); }
}
