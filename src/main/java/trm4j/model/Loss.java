package trm4j.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.engine.Torch;

/**
 * The loss of one supervision step on some rows (docs/METHOD.md sections 4-5), summed over the rows:
 * {@code weight} x stable-max cross-entropy against the step's target, plus {@code haltWeight} x
 * BCE(q_halt, "the prediction is the whole target"). TRM: target = the answer, weight 1, halt
 * weight 0.5; DIS: target = the step's frame, halt weight 0.
 *
 * @param total the loss to backpropagate
 * @param ce    the unweighted cross-entropy, for the metrics
 */
public record Loss(Tensor total, Tensor ce) {

    /** @param exact [B] bool, true when the prediction matches the target (used only when haltWeight > 0) */
    public static Loss of(StepOutput out, Tensor target, Tensor exact, double weight, double haltWeight) {
        Tensor ce = StableMax.sequenceMeanSum(out.logits(), target);
        Tensor total = weight == 1 ? ce : ce.mul(Torch.scalar(weight));
        if (haltWeight != 0) {
            Tensor y = exact.to(ScalarType.Double);
            total = total.add(binaryCrossEntropySum(out.qHalt().to(ScalarType.Double), y).mul(Torch.scalar(haltWeight)));
        }
        return new Loss(total, ce);
    }

    /** Sum over rows of BCE with logits: softplus(x) - x*y, written stably. */
    static Tensor binaryCrossEntropySum(Tensor x, Tensor y) {
        Tensor softplus = x.clamp_min(Torch.scalar(0)).add(x.abs().neg().exp().log1p());
        return softplus.sub(x.mul(y)).sum();
    }
}
