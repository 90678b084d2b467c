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
import trm4j.data.Sample;
import trm4j.data.TrainingSet;
import trm4j.engine.Group;
import trm4j.engine.Torch;
import trm4j.model.Carry;
import trm4j.model.RecursiveModel;

/**
 * TRM deep supervision with halting (SPEC.md section 4). Each batch row carries (y, z, its step
 * count, its sample); every step is trained against the answer, with the halting loss
 * q_loss_weight x BCE(q_halt, "the whole answer is right"). A row halts after N_sup steps or when
 * q_halt > 0 (after a minimum drawn with probability halt_exploration); a halted row takes the
 * next sample of the stream and restarts from y0, z0.
 *
 * <p>In a data-parallel run each rank holds its slice of the batch's rows; the halting decisions
 * are gathered, so that every rank refills the same rows from the one stream as a single process.
 */
final class TrmSupervision implements Supervision {
    private final int batch, local, first, nSup;   // the whole batch; this rank's rows [first, first + local)
    private final double haltWeight, exploration;
    private final long seed;
    private final Batch rows;
    private final int[] steps;
    private final boolean[] halted;   // of every row of the batch, on every rank
    private final Group group;
    private Carry carry;

    TrmSupervision(ModelConfig m, TrainConfig c) {
        this(m, c, Group.SINGLE);
    }

    TrmSupervision(ModelConfig m, TrainConfig c, Group group) {
        this.group = group;
        this.batch = c.batch();
        this.local = batch / group.size();
        this.first = group.rank() * local;
        this.nSup = m.nSup();
        this.haltWeight = c.qLossWeight();
        this.exploration = c.haltExploration();
        this.seed = c.seed();
        this.rows = new Batch(local, m.seqLen());
        this.steps = new int[local];
        this.halted = new boolean[batch];
        Arrays.fill(halted, true);   // every row starts by being filled
    }

    @Override public Feed next(RecursiveModel net, Prefetcher data, long step) {
        Carry init = net.initialCarry(local);
        double[] reset = new double[local];
        for (int g = 0; g < batch; g++) {   // halted rows take the next samples in row order; this rank keeps its own
            if (!halted[g]) continue;
            Sample s = data.next();
            int i = g - first;
            if (i < 0 || i >= local) continue;
            rows.set(i, s);
            steps[i] = 0;
            reset[i] = 1;
        }
        Carry start = init;
        if (carry != null) {   // halted rows restart from (y0, z0), the others carry on
            Tensor mask = Torch.fromDoubles(reset, local, 1, 1).gt(Torch.scalar(0.5));
            start = new Carry(torch.where(mask, init.y(), carry.y()), torch.where(mask, init.z(), carry.z()));
        }
        return new Feed(rows, rows.tokens(), 0, start, rows.labels(), 1.0, haltWeight);
    }

    @Override public int took(RecursiveModel net, Feed fed, SupervisionStep.Outcome out, long step, Meter meter) {
        if (carry != null) carry.close();
        carry = out.carry();
        long[] tokens = new long[2], halts = new long[local];
        Random rnd = TrainingSet.random(seed ^ 0x7A17L, step);
        int[] minimum = new int[batch];   // drawn for every row of the batch, so every rank draws the same
        for (int g = 0; g < batch; g++) minimum[g] = minimumSteps(rnd, exploration, nSup);
        int finished = 0;
        for (int i = 0; i < local; i++) {
            boolean right = rows.exact(i, out.predicted()[i]);
            rows.countTokens(i, out.predicted()[i], tokens);
            steps[i]++;
            boolean h = halts(steps[i], nSup, out.qHalt()[i], minimum[first + i]);
            halts[i] = h ? 1 : 0;
            meter.add("exact_acc", h && right ? 1 : 0, h ? 1 : 0);   // counted when a row halts (a name on every rank)
            meter.add("halt_steps", h ? steps[i] : 0, h ? 1 : 0);
            meter.add("q_halt_acc", (out.qHalt()[i] > 0) == right ? 1 : 0, 1);
            if (h) finished++;
        }
        meter.add("token_acc", tokens[0], tokens[1]);
        long[] all = group.allGather(halts);
        for (int g = 0; g < batch; g++) halted[g] = all[g] != 0;
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

    /** The rows of the whole batch (gathered from the ranks): a run can resume with another number of ranks. */
    @Override public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        if (carry == null) return s;
        s.put("carry.y", group.allGather(carry.y()));
        s.put("carry.z", group.allGather(carry.z()));
        long[] st = new long[local], h = new long[batch];
        for (int i = 0; i < local; i++) st[i] = steps[i];
        for (int g = 0; g < batch; g++) h[g] = halted[g] ? 1 : 0;
        s.put("rows.steps", Torch.fromLongs(group.allGather(st), batch));
        s.put("rows.halted", Torch.fromLongs(h, batch));
        s.put("rows.inputs", group.allGather(Torch.fromLongs(rows.tokens(), local, rows.seq())));
        s.put("rows.labels", group.allGather(Torch.fromLongs(rows.labels(), local, rows.seq())));
        s.put("rows.ids", Torch.fromLongs(group.allGather(rows.puzzleIds()), batch));
        return s;
    }

    @Override public void restore(RecursiveModel net, Map<String, Tensor> s) {
        if (!s.containsKey("carry.y")) return;
        if (s.get("rows.ids").size(0) != batch)
            throw new trm4j.UserError("the checkpoint's TRM rows are a batch of " + s.get("rows.ids").size(0) + ", not " + batch
                    + ": a TRM run resumes with its own train.batch");
        carry = new Carry(mine(s.get("carry.y")).to(net.precision().activations), mine(s.get("carry.z")).to(net.precision().activations));
        long[] st = Torch.toLongs(mine(s.get("rows.steps"))), h = Torch.toLongs(s.get("rows.halted"));
        for (int i = 0; i < local; i++) steps[i] = (int) st[i];
        for (int g = 0; g < batch; g++) halted[g] = h[g] != 0;
        System.arraycopy(Torch.toLongs(mine(s.get("rows.inputs"))), 0, rows.tokens(), 0, rows.tokens().length);
        System.arraycopy(Torch.toLongs(mine(s.get("rows.labels"))), 0, rows.labels(), 0, rows.labels().length);
        System.arraycopy(Torch.toLongs(mine(s.get("rows.ids"))), 0, rows.puzzleIds(), 0, local);
    }

    /** This rank's rows of a tensor of the whole batch. */
    private Tensor mine(Tensor whole) {
        return whole.narrow(0, first, local).contiguous();
    }
}
