package trm4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.UserError;
import trm4j.config.Method;
import trm4j.config.ModelConfig;
import trm4j.data.Prefetcher;
import trm4j.engine.Device;
import trm4j.engine.Draws;
import trm4j.engine.Group;
import trm4j.engine.TensorRecord;
import trm4j.engine.Torch;
import trm4j.model.Carry;
import trm4j.model.RecursiveModel;

/**
 * TRM deep supervision with halting (docs/METHOD.md section 4). Each batch row carries (y, z), its
 * sample and its step count; every step is trained against the answer, with the halting loss
 * q_loss_weight x BCE(q_halt, "the whole answer is right"). A row halts after N_sup steps or when
 * q_halt > 0 (after a minimum drawn with probability halt_exploration at every step); a halted row
 * restarts from y0, z0 on a new sample.
 *
 * <p>As in the reference, every step draws a whole fresh batch from the stream and a halted row
 * takes its row of it ({@code torch.where}); the rest of the fresh batch is not used.
 */
final class TrmSupervision implements Supervision<TrmSupervision.State> {
    /** The rows' samples, their steps run [B] long, which halted at the last step [B] bool, and (y, z). */
    record State(Rows rows, Tensor steps, Tensor halted, Carry carry) implements TensorRecord {
        @Override public List<Tensor> tensors() {
            List<Tensor> all = new ArrayList<>(rows.tensors());
            all.addAll(List.of(steps, halted));
            all.addAll(carry.tensors());
            return all;
        }
    }

    /** The exploration minima of a step: [rows of this rank] long on the device, 0 where a row draws none. */
    interface Exploration {
        Tensor minima(long step, Device device);
    }

    private final RankSlice slice;
    private final int seq, nSup;
    private final Method.Trm method;
    private final Group group;
    private final Exploration exploration;

    /** @param exploration the minima to halt after; null: drawn on the device from the seed ({@link #minima}) */
    TrmSupervision(ModelConfig m, RankSlice slice, Method.Trm method, long seed, Group group, Exploration exploration) {
        this.slice = slice;
        this.seq = m.seqLen();
        this.nSup = m.nSup();
        this.method = method;
        this.group = group;
        this.exploration = exploration != null ? exploration
                : (step, device) -> minima(device, Draws.key(seed, 0x7A17L, step), slice, method.haltExploration(), nSup);
    }

    @Override public Begun<State> begin(State s, RecursiveModel net, Prefetcher data, long step) {
        Rows incoming = Rows.of(RankSlice.batch(slice.draw(data), seq), net.device());
        Carry init = net.initialCarry(slice.local());
        State at = s == null ? new State(incoming, torch.zeros(new long[] {slice.local()}, net.device().options(ScalarType.Long)), null, init)
                : new State(s.rows.where(s.halted, incoming), s.steps.masked_fill(s.halted, Torch.scalar(0L)), s.halted,
                        Rows.where(s.halted, init, s.carry));   // halted rows restart from (y0, z0) on a fresh sample
        return new Begun<>(new Feed(at.rows, at.rows.inputs(), 0, at.carry, at.rows.labels(), 1.0, method.qLossWeight()), at);
    }

    @Override public State end(State at, RecursiveModel net, Feed fed, SupervisionStep.Outcome out, long step, Meter meter) {
        Tensor steps = at.steps.add(Torch.scalar(1L));
        Tensor right = at.rows.exact(out.predicted()), positive = out.qHalt().gt(Torch.scalar(0L));
        Tensor halted = halts(steps, out.qHalt(), exploration.minima(step, net.device()), nSup);
        Tensor halts = halted.sum();
        meter.add(Metric.EXACT_ACC, halted.logical_and(right).sum(), halts);   // counted when a row halts
        meter.add(Metric.HALT_STEPS, steps.mul(halted).sum(), halts);
        meter.add(Metric.Q_HALT_ACC, positive.eq(right).sum(), slice.local());
        Tensor[] tokens = at.rows.tokens(out.predicted());
        meter.add(Metric.TOKEN_ACC, tokens[0], tokens[1]);
        meter.add(Metric.SAMPLES, halts, 0);
        return new State(at.rows, steps, halted, out.carry());
    }

    /** [B] bool: a row halts after N_sup steps, or when q_halt > 0 once it has run its minimum. */
    static Tensor halts(Tensor steps, Tensor qHalt, Tensor minimum, int nSup) {
        return steps.ge(Torch.scalar((long) nSup)).logical_or(qHalt.gt(Torch.scalar(0L)).logical_and(steps.ge(minimum)));
    }

    /**
     * Exploration, drawn on the device for this rank's rows of the whole batch (two draws per row):
     * with probability p a minimum of U{2..N_sup} steps, else 0. Every rank draws alike, and a
     * resumed run draws the same as an uninterrupted one.
     */
    static Tensor minima(Device d, long key, RankSlice slice, double p, int nSup) {
        Tensor u = Draws.uniform(d, key, 2L * slice.first(), 2L * slice.local()).view(slice.local(), 2);
        Tensor minimum = u.select(1, 1).mul(Torch.scalar((double) (nSup - 1))).floor().to(ScalarType.Long).add(Torch.scalar(2L));
        return minimum.mul(u.select(1, 0).lt(Torch.scalar(p)).to(ScalarType.Long));
    }

    @Override public boolean atBoundary(State s) { return true; }

    private static final List<String> STATE = List.of("carry.y", "carry.z", "rows.steps", "rows.halted", "rows.inputs", "rows.labels", "rows.ids");

    /** The rows of the whole batch (gathered from the ranks): a run can resume with another number of ranks. */
    @Override public Map<String, Tensor> save(State s) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (s == null) return out;
        Tensor[] parts = {s.carry.y(), s.carry.z(), s.steps, s.halted.to(ScalarType.Long), s.rows.inputs(), s.rows.labels(), s.rows.ids()};
        for (int i = 0; i < parts.length; i++) out.put(STATE.get(i), group.allGather(parts[i]));
        return out;
    }

    @Override public State restore(RecursiveModel net, Map<String, Tensor> saved) {
        if (!saved.containsKey("carry.y")) return null;
        for (String k : STATE) if (!saved.containsKey(k)) throw new UserError("the checkpoint's TRM state lacks sup." + k);
        if (saved.get("rows.ids").size(0) != slice.batch())
            throw new UserError("the checkpoint's TRM rows are a batch of " + saved.get("rows.ids").size(0) + ", not " + slice.batch()
                    + ": a TRM run resumes with its own train.batch");
        ScalarType activations = net.precision().activations;
        return new State(new Rows(mine(net, saved.get("rows.inputs")), mine(net, saved.get("rows.labels")), mine(net, saved.get("rows.ids"))),
                mine(net, saved.get("rows.steps")).to(ScalarType.Long), mine(net, saved.get("rows.halted")).ne(Torch.scalar(0L)),
                new Carry(mine(net, saved.get("carry.y")).to(activations), mine(net, saved.get("carry.z")).to(activations)));
    }

    /** This rank's rows of a tensor of the whole batch, on the model's device. */
    private Tensor mine(RecursiveModel net, Tensor whole) {
        return net.device().put(whole.narrow(0, slice.first(), slice.local()).contiguous());
    }
}
