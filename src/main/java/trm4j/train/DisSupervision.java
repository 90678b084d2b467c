package trm4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.data.Prefetcher;
import trm4j.data.Sample;
import trm4j.data.TrainingSet;
import trm4j.engine.Torch;
import trm4j.model.Carry;
import trm4j.model.Network;
import trm4j.model.StepOutput;

/**
 * Deep Improvement Supervision (SPEC.md section 5). A batch runs exactly N_sup steps; step s
 * (1..N_sup) sees the step embedding s, the previous step's prediction as input (or the original
 * input, the paper's variant), and is trained against frame s of each sample's improvement path.
 * No halting and no q loss.
 */
final class DisSupervision implements Supervision {
    private final int batch, seq, nSup, microBatch;
    private final boolean feedPrediction, linearWeights;
    private final long seed;
    private int s;                 // supervision steps done in the current batch
    private long[] inputs, ids, labels;
    private long[][] frames;       // frame k of every row, flattened [B*seq]
    private long[] feed;           // this step's input tokens
    private Carry carry;

    DisSupervision(Network net, TrainConfig c) {
        this.batch = c.batch();
        this.microBatch = c.microBatch();
        this.seq = net.config().seqLen();
        this.nSup = net.config().nSup();
        this.feedPrediction = c.feed().equals("prediction");
        this.linearWeights = c.stepWeights().equals("linear");
        this.seed = c.seed();
    }

    @Override public Step forward(Network net, Prefetcher data, long step, Meter meter) {
        if (s == 0) start(net, data);
        s++;
        Tensor rows = net.puzzleRows(Torch.fromLongs(ids, batch));
        rows.set_requires_grad(true);
        Tensor stepIds = torch.full(new long[] {batch}, Torch.scalar(s), Torch.options(ScalarType.Long));
        // Step s is trained against frame s; the linear variant weighs step s by 2s/(N_sup+1).
        double weight = linearWeights ? 2.0 * s / (nSup + 1) : 1.0;
        Tensor target = Torch.fromLongs(frames[s], batch, seq);
        double[] ceSum = {0};
        MicroBatches.Result r = MicroBatches.run(net, carry, Torch.fromLongs(feed, batch, seq), rows, stepIds, microBatch,
                (out, from, n) -> {
                    Tensor ce = StableMax.sequenceMeanSum(out.logits(), target.narrow(0, from, n));
                    ceSum[0] += ce.item_double();
                    return ce.mul(Torch.scalar(weight / batch));
                });
        StepOutput out = r.out();
        replaceCarry(s == nSup ? null : out.carry().kept());

        byte[][] predicted = TrmSupervision.argmax(out.logits());
        long[] tokens = new long[2];
        double exact = 0;
        for (int i = 0; i < batch; i++) {
            exact += Batches.exact(predicted[i], labels, i * seq) ? 1 : 0;   // against the answer, not the frame
            Batches.countTokens(predicted[i], labels, i * seq, tokens);
            if (feedPrediction) for (int j = 0; j < seq; j++) feed[i * seq + j] = predicted[i][j];
        }
        meter.add("step_acc." + s, exact, batch);
        meter.add("ce", ceSum[0] / batch, 1);
        if (s == nSup) {
            meter.add("exact_acc", exact, batch);
            meter.add("token_acc", tokens[0], tokens[1]);
            s = 0;
            return new Step(r.loss(), rows, ids.clone(), batch);
        }
        return new Step(r.loss(), rows, ids.clone(), 0);
    }

    /** A new batch: its samples, their improvement paths (drawn once per sample) and y0, z0. */
    private void start(Network net, Prefetcher data) {
        List<Sample> samples = new ArrayList<>();
        inputs = new long[batch * seq];
        labels = new long[batch * seq];
        frames = new long[nSup + 1][batch * seq];
        ids = new long[batch];
        for (int i = 0; i < batch; i++) {
            long position = data.position();
            Sample x = data.next();
            samples.add(x);
            long[][] path = ImprovementPath.frames(x.input(), x.label(), nSup, TrainingSet.random(seed ^ 0xD15L, position));
            for (int k = 0; k <= nSup; k++) System.arraycopy(path[k], 0, frames[k], i * seq, seq);
            System.arraycopy(Batches.tokens(x.input()), 0, inputs, i * seq, seq);
            System.arraycopy(path[nSup], 0, labels, i * seq, seq);
            ids[i] = x.puzzleId();
        }
        feed = inputs.clone();
        replaceCarry(net.initialCarry(batch).kept());
    }

    private void replaceCarry(Carry next) {
        if (carry != null) carry.close();
        carry = next;
    }

    @Override public boolean atBoundary() { return s == 0; }

    @Override public Map<String, Tensor> state() { return Map.of(); }

    @Override public void restore(Network net, Map<String, Tensor> state) {}
}
