package trm4j.train;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

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
        int[] diff = diff(input, label);
        for (int i = diff.length - 1; i > 0; i--) {                 // a uniformly random order of Diff
            int j = rnd.nextInt(i + 1), t = diff[i];
            diff[i] = diff[j];
            diff[j] = t;
        }
        return reveal(input, label, nSup, diff);
    }

    /** The same with Diff in increasing order of {@code scores} [seq], as the reference orders it (an argsort of random scores). */
    public static long[][] frames(byte[] input, byte[] label, int nSup, double[] scores) {
        int[] diff = IntStream.of(diff(input, label)).boxed().sorted(Comparator.comparingDouble(i -> scores[i])).mapToInt(i -> i).toArray();
        return reveal(input, label, nSup, diff);
    }

    /** The positions where input and answer differ, in order. */
    private static int[] diff(byte[] input, byte[] label) {
        return IntStream.range(0, input.length).filter(i -> input[i] != Batch.label(label[i])).toArray();
    }

    /** Frame k reveals the first floor(k*|Diff|/N_sup) positions of {@code order}. */
    private static long[][] reveal(byte[] input, byte[] label, int nSup, int[] order) {
        long[][] frames = new long[nSup + 1][input.length];
        for (int k = 0; k <= nSup; k++) {
            for (int i = 0; i < input.length; i++) frames[k][i] = input[i];
            int revealed = (int) ((long) k * order.length / nSup);
            for (int r = 0; r < revealed; r++) frames[k][order[r]] = Batch.label(label[order[r]]);   // the answer, PAD -> IGNORE
        }
        return frames;
    }
}
