package trm4j.data;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * An endless, reproducible stream of training samples: sample {@code position} is a pure function
 * of the position and the seed, so a resumed run continues the stream exactly where it stopped.
 * One epoch is {@link #epochSize()} consecutive positions.
 */
public interface TrainingSet {
    long epochSize();

    Sample get(long position);

    /** A random generator for one position, independent of every other position's. */
    static Random random(long seed, long position) {
        return new Random(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + position).nextLong());
    }

    /** A random order of {@code n} items for one epoch. */
    static int[] permutation(int n, long seed, long epoch) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Random rnd = random(seed ^ 0x5DEECE66DL, -1 - epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
