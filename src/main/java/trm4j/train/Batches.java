package trm4j.train;

import java.util.List;

import trm4j.data.Sample;

/** Samples as the flat long arrays that become tensors. */
public final class Batches {
    private Batches() {}

    public static long[] tokens(byte[] t) {
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) out[i] = t[i];
        return out;
    }

    /** Label tokens with PAD (0) as {@link StableMax#IGNORE}: the loss skips padding (SPEC.md section 1). */
    public static long[] labels(byte[] t) {
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) out[i] = t[i] == 0 ? StableMax.IGNORE : t[i];
        return out;
    }

    public static long[] inputs(List<Sample> batch) {
        int seq = batch.get(0).input().length;
        long[] out = new long[batch.size() * seq];
        for (int i = 0; i < batch.size(); i++)
            for (int j = 0; j < seq; j++) out[i * seq + j] = batch.get(i).input()[j];
        return out;
    }

    public static long[] puzzleIds(List<Sample> batch) {
        return batch.stream().mapToLong(Sample::puzzleId).toArray();
    }

    /** True when every non-ignored label token is predicted (SPEC.md section 6). */
    public static boolean exact(byte[] predicted, long[] label, int offset) {
        for (int j = 0; j < predicted.length; j++) {
            long l = label[offset + j];
            if (l != StableMax.IGNORE && predicted[j] != l) return false;
        }
        return true;
    }

    /** Correct non-ignored tokens and their count, added to {@code acc[0]} and {@code acc[1]}. */
    public static void countTokens(byte[] predicted, long[] label, int offset, long[] acc) {
        for (int j = 0; j < predicted.length; j++) {
            long l = label[offset + j];
            if (l == StableMax.IGNORE) continue;
            acc[1]++;
            if (predicted[j] == l) acc[0]++;
        }
    }
}
