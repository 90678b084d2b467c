package trm4j.train;

import java.util.Random;

import trm4j.data.Batch;

/**
 * DIS improvement targets (docs/METHOD.md section 5): a path of N_sup+1 frames from the input (frame 0)
 * to the label (frame N_sup), each a little closer to the answer than the one before.
 */
public final class ImprovementPath {
    private ImprovementPath() {}

    /**
     * Frames as loss targets: {@code frames[k]} is the input with the first floor(k*|Diff|/N_sup)
     * positions of a random order of Diff replaced by the label. Diff = positions where input and
     * label differ, padding included: a label PAD is {@link Batch#IGNORE}, so it differs from
     * every input token, and once revealed it is ignored by the loss.
     */
    public static long[][] frames(byte[] input, byte[] label, int nSup, Random rnd) {
        int len = input.length;
        long[] x0 = new long[len], x1 = new long[len];
        int[] diff = new int[len];
        int d = 0;
        for (int i = 0; i < len; i++) {
            x0[i] = input[i];
            x1[i] = Batch.label(label[i]);                          // x1: the answer, PAD -> IGNORE
            if (x0[i] != x1[i]) diff[d++] = i;
        }
        for (int i = d - 1; i > 0; i--) {                           // a uniformly random order of Diff
            int j = rnd.nextInt(i + 1), t = diff[i];
            diff[i] = diff[j];
            diff[j] = t;
        }
        long[][] frames = new long[nSup + 1][];
        for (int k = 0; k <= nSup; k++) {                           // frame k reveals floor(k*|Diff|/N_sup)
            frames[k] = x0.clone();
            int revealed = (int) ((long) k * d / nSup);
            for (int r = 0; r < revealed; r++) frames[k][diff[r]] = x1[diff[r]];
        }
        return frames;
    }
}
