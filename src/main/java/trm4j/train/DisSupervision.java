package trm4j.train;

import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import trm4j.config.Method;
import trm4j.config.ModelConfig;
import trm4j.config.TrainConfig;
import trm4j.data.Batch;
import trm4j.data.Prefetcher;
import trm4j.data.Sample;
import trm4j.data.TrainingSet;
import trm4j.engine.Group;
import trm4j.engine.Scope;
import trm4j.engine.Torch;
import trm4j.model.Carry;
import trm4j.model.RecursiveModel;

/**
 * Deep Improvement Supervision (docs/METHOD.md). A batch runs exactly N_sup steps; step s
 * (1..N_sup) sees the step embedding s and, as input, the previous step's prediction (or the
 * original input, the paper's variant), and is trained against frame s of each sample's
 * improvement path. No halting and no q loss. In a data-parallel run each rank draws the whole
 * batch from the one stream and keeps its slice of the rows.
 *
 * <p>The paths are drawn on the host when a batch starts (from the sample's stream position, so a
 * resumed run draws the same ones) and go to the device with the batch, as one tensor
 * [N_sup+1, B, seq]: the steps themselves read nothing back.
 */
final class DisSupervision implements Supervision {
    private final int batch, local, first, seq, nSup;   // the whole batch; this rank's rows [first, first + local)
    private final Method.Dis method;
    private int s;               // supervision steps done in the current batch
    private Rows rows;
    private Tensor frames;       // frame k of every row's path: [N_sup+1, B, seq]
    private Tensor feed;         // the next step's input tokens [B, seq]
    private Carry carry;

    /** The improvement path of a sample drawn at a stream position: {@code frames[k]} is frame k (0..N_sup). */
    interface Paths {
        long[][] of(Sample x, long position);
    }

    private final Paths paths;

    DisSupervision(ModelConfig m, TrainConfig c, Method.Dis method, Group group) {
        this(m, c, method, group, null);
    }

    /** @param paths the paths to train against; null: drawn from the seed (the same on every run and resume) */
    DisSupervision(ModelConfig m, TrainConfig c, Method.Dis method, Group group, Paths paths) {
        this.batch = c.batch();
        this.local = batch / group.size();
        this.first = group.rank() * local;
        this.seq = m.seqLen();
        this.nSup = m.nSup();
        this.method = method;
        long seed = c.seed();
        this.paths = paths != null ? paths
                : (x, position) -> ImprovementPath.frames(x.input(), x.label(), nSup, TrainingSet.random(seed ^ 0xD15L, position));
    }

    @Override public Feed next(RecursiveModel net, Prefetcher data, long step) {
        if (s == 0) start(net, data);
        s++;
        return new Feed(rows, feed, s, carry, frames.select(0, s), method.weight(s, nSup), 0);
    }

    @Override public Tensor took(RecursiveModel net, Feed fed, SupervisionStep.Outcome out, long step, Meter meter) {
        carry.close();
        carry = out.carry();
        Tensor exact = rows.exact(out.predicted());   // against the answer, not the frame
        meter.add("step_acc." + s, exact.sum(), local);
        if (method.feedsPrediction()) {
            if (feed != rows.inputs()) feed.close();
            feed = Scope.own(out.predicted());
        }
        if (s < nSup) return null;
        meter.add("exact_acc", exact.sum(), local);
        Tensor[] tokens = rows.tokens(out.predicted());
        meter.add("token_acc", tokens[0], tokens[1]);
        end();
        return Torch.scalarTensor(net.device(), local);
    }

    /** A new batch: its samples, their improvement paths (drawn once per sample) and y0, z0. */
    private void start(RecursiveModel net, Prefetcher data) {
        Batch b = new Batch(local, seq);
        long[] flat = new long[(nSup + 1) * local * seq];
        for (int g = 0; g < batch; g++) {
            long position = data.position();
            Sample x = data.next();
            int i = g - first;
            if (i < 0 || i >= local) continue;
            b.set(i, x);
            long[][] path = paths.of(x, position);
            for (int k = 0; k <= nSup; k++) System.arraycopy(path[k], 0, flat, (k * local + i) * seq, seq);
        }
        rows = Rows.of(b, net.device());
        frames = Scope.own(Torch.fromLongs(net.device(), flat, nSup + 1, local, seq));
        feed = rows.inputs();
        carry = net.initialCarry(local).kept();
    }

    /** The improvement path of the sample drawn at a stream position. */
    long[][] path(Sample x, long position) {
        return paths.of(x, position);
    }

    private void end() {
        s = 0;
        carry.close();
        if (feed != rows.inputs()) feed.close();
        rows.close();
        frames.close();
        carry = null;
    }

    @Override public boolean atBoundary() { return s == 0; }

    @Override public Map<String, Tensor> state() { return Map.of(); }

    @Override public void restore(RecursiveModel net, Map<String, Tensor> state) {}
}
