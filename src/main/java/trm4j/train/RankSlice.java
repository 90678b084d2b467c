package trm4j.train;

import java.util.ArrayList;
import java.util.List;

import trm4j.data.Batch;
import trm4j.data.Prefetcher;
import trm4j.data.Sample;
import trm4j.engine.Group;

/**
 * This rank's rows of a batch: rows [first, first + local) of {@code batch}. Every rank draws the
 * whole batch from the one stream and keeps its own rows, so that N ranks train on what one process
 * would.
 */
record RankSlice(int batch, int local, int first) {
    static RankSlice of(int batch, Group group) {
        int local = batch / group.size();
        return new RankSlice(batch, local, group.rank() * local);
    }

    /** A sample of this rank's and its position in the stream. */
    record Drawn(Sample sample, long position) {}

    /** A whole batch from the stream; this rank's samples of it, in row order. */
    List<Drawn> draw(Prefetcher data) {
        List<Drawn> mine = new ArrayList<>(local);
        for (int g = 0; g < batch; g++) {
            long position = data.position();
            Sample s = data.next();
            if (g >= first && g < first + local) mine.add(new Drawn(s, position));
        }
        return mine;
    }

    /** Drawn samples as a batch's rows on the host. */
    static Batch batch(List<Drawn> drawn, int seq) {
        Batch b = new Batch(drawn.size(), seq);
        for (int i = 0; i < drawn.size(); i++) b.set(i, drawn.get(i).sample());
        return b;
    }
}
