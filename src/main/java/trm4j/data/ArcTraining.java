package trm4j.data;

import java.util.List;
import java.util.Random;

/**
 * ARC training pairs as a stream (docs/METHOD.md section 1): an epoch visits every task once in a fresh
 * order, draws one of its augmented versions, and yields all of that version's training pairs,
 * each at its own random translation on the canvas. Puzzle id = the version's id.
 */
public final class ArcTraining implements TrainingSet {
    private final List<ArcTask> tasks;   // their train pairs are what is trained on
    private final ArcVersions versions;
    private final int rows, cols;
    private final long seed;
    private final long epochSize;
    private long cachedEpoch = -1;
    private int[] taskAt, pairAt;        // per offset in the epoch: task and pair index

    public ArcTraining(List<ArcTask> tasks, ArcVersions versions, int rows, int cols, long seed) {
        this.tasks = tasks;
        this.versions = versions;
        this.rows = rows;
        this.cols = cols;
        this.seed = seed;
        this.epochSize = tasks.stream().mapToLong(t -> t.train().size()).sum();
        if (epochSize == 0) throw new DataError("no training pairs in the ARC set");
    }

    @Override public long epochSize() { return epochSize; }

    @Override public synchronized Sample get(long position) {
        long epoch = position / epochSize;
        if (epoch != cachedEpoch) layOut(epoch);
        int offset = (int) (position % epochSize), t = taskAt[offset];
        Random epochRnd = TrainingSet.random(seed ^ 0xA5C3L, epoch * tasks.size() + t);
        int version = versions.first(t) + epochRnd.nextInt(versions.end(t) - versions.first(t));
        ArcTask.Pair pair = versions.apply(tasks, version).train().get(pairAt[offset]);
        int[] at = ArcCanvas.translation(pair, rows, cols, TrainingSet.random(seed, position));
        return new Sample(ArcCanvas.encode(pair.input(), at[0], at[1], rows, cols),
                ArcCanvas.encode(pair.output(), at[0], at[1], rows, cols), ArcVersions.puzzleId(version));
    }

    private void layOut(long epoch) {
        taskAt = new int[(int) epochSize];
        pairAt = new int[(int) epochSize];
        int k = 0;
        for (int t : TrainingSet.permutation(tasks.size(), seed, epoch))
            for (int p = 0; p < tasks.get(t).train().size(); p++, k++) {
                taskAt[k] = t;
                pairAt[k] = p;
            }
        cachedEpoch = epoch;
    }
}
