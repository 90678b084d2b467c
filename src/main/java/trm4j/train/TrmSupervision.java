package trm4j.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import trm4j.config.ModelConfig;
import trm4j.config.TrainConfig;
import trm4j.data.Batch;
import trm4j.data.Prefetcher;
import trm4j.data.TrainingSet;
import trm4j.engine.Torch;
import trm4j.model.Carry;
import trm4j.model.RecursiveModel;

/**
 * TRM deep supervision with halting (SPEC.md section 4). Each batch row carries (y, z, its step
 * count, its sample); every step is trained against the answer, with the halting loss
 * q_loss_weight x BCE(q_halt, "the whole answer is right"). A row halts after N_sup steps or when
 * q_halt > 0 (after a minimum drawn with probability halt_exploration); a halted row takes the
 * next sample of the stream and restarts from y0, z0.
 */
final class TrmSupervision implements Supervision {
    private final int batch, nSup;
    private final double haltWeight, exploration;
    private final long seed;
    private final Batch rows;
    private final int[] steps;
    private final boolean[] halted;
    private Carry carry;

    TrmSupervision(ModelConfig m, TrainConfig c) {
        this.batch = c.batch();
        this.nSup = m.nSup();
        this.haltWeight = c.qLossWeight();
        this.exploration = c.haltExploration();
        this.seed = c.seed();
        this.rows = new Batch(batch, m.seqLen());
        this.steps = new int[batch];
        this.halted = new boolean[batch];
        Arrays.fill(halted, true);   // every row starts by being filled
    }

    @Override public Feed next(RecursiveModel net, Prefetcher data, long step) {
        Carry init = net.initialCarry(batch);
        double[] reset = new double[batch];
        for (int i = 0; i < batch; i++) {
            if (!halted[i]) continue;
            rows.set(i, data.next());
            steps[i] = 0;
            reset[i] = 1;
        }
        Carry start = init;
        if (carry != null) {   // halted rows restart from (y0, z0), the others carry on
            Tensor mask = Torch.fromDoubles(reset, batch, 1, 1).gt(Torch.scalar(0.5));
            start = new Carry(torch.where(mask, init.y(), carry.y()), torch.where(mask, init.z(), carry.z()));
        }
        return new Feed(rows, rows.tokens(), 0, start, rows.labels(), 1.0, haltWeight);
    }

    @Override public int took(RecursiveModel net, Feed fed, SupervisionStep.Outcome out, long step, Meter meter) {
        if (carry != null) carry.close();
        carry = out.carry();
        long[] tokens = new long[2];
        Random rnd = TrainingSet.random(seed ^ 0x7A17L, step);
        int finished = 0;
        for (int i = 0; i < batch; i++) {
            boolean right = rows.exact(i, out.predicted()[i]);
            rows.countTokens(i, out.predicted()[i], tokens);
            steps[i]++;
            halted[i] = halts(steps[i], nSup, out.qHalt()[i], minimumSteps(rnd, exploration, nSup));
            if (halted[i]) {
                meter.add("exact_acc", right ? 1 : 0, 1);
                meter.add("halt_steps", steps[i], 1);
                finished++;
            }
            meter.add("q_halt_acc", (out.qHalt()[i] > 0) == right ? 1 : 0, 1);
        }
        meter.add("token_acc", tokens[0], tokens[1]);
        return finished;
    }

    /** A row halts after N_sup steps, or when q_halt > 0 once it has run its minimum. */
    static boolean halts(int steps, int nSup, double qHalt, int minSteps) {
        return steps >= nSup || (qHalt > 0 && steps >= minSteps);
    }

    /** Exploration: with probability p a minimum of U{2..N_sup} steps, else none (drawn every step). */
    static int minimumSteps(Random rnd, double p, int nSup) {
        return rnd.nextDouble() < p ? 2 + rnd.nextInt(nSup - 1) : 0;
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
        s.put("rows.inputs", Torch.fromLongs(rows.tokens(), batch, rows.seq()));
        s.put("rows.labels", Torch.fromLongs(rows.labels(), batch, rows.seq()));
        s.put("rows.ids", Torch.fromLongs(rows.puzzleIds(), batch));
        return s;
    }

    @Override public void restore(RecursiveModel net, Map<String, Tensor> s) {
        if (!s.containsKey("carry.y")) return;
        carry = new Carry(s.get("carry.y").to(net.precision().activations), s.get("carry.z").to(net.precision().activations));
        long[] st = longs(s.get("rows.steps")), h = longs(s.get("rows.halted"));
        for (int i = 0; i < batch; i++) {
            steps[i] = (int) st[i];
            halted[i] = h[i] != 0;
        }
        System.arraycopy(longs(s.get("rows.inputs")), 0, rows.tokens(), 0, rows.tokens().length);
        System.arraycopy(longs(s.get("rows.labels")), 0, rows.labels(), 0, rows.labels().length);
        System.arraycopy(longs(s.get("rows.ids")), 0, rows.puzzleIds(), 0, batch);
    }

    private static long[] longs(Tensor t) {
        long[] out = new long[(int) t.numel()];
        t.contiguous().data_ptr_long().get(out);
        return out;
    }
}
