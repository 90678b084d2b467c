package trm4j.train;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;

import trm4j.data.Batch;
import trm4j.engine.Autocast;
import trm4j.engine.Torch;
import trm4j.model.Carry;
import trm4j.model.Inference;
import trm4j.model.Loss;
import trm4j.model.RecursiveModel;
import trm4j.model.StepOutput;

/**
 * The part of a supervision step that has a gradient, the same for both methods: the step on its
 * feed, the loss, backward, the argmax. It runs on chunks of at most {@code micro_batch} rows, each
 * backpropagated before the next starts: the gradients add up to the whole batch's, and only one
 * chunk's graph (its saved attention probabilities) is alive at a time. 0 is one chunk.
 */
public final class SupervisionStep {
    private SupervisionStep() {}

    /**
     * @param loss       the loss backpropagated (a sum over rows divided by the whole batch)
     * @param ce         the unweighted cross-entropy, summed over rows and divided the same way
     * @param predicted  the argmax tokens [B][seq]
     * @param qHalt      the halting logits [B]
     * @param carry      the new (y, z), owned by the caller
     * @param puzzleRows the batch's puzzle rows, a leaf holding their gradient
     */
    public record Outcome(double loss, double ce, byte[][] predicted, double[] qHalt, Carry carry, Tensor puzzleRows) {}

    public static Outcome run(RecursiveModel net, Supervision.Feed f, int microBatch) {
        return run(net, f, microBatch, f.rows().size());
    }

    /**
     * @param globalBatch the rows of the whole batch over all ranks: each rank's loss is its share
     *                    of the batch's, so that the gradients sum over the ranks to the batch's
     */
    public static Outcome run(RecursiveModel net, Supervision.Feed f, int microBatch, int globalBatch) {
        Batch b = f.rows();
        int batch = b.size(), seq = b.seq(), size = microBatch <= 0 ? batch : Math.min(microBatch, batch);
        Tensor tokens = Torch.fromLongs(f.tokens(), batch, seq), target = Torch.fromLongs(f.target(), batch, seq);
        Tensor rows = net.puzzleRows(Torch.fromLongs(b.puzzleIds(), batch));
        rows.set_requires_grad(true);
        Tensor steps = f.stepIndex() == 0 ? null : torch.full(new long[] {batch}, Torch.scalar(f.stepIndex()), Torch.options(ScalarType.Long));
        byte[][] predicted = new byte[batch][];
        double[] qHalt = new double[batch];
        double loss = 0, ce = 0;
        List<Carry> carries = new ArrayList<>();
        for (int from = 0; from < batch; from += size) {
            int n = Math.min(size, batch - from);
            try (PointerScope scope = new PointerScope()) {
                StepOutput out;
                Loss l;
                try (Autocast ac = net.precision().enter()) {
                    out = net.step(new Carry(f.carry().y().narrow(0, from, n), f.carry().z().narrow(0, from, n)),
                            tokens.narrow(0, from, n), rows.narrow(0, from, n), steps == null ? null : steps.narrow(0, from, n));
                    byte[][] chunk = Inference.rows(out.logits().argmax(new LongOptional(-1), false));
                    double[] exact = new double[n];   // the halting target, needed only with a halting loss
                    for (int i = 0; i < n; i++) {
                        predicted[from + i] = chunk[i];
                        if (f.haltWeight() != 0) exact[i] = Batch.exact(chunk[i], f.target(), (from + i) * seq) ? 1 : 0;
                    }
                    l = Loss.of(out, target.narrow(0, from, n), exact, f.weight(), f.haltWeight());
                }
                Tensor value = l.total().div(Torch.scalar(globalBatch));
                loss += value.item_double();
                ce += l.ce().item_double();
                value.backward();
                System.arraycopy(Torch.toDoubles(out.qHalt()), 0, qHalt, from, n);
                carries.add(out.carry().kept());
            }
        }
        Carry carry = carries.size() == 1 ? carries.get(0)
                : new Carry(cat(carries.stream().map(Carry::y).toList()), cat(carries.stream().map(Carry::z).toList()));
        if (carries.size() > 1) carries.forEach(Carry::close);
        return new Outcome(loss, ce / globalBatch, predicted, qHalt, carry, rows);
    }

    private static Tensor cat(List<Tensor> parts) {
        TensorVector v = new TensorVector();
        parts.forEach(v::push_back);
        return Torch.keep(torch.cat(v, 0));
    }
}
