package trm4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

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
 * TRM deep supervision with halting (SPEC.md section 4). Each batch row carries (y, z, steps, its
 * sample); a row halts after N_sup steps or when q_halt > 0 (after a drawn minimum, with
 * probability {@code haltExploration}), and a halted row is refilled from the stream with y0, z0.
 * Loss = stable-max CE + qLossWeight * BCE(q_halt, "the whole answer is right").
 */
final class TrmSupervision implements Supervision {
    private final int batch, seq, nSup, microBatch;
    private final double qLossWeight, exploration;
    private final long seed;
    private Carry carry;
    private final int[] steps;
    private final boolean[] halted;
    private final long[] inputs, labels, ids;

    TrmSupervision(Network net, TrainConfig c) {
        this.batch = c.batch();
        this.microBatch = c.microBatch();
        this.seq = net.config().seqLen();
        this.nSup = net.config().nSup();
        this.qLossWeight = c.qLossWeight();
        this.exploration = c.haltExploration();
        this.seed = c.seed();
        this.steps = new int[batch];
        this.halted = new boolean[batch];
        java.util.Arrays.fill(halted, true);   // every row starts by being filled
        this.inputs = new long[batch * seq];
        this.labels = new long[batch * seq];
        this.ids = new long[batch];
    }

    @Override public Step forward(Network net, Prefetcher data, long step, Meter meter) {
        Carry start = refill(net, data);
        Tensor rows = net.puzzleRows(Torch.fromLongs(ids, batch));
        rows.set_requires_grad(true);
        // The halting target, "the whole answer is right", comes from each chunk's own prediction.
        double[] correct = new double[batch], ceSum = {0};
        byte[][] predicted = new byte[batch][];
        Tensor answers = Torch.fromLongs(labels, batch, seq);
        MicroBatches.Result r = MicroBatches.run(net, start, Torch.fromLongs(inputs, batch, seq), rows, null, microBatch,
                (out, from, n) -> {
                    byte[][] chunk = argmax(out.logits());
                    for (int i = 0; i < n; i++) {
                        predicted[from + i] = chunk[i];
                        correct[from + i] = Batches.exact(chunk[i], labels, (from + i) * seq) ? 1 : 0;
                    }
                    Tensor ce = StableMax.sequenceMeanSum(out.logits(), answers.narrow(0, from, n));
                    Tensor bce = binaryCrossEntropySum(out.qHalt().to(ScalarType.Double),
                            Torch.fromDoubles(java.util.Arrays.copyOfRange(correct, from, from + n), n));
                    ceSum[0] += ce.item_double();
                    return ce.add(bce.mul(Torch.scalar(qLossWeight))).div(Torch.scalar(batch));
                });
        StepOutput out = r.out();
        if (carry != null) carry.close();   // the kept carry of the previous step is replaced: free it
        carry = out.carry().kept();

        long[] tokens = new long[2];
        for (int i = 0; i < batch; i++) Batches.countTokens(predicted[i], labels, i * seq, tokens);

        // Halting: N_sup reached, or q_halt > 0 once past a minimum that exploration sometimes draws.
        double[] q = Torch.toDoubles(out.qHalt());
        Random rnd = TrainingSet.random(seed ^ 0x7A17L, step);
        int finished = 0;
        for (int i = 0; i < batch; i++) {
            steps[i]++;
            halted[i] = halts(steps[i], nSup, q[i], minimumSteps(rnd, exploration, nSup));
            if (halted[i]) {
                meter.add("exact_acc", correct[i], 1);
                meter.add("halt_steps", steps[i], 1);
                finished++;
            }
            meter.add("q_halt_acc", (q[i] > 0) == (correct[i] > 0) ? 1 : 0, 1);
        }
        meter.add("token_acc", tokens[0], tokens[1]);
        meter.add("ce", ceSum[0] / batch, 1);
        return new Step(r.loss(), rows, ids.clone(), finished);
    }

    /** A row halts after N_sup steps, or when q_halt > 0 once it has run its minimum. */
    static boolean halts(int steps, int nSup, double qHalt, int minSteps) {
        return steps >= nSup || (qHalt > 0 && steps >= minSteps);
    }

    /** Exploration: with probability p a minimum of U{2..N_sup} steps, else none (drawn every step). */
    static int minimumSteps(Random rnd, double p, int nSup) {
        return rnd.nextDouble() < p ? 2 + rnd.nextInt(nSup - 1) : 0;
    }

    /** Halted rows take the next samples of the stream and restart from y0, z0: the step's start. */
    private Carry refill(Network net, Prefetcher data) {
        Carry init = net.initialCarry(batch);
        return fill(data, init, carry == null ? init : carry);
    }

    private Carry fill(Prefetcher data, Carry init, Carry previous) {
        double[] reset = new double[batch];
        for (int i = 0; i < batch; i++) {
            if (!halted[i]) continue;
            Sample s = data.next();
            System.arraycopy(Batches.tokens(s.input()), 0, inputs, i * seq, seq);
            System.arraycopy(Batches.labels(s.label()), 0, labels, i * seq, seq);
            ids[i] = s.puzzleId();
            steps[i] = 0;
            reset[i] = 1;
        }
        Tensor mask = Torch.fromDoubles(reset, batch, 1, 1).gt(Torch.scalar(0.5));
        return new Carry(torch.where(mask, init.y(), previous.y()), torch.where(mask, init.z(), previous.z()));
    }

    static byte[][] argmax(Tensor logits) {
        return trm4j.model.Inference.rows(logits.argmax(new org.bytedeco.pytorch.LongOptional(-1), false));
    }

    /** sum over rows of BCE with logits: softplus(x) - x*y, written stably. */
    static Tensor binaryCrossEntropySum(Tensor x, Tensor y) {
        Tensor softplus = x.clamp_min(Torch.scalar(0)).add(x.abs().neg().exp().log1p());
        return softplus.sub(x.mul(y)).sum();
    }

    @Override public boolean atBoundary() { return true; }

    @Override public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        if (carry == null) return s;
        s.put("carry.y", carry.y());
        s.put("carry.z", carry.z());
        long[] st = new long[batch], h = new long[batch];
        for (int i = 0; i < batch; i++) {
            st[i] = steps[i];
            h[i] = halted[i] ? 1 : 0;
        }
        s.put("rows.steps", Torch.fromLongs(st, batch));
        s.put("rows.halted", Torch.fromLongs(h, batch));
        s.put("rows.inputs", Torch.fromLongs(inputs, batch, seq));
        s.put("rows.labels", Torch.fromLongs(labels, batch, seq));
        s.put("rows.ids", Torch.fromLongs(ids, batch));
        return s;
    }

    @Override public void restore(Network net, Map<String, Tensor> s) {
        if (!s.containsKey("carry.y")) return;
        carry = new Carry(s.get("carry.y").to(net.precision().activations), s.get("carry.z").to(net.precision().activations));
        long[] st = longs(s.get("rows.steps")), h = longs(s.get("rows.halted"));
        for (int i = 0; i < batch; i++) {
            steps[i] = (int) st[i];
            halted[i] = h[i] != 0;
        }
        System.arraycopy(longs(s.get("rows.inputs")), 0, inputs, 0, inputs.length);
        System.arraycopy(longs(s.get("rows.labels")), 0, labels, 0, labels.length);
        System.arraycopy(longs(s.get("rows.ids")), 0, ids, 0, ids.length);
    }

    static long[] longs(Tensor t) {
        long[] out = new long[(int) t.numel()];
        t.contiguous().data_ptr_long().get(out);
        return out;
    }
}
