package trm4j.train;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import trm4j.config.Method;
import trm4j.config.ModelConfig;
import trm4j.data.Prefetcher;
import trm4j.data.Sample;
import trm4j.data.TrainingSet;
import trm4j.engine.TensorRecord;
import trm4j.engine.Torch;
import trm4j.model.Carry;
import trm4j.model.RecursiveModel;

/**
 * Deep Improvement Supervision (docs/METHOD.md section 5). A batch runs exactly N_sup steps; step s
 * (1..N_sup) sees the step embedding s and, as input, the previous step's prediction (or the
 * original input, the paper's variant), and is trained against frame s of each sample's
 * improvement path. No halting and no q loss.
 *
 * <p>The paths are drawn on the host when a batch starts (from each sample's stream position, so a
 * resumed run draws the same ones) and go to the device with the batch, in one upload, as one
 * tensor [N_sup+1, B, seq]: the steps themselves read nothing back.
 */
final class DisSupervision implements Supervision<DisSupervision.State> {
    /** A batch in progress: its rows, frame k of every row's path [N_sup+1, B, seq], the next input [B, seq], (y, z), the steps done. */
    record State(Rows rows, Tensor frames, Tensor feed, Carry carry, int s) implements TensorRecord {
        @Override public List<Tensor> tensors() {
            return List.of(rows.inputs(), rows.labels(), rows.ids(), frames, feed, carry.y(), carry.z());
        }
    }

    /** The improvement path of a sample drawn at a stream position: {@code frames[k]} is frame k (0..N_sup). */
    interface Paths {
        long[][] of(Sample x, long position);
    }

    private final RankSlice slice;
    private final int seq, nSup;
    private final Method.Dis method;
    private final Paths paths;

    /** @param paths the paths to train against; null: drawn from the seed (the same on every run and resume) */
    DisSupervision(ModelConfig m, RankSlice slice, Method.Dis method, long seed, Paths paths) {
        this.slice = slice;
        this.seq = m.seqLen();
        this.nSup = m.nSup();
        this.method = method;
        this.paths = paths != null ? paths
                : (x, position) -> ImprovementPath.frames(x.input(), x.label(), nSup, TrainingSet.random(seed ^ 0xD15L, position));
    }

    @Override public Begun<State> begin(State st, RecursiveModel net, Prefetcher data, long step) {
        State batch = st != null ? st : start(net, data);
        int s = batch.s + 1;
        State at = new State(batch.rows, batch.frames, batch.feed, batch.carry, s);
        return new Begun<>(new Feed(at.rows, at.feed, s, at.carry, at.frames.select(0, s), method.weight(s, nSup), 0), at);
    }

    @Override public State end(State at, RecursiveModel net, Feed fed, SupervisionStep.Outcome out, long step, Meter meter) {
        Tensor exact = at.rows.exact(out.predicted());   // against the answer, not the frame
        meter.add(Metric.stepAcc(at.s), exact.sum(), slice.local());
        if (at.s < nSup) return new State(at.rows, at.frames, method.feedsPrediction() ? out.predicted() : at.feed, out.carry(), at.s);
        meter.add(Metric.EXACT_ACC, exact.sum(), slice.local());
        Tensor[] tokens = at.rows.tokens(out.predicted());
        meter.add(Metric.TOKEN_ACC, tokens[0], tokens[1]);
        meter.add(Metric.SAMPLES, Torch.scalarTensor(net.device(), slice.local()), 0);
        return null;   // the batch is done: nothing carries over
    }

    /** A new batch: its samples and their improvement paths (drawn once per sample), uploaded together; y0, z0. */
    private State start(RecursiveModel net, Prefetcher data) {
        List<RankSlice.Drawn> drawn = slice.draw(data);
        int local = drawn.size();
        long[] flat = new long[(nSup + 1) * local * seq];
        for (int i = 0; i < local; i++) {
            long[][] path = path(drawn.get(i).sample(), drawn.get(i).position());
            for (int k = 0; k <= nSup; k++) System.arraycopy(path[k], 0, flat, (k * local + i) * seq, seq);
        }
        Rows.Uploaded up = Rows.upload(RankSlice.batch(drawn, seq), net.device(), flat);
        return new State(up.rows(), up.extra().view(nSup + 1, local, seq), up.rows().inputs(), net.initialCarry(local), 0);
    }

    /** The improvement path of the sample drawn at a stream position. */
    long[][] path(Sample x, long position) {
        return paths.of(x, position);
    }

    @Override public boolean atBoundary(State st) { return st == null; }

    @Override public Map<String, Tensor> save(State st) { return Map.of(); }

    @Override public State restore(RecursiveModel net, Map<String, Tensor> saved) { return null; }
}
