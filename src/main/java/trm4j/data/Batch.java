package trm4j.data;

import java.util.List;

/**
 * Rows of samples as the flat arrays that become tensors: input tokens [size*seq], labels
 * [size*seq] with PAD as {@link #IGNORE} (the loss and the accuracy skip padding, docs/METHOD.md
 * section 1) and puzzle ids [size]. A row can be replaced (TRM refills halted rows).
 */
public final class Batch {
    /** Label value of positions the loss and the accuracy ignore (the reference's -100). */
    public static final long IGNORE = -100;

    private final int size, seq;
    private final long[] tokens, labels, puzzleIds;

    public Batch(int size, int seq) {
        this.size = size;
        this.seq = seq;
        this.tokens = new long[size * seq];
        this.labels = new long[size * seq];
        this.puzzleIds = new long[size];
    }

    public static Batch of(List<Sample> samples) {
        Batch b = new Batch(samples.size(), samples.get(0).input().length);
        for (int i = 0; i < samples.size(); i++) b.set(i, samples.get(i));
        return b;
    }

    /** Row i becomes the sample. */
    public void set(int i, Sample s) {
        for (int j = 0; j < seq; j++) {
            tokens[i * seq + j] = s.input()[j];
            labels[i * seq + j] = label(s.label()[j]);
        }
        puzzleIds[i] = s.puzzleId();
    }

    public static long label(byte token) {
        return token == 0 ? IGNORE : token;
    }

    public int size() { return size; }
    public int seq() { return seq; }
    public long[] tokens() { return tokens; }
    public long[] labels() { return labels; }
    public long[] puzzleIds() { return puzzleIds; }

    /** True when row i's prediction has every non-ignored label token (docs/METHOD.md section 6). */
    public boolean exact(int i, byte[] predicted) {
        return exact(predicted, labels, i * seq);
    }

    /** True when every non-ignored token of {@code target} from {@code offset} is predicted. */
    public static boolean exact(byte[] predicted, long[] target, int offset) {
        for (int j = 0; j < predicted.length; j++) {
            long l = target[offset + j];
            if (l != IGNORE && predicted[j] != l) return false;
        }
        return true;
    }

    /** Row i's correct non-ignored tokens and their count, added to {@code acc[0]} and {@code acc[1]}. */
    public void countTokens(int i, byte[] predicted, long[] acc) {
        for (int j = 0; j < seq; j++) {
            long l = labels[i * seq + j];
            if (l == IGNORE) continue;
            acc[1]++;
            if (predicted[j] == l) acc[0]++;
        }
    }
}
