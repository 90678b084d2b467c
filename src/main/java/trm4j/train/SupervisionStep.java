package trm4j.train;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.engine.Autocast;
import trm4j.engine.Scope;
import trm4j.engine.Torch;
import trm4j.model.Carry;
import trm4j.model.Loss;
import trm4j.model.RecursiveModel;
import trm4j.model.StepOutput;

/**
 * The part of a supervision step that has a gradient, the same for both methods: the step on its
 * feed, the loss, backward, the argmax. It runs on chunks of at most {@code micro_batch} rows, each
 * backpropagated before the next starts: the gradients add up to the whole batch's, and only one
 * chunk's graph (its saved attention probabilities) is alive at a time. 0 is one chunk. Nothing is
 * read back to the host.
 */
public final class SupervisionStep {
    private SupervisionStep() {}

    /**
     * @param loss       the loss backpropagated (a sum over rows divided by the whole batch), 0-dim
     * @param ce         the unweighted cross-entropy, summed over rows and divided the same way, 0-dim
     * @param predicted  the argmax tokens [B, seq]
     * @param qHalt      the halting logits [B]
     * @param carry      the new (y, z)
     * @param puzzleRows the batch's puzzle rows, a leaf holding their gradient
     */
    public record Outcome(Tensor loss, Tensor ce, Tensor predicted, Tensor qHalt, Carry carry, Tensor puzzleRows) {}

    public static Outcome run(RecursiveModel net, Supervision.Feed f, int microBatch) {
        return run(net, f, microBatch, (int) f.tokens().size(0));
    }

    /**
     * @param globalBatch the rows of the whole batch over all ranks: each rank's loss is its share
     *                    of the batch's, so that the gradients sum over the ranks to the batch's
     */
    public static Outcome run(RecursiveModel net, Supervision.Feed f, int microBatch, int globalBatch) {
        int batch = (int) f.tokens().size(0), size = microBatch <= 0 ? batch : Math.min(microBatch, batch);
        Tensor rows = net.puzzleRows(f.rows().ids());
        rows.set_requires_grad(true);
        Tensor steps = f.stepIndex() == 0 ? null : torch.full(new long[] {batch}, Torch.scalar(f.stepIndex()), net.device().options(ScalarType.Long));
        List<Tensor> predicted = new ArrayList<>(), qHalt = new ArrayList<>(), losses = new ArrayList<>(), ces = new ArrayList<>();
        List<Carry> carries = new ArrayList<>();
        for (int from = 0; from < batch; from += size) {
            int n = Math.min(size, batch - from);
            Tensor target = f.target().narrow(0, from, n);
            StepOutput out;
            Loss l;
            try (Scope scope = Scope.open()) {
                try (Autocast ac = net.precision().enter(net.device())) {
                    out = net.step(new Carry(f.carry().y().narrow(0, from, n), f.carry().z().narrow(0, from, n)),
                            f.tokens().narrow(0, from, n), rows.narrow(0, from, n), steps == null ? null : steps.narrow(0, from, n));
                    Tensor argmax = out.logits().argmax(new LongOptional(-1), false);
                    // The halting target, "the prediction is the whole target", is needed only with a halting loss.
                    l = Loss.of(out, target, f.haltWeight() == 0 ? null : Rows.exact(argmax, target), f.weight(), f.haltWeight());
                    predicted.add(scope.handOut(argmax));
                }
                Tensor value = l.total().div(Torch.scalar(globalBatch));
                value.backward();
                losses.add(scope.handOut(value.detach()));
                ces.add(scope.handOut(l.ce().detach()));
                qHalt.add(scope.handOut(out.qHalt().detach()));
                carries.add(new Carry(scope.handOut(out.carry().y()), scope.handOut(out.carry().z())));
            }
        }
        Carry carry = carries.size() == 1 ? carries.get(0)
                : new Carry(cat(carries.stream().map(Carry::y).toList()), cat(carries.stream().map(Carry::z).toList()));
        Tensor loss = sum(losses), ce = sum(ces).div(Torch.scalar(globalBatch));
        return new Outcome(loss, ce, cat(predicted), cat(qHalt), carry, rows);
    }

    /** Chunks back into one tensor, in this scope (a single chunk is itself). */
    private static Tensor cat(List<Tensor> parts) {
        if (parts.size() == 1) return parts.get(0);
        TensorVector v = new TensorVector();
        parts.forEach(v::push_back);
        return torch.cat(v, 0);
    }

    /** The chunks' values added in chunk order. */
    private static Tensor sum(List<Tensor> parts) {
        Tensor s = parts.get(0);
        for (int i = 1; i < parts.size(); i++) s = s.add(parts.get(i));
        return s;
    }
}
