package trm4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import trm4j.engine.Autocast;
import trm4j.engine.Torch;
import trm4j.model.Carry;
import trm4j.model.Network;
import trm4j.model.Recursion;
import trm4j.model.StepOutput;

/**
 * The part of a supervision step that has a gradient (embedding, recursion, loss, backward), run
 * on chunks of at most {@code micro_batch} rows, each chunk backpropagated before the next one
 * starts. The gradients add up over the chunks, so the optimiser step is the same as for the
 * whole batch, but only one chunk's graph is alive at a time: its saved S x S attention
 * probabilities are what fills memory at seq 916. {@code micro_batch} 0 is one chunk.
 */
public final class MicroBatches {
    private MicroBatches() {}

    /** The loss of the rows [from, from + n) from their step output: a sum over rows divided by the batch. */
    public interface Loss {
        Tensor of(StepOutput out, int from, int n);
    }

    /** The whole batch's step output (detached) and its loss, already backpropagated. */
    public record Result(StepOutput out, double loss) {}

    /**
     * @param tokens  input tokens [B, seq]
     * @param rows    puzzle-table rows [B, D], a leaf that collects their gradient
     * @param stepIds DIS step indices [B], or null
     */
    public static Result run(Network net, Carry carry, Tensor tokens, Tensor rows, Tensor stepIds, int microBatch, Loss loss) {
        int batch = (int) tokens.size(0), size = microBatch <= 0 ? batch : Math.min(microBatch, batch);
        List<StepOutput> parts = new ArrayList<>();
        double total = 0;
        for (int from = 0; from < batch; from += size) {
            int n = Math.min(size, batch - from), at = from;
            Function<Tensor, Tensor> chunk = t -> t.narrow(0, at, n);
            try (PointerScope scope = new PointerScope()) {
                Tensor value;
                StepOutput out;
                try (Autocast ac = net.precision().enter()) {
                    Tensor x = net.embed(chunk.apply(tokens), chunk.apply(rows), stepIds == null ? null : chunk.apply(stepIds));
                    out = Recursion.step(net, new Carry(chunk.apply(carry.y()), chunk.apply(carry.z())), x);
                    value = loss.of(out, from, n);
                }
                total += value.item_double();
                value.backward();
                parts.add(new StepOutput(Torch.keep(out.logits().detach()), Torch.keep(out.qHalt().detach()),
                        Torch.keep(out.qContinue().detach()), out.carry().kept()));
            }
        }
        StepOutput whole = new StepOutput(cat(parts, StepOutput::logits), cat(parts, StepOutput::qHalt),
                cat(parts, StepOutput::qContinue), new Carry(cat(parts, o -> o.carry().y()), cat(parts, o -> o.carry().z())));
        for (StepOutput p : parts) {
            p.logits().close();
            p.qHalt().close();
            p.qContinue().close();
            p.carry().close();
        }
        return new Result(whole, total);
    }

    private static Tensor cat(List<StepOutput> parts, Function<StepOutput, Tensor> field) {
        TensorVector v = new TensorVector();
        for (StepOutput p : parts) v.push_back(field.apply(p));
        return torch.cat(v, 0);
    }
}
