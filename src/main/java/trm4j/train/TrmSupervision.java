package trm4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.UserError;
import trm4j.config.Method;
import trm4j.config.ModelConfig;
import trm4j.config.TrainConfig;
import trm4j.data.Batch;
import trm4j.data.Prefetcher;
import trm4j.data.Sample;
import trm4j.data.TrainingSet;
import trm4j.engine.Device;
import trm4j.engine.Group;
import trm4j.engine.Scope;
import trm4j.engine.Torch;
import trm4j.model.Carry;
import trm4j.model.RecursiveModel;

/**
 * TRM deep supervision with halting (docs/METHOD.md). Each batch row carries (y, z, its step
 * count, its sample); every step is trained against the answer, with the halting loss
 * q_loss_weight x BCE(q_halt, "the whole answer is right"). A row halts after N_sup steps or when
 * q_halt > 0 (after a minimum drawn with probability halt_exploration at every step); a halted
 * row restarts from y0, z0 on a new sample.
 *
 * <p>As in the reference, every step draws a whole fresh batch from the stream and a halted row
 * takes its row of it ({@code torch.where}); the rest of the fresh batch is not used. The state
 * lives on the device as tensors and no decision reads one back. In a data-parallel run each rank
 * holds its slice of the rows and takes its slice of each fresh batch, which is one process's.
 */
final class TrmSupervision implements Supervision {
    private final int batch, local, first, seq, nSup;   // the whole batch; this rank's rows [first, first + local)
    private final Method.Trm method;
    private final long seed;
    private final Group group;
    private Rows rows;         // the sample each row holds
    private Tensor steps;      // [B] long: supervision steps the row has run on its sample
    private Tensor halted;     // [B] bool: the row takes a new sample at the next step (all at the start)
    private Carry carry;

    /** The exploration minima of a step: [rows of this rank] long on the device, 0 where a row draws none. */
    interface Exploration {
        Tensor minima(long step, Device device);
    }

    private final Exploration exploration;

    TrmSupervision(ModelConfig m, TrainConfig c, Method.Trm method, Group group) {
        this(m, c, method, group, null);
    }

    /** @param exploration the minima to halt after; null: drawn from the seed (the same on every run and resume) */
    TrmSupervision(ModelConfig m, TrainConfig c, Method.Trm method, Group group, Exploration exploration) {
        this.batch = c.batch();
        this.local = batch / group.size();
        this.first = group.rank() * local;
        this.seq = m.seqLen();
        this.nSup = m.nSup();
        this.method = method;
        this.seed = c.seed();
        this.group = group;
        this.exploration = exploration != null ? exploration : (step, device) -> Torch.fromLongs(device, minimumSteps(step), local);
    }

    @Override public Feed next(RecursiveModel net, Prefetcher data, long step) {
        Batch fresh = new Batch(local, seq);
        for (int g = 0; g < batch; g++) {   // the whole batch from the stream; this rank keeps its own rows
            Sample s = data.next();
            if (g >= first && g < first + local) fresh.set(g - first, s);
        }
        Rows incoming = Rows.of(fresh, net.device());
        Carry init = net.initialCarry(local);
        if (rows == null) {   // the first step: every row is new
            rows = incoming;
            steps = Scope.own(torch.zeros(new long[] {local}, net.device().options(ScalarType.Long)));
            return new Feed(rows, rows.inputs(), 0, init, rows.labels(), 1.0, method.qLossWeight());
        }
        Rows kept = rows.where(halted, incoming);
        rows.close();
        incoming.close();
        rows = kept;
        replaceSteps(steps.masked_fill(halted, Torch.scalar(0)));
        Carry start = Rows.where(halted, init, carry);   // halted rows restart from (y0, z0)
        return new Feed(rows, rows.inputs(), 0, start, rows.labels(), 1.0, method.qLossWeight());
    }

    @Override public Tensor took(RecursiveModel net, Feed fed, SupervisionStep.Outcome out, long step, Meter meter) {
        if (carry != null) carry.close();
        carry = out.carry();
        replaceSteps(steps.add(Torch.scalar(1)));
        Tensor right = rows.exact(out.predicted()), positive = out.qHalt().gt(Torch.scalar(0));
        Tensor h = halts(steps, out.qHalt(), exploration.minima(step, net.device()), nSup);
        if (halted != null) halted.close();
        halted = Scope.own(h);
        Tensor halts = h.sum();
        meter.add("exact_acc", h.logical_and(right).sum(), halts);   // counted when a row halts
        meter.add("halt_steps", steps.mul(h).sum(), halts);
        meter.add("q_halt_acc", positive.eq(right).sum(), local);
        Tensor[] tokens = rows.tokens(out.predicted());
        meter.add("token_acc", tokens[0], tokens[1]);
        return halts;
    }

    /** This rank's exploration minima for a step: drawn for every row of the batch, so every rank draws the same. */
    private long[] minimumSteps(long step) {
        Random rnd = TrainingSet.random(seed ^ 0x7A17L, step);
        long[] mine = new long[local];
        for (int g = 0; g < batch; g++) {
            int m = minimumSteps(rnd, method.haltExploration(), nSup);
            if (g >= first && g < first + local) mine[g - first] = m;
        }
        return mine;
    }

    private void replaceSteps(Tensor next) {
        Tensor old = steps;
        steps = Scope.own(next);
        old.close();
    }

    /** [B] bool: a row halts after N_sup steps, or when q_halt > 0 once it has run its minimum. */
    static Tensor halts(Tensor steps, Tensor qHalt, Tensor minimum, int nSup) {
        return steps.ge(Torch.scalar(nSup)).logical_or(qHalt.gt(Torch.scalar(0)).logical_and(steps.ge(minimum)));
    }

    /** Exploration: with probability p a minimum of U{2..N_sup} steps, else none (drawn every step). */
    static int minimumSteps(Random rnd, double p, int nSup) {
        return rnd.nextDouble() < p ? 2 + rnd.nextInt(nSup - 1) : 0;
    }

    @Override public boolean atBoundary() { return true; }

    private static final List<String> STATE = List.of("carry.y", "carry.z", "rows.steps", "rows.halted", "rows.inputs", "rows.labels", "rows.ids");

    /** The rows of the whole batch (gathered from the ranks): a run can resume with another number of ranks. */
    @Override public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        if (carry == null) return s;
        Tensor[] parts = {carry.y(), carry.z(), steps, halted.to(ScalarType.Long), rows.inputs(), rows.labels(), rows.ids()};
        for (int i = 0; i < parts.length; i++) s.put(STATE.get(i), group.allGather(parts[i]));
        return s;
    }

    @Override public void restore(RecursiveModel net, Map<String, Tensor> s) {
        if (!s.containsKey("carry.y")) return;
        for (String k : STATE) if (!s.containsKey(k)) throw new UserError("the checkpoint's TRM state lacks sup." + k);
        if (s.get("rows.ids").size(0) != batch)
            throw new UserError("the checkpoint's TRM rows are a batch of " + s.get("rows.ids").size(0) + ", not " + batch
                    + ": a TRM run resumes with its own train.batch");
        carry = new Carry(mine(net, s.get("carry.y")).to(net.precision().activations), mine(net, s.get("carry.z")).to(net.precision().activations));
        steps = mine(net, s.get("rows.steps"));
        halted = Scope.own(mine(net, s.get("rows.halted")).ne(Torch.scalar(0)));
        rows = new Rows(mine(net, s.get("rows.inputs")), mine(net, s.get("rows.labels")), mine(net, s.get("rows.ids")));
    }

    /** This rank's rows of a tensor of the whole batch, on the model's device, owned. */
    private Tensor mine(RecursiveModel net, Tensor whole) {
        return Scope.own(net.device().put(whole.narrow(0, first, local).contiguous()));
    }
}
