package trm4j.data;

/**
 * A generated puzzle set as a training stream: each epoch visits every puzzle once in a fresh
 * order, each visit with a fresh augmentation (docs/METHOD.md section 1) when the kind has one.
 */
public final class PuzzleTraining implements TrainingSet {
    private final PuzzleSet set;
    private final boolean augment;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] order;

    public PuzzleTraining(PuzzleSet set, boolean augment, long seed) {
        this.set = set;
        this.augment = augment;
        this.seed = seed;
    }

    @Override public long epochSize() { return set.size(); }

    @Override public synchronized Sample get(long position) {
        long epoch = position / set.size();
        if (epoch != cachedEpoch) {
            order = TrainingSet.permutation(set.size(), seed, epoch);
            cachedEpoch = epoch;
        }
        int i = order[(int) (position % set.size())];
        byte[] in = set.inputs()[i], label = set.labels()[i];
        if (augment) {
            Symmetry s = set.kind().symmetry(set.rows(), TrainingSet.random(seed, position));
            in = s.apply(in);
            label = s.apply(label);
        }
        return new Sample(in, label, 0);
    }

}
