package trm4j.train;

import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import trm4j.config.ModelConfig;
import trm4j.config.TrainConfig;
import trm4j.data.Batch;
import trm4j.data.Prefetcher;
import trm4j.data.Sample;
import trm4j.data.TrainingSet;
import trm4j.engine.Group;
import trm4j.model.Carry;
import trm4j.model.RecursiveModel;

/**
 * Deep Improvement Supervision (SPEC.md section 5). A batch runs exactly N_sup steps; step s
 * (1..N_sup) sees the step embedding s and, as input, the previous step's prediction (or the
 * original input, the paper's variant), and is trained against frame s of each sample's
 * improvement path. No halting and no q loss. In a data-parallel run each rank draws the whole
 * batch from the one stream and keeps its slice of the rows.
 */
final class DisSupervision implements Supervision {
    private final int batch, local, first, seq, nSup;   // the whole batch; this rank's rows [first, first + local)
    private final boolean feedPrediction, linearWeights;
    private final long seed;
    private int s;                 // supervision steps done in the current batch
    private Batch rows;
    private long[][] frames;       // frames[k]: frame k of every row, [B*seq]
    private long[] feed;           // the next step's input tokens
    private Carry carry;

    DisSupervision(ModelConfig m, TrainConfig c) {
        this(m, c, Group.SINGLE);
    }

    DisSupervision(ModelConfig m, TrainConfig c, Group group) {
        this.batch = c.batch();
        this.local = batch / group.size();
        this.first = group.rank() * local;
        this.seq = m.seqLen();
        this.nSup = m.nSup();
        this.feedPrediction = c.feed().equals("prediction");
        this.linearWeights = c.stepWeights().equals("linear");
        this.seed = c.seed();
    }

    @Override public Feed next(RecursiveModel net, Prefetcher data, long step) {
        if (s == 0) start(net, data);
        s++;
        // Step s is trained against frame s; the linear variant weighs step s by 2s/(N_sup+1).
        double weight = linearWeights ? 2.0 * s / (nSup + 1) : 1.0;
        return new Feed(rows, feed, s, carry, frames[s], weight, 0);
    }

    @Override public int took(RecursiveModel net, Feed fed, SupervisionStep.Outcome out, long step, Meter meter) {
        carry.close();
        carry = out.carry();
        double exact = 0;
        long[] tokens = new long[2];
        for (int i = 0; i < local; i++) {
            byte[] predicted = out.predicted()[i];
            exact += rows.exact(i, predicted) ? 1 : 0;   // against the answer, not the frame
            rows.countTokens(i, predicted, tokens);
            if (feedPrediction) for (int j = 0; j < seq; j++) feed[i * seq + j] = predicted[j];
        }
        meter.add("step_acc." + s, exact, local);
        if (s < nSup) return 0;
        meter.add("exact_acc", exact, local);
        meter.add("token_acc", tokens[0], tokens[1]);
        s = 0;
        carry.close();
        carry = null;
        return local;
    }

    /** A new batch: its samples, their improvement paths (drawn once per sample) and y0, z0. */
    private void start(RecursiveModel net, Prefetcher data) {
        rows = new Batch(local, seq);
        frames = new long[nSup + 1][local * seq];
        for (int g = 0; g < batch; g++) {
            long position = data.position();
            Sample x = data.next();
            int i = g - first;
            if (i < 0 || i >= local) continue;
            rows.set(i, x);
            long[][] path = path(x, position);
            for (int k = 0; k <= nSup; k++) System.arraycopy(path[k], 0, frames[k], i * seq, seq);
        }
        feed = rows.tokens().clone();
        carry = net.initialCarry(local).kept();
    }

    /** The improvement path of the sample at a stream position: the same on every run and resume. */
    long[][] path(Sample x, long position) {
        return ImprovementPath.frames(x.input(), x.label(), nSup, TrainingSet.random(seed ^ 0xD15L, position));
    }

    @Override public boolean atBoundary() { return s == 0; }

    @Override public Map<String, Tensor> state() { return Map.of(); }

    @Override public void restore(RecursiveModel net, Map<String, Tensor> state) {}
}
