package trm4j.model;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.data.Batch;
import trm4j.engine.Torch;

/**
 * Stable-max cross-entropy (docs/METHOD.md section 4), in float64: s(x) = x+1 for x >= 0, 1/(1-x)
 * otherwise; p = s / sum(s). Softmax's exponent lets logits grow without bound; s grows linearly.
 */
public final class StableMax {
    private StableMax() {}

    /** log p over the last axis, in float64. */
    public static Tensor logProbs(Tensor logits) {
        Tensor x = logits.to(ScalarType.Double);
        // Each branch sees only its own half of the axis: where() differentiates both branches, and
        // 1/(1-x) at x = 1 (a common bf16 logit) would turn the unused branch's gradient into NaN.
        Tensor s = torch.where(x.lt(Torch.scalar(0)),
                x.clamp_max(Torch.scalar(0)).neg().add(Torch.scalar(1)).reciprocal(),   // 1/(1-x) for x < 0
                x.clamp_min(Torch.scalar(0)).add(Torch.scalar(1)));                    // x+1 for x >= 0
        return s.log().sub(s.sum(new long[] {-1}, true, new ScalarTypeOptional()).log());
    }

    /** Per-token loss [B, seq]: -log p(label), and 0 where the label is {@link Batch#IGNORE}. */
    public static Tensor tokenLoss(Tensor logits, Tensor labels) {
        Tensor valid = labels.ne(Torch.scalar(Batch.IGNORE));
        Tensor safe = labels.clamp_min(new Scalar(0L));
        Tensor picked = logProbs(logits).gather(-1, safe.unsqueeze(-1)).squeeze(-1);
        return torch.where(valid, picked.neg(), Torch.scalar(0.0));
    }

    /**
     * Sum over the batch of each sequence's mean loss over its valid tokens (a sequence without
     * any valid token adds 0). Divide by the global batch size for the reference's normalisation.
     */
    public static Tensor sequenceMeanSum(Tensor logits, Tensor labels) {
        Tensor counts = labels.ne(Torch.scalar(Batch.IGNORE)).sum(new long[] {-1}, false, new ScalarTypeOptional(ScalarType.Double));
        Tensor perSeq = tokenLoss(logits, labels).sum(new long[] {-1}, false, new ScalarTypeOptional());
        return perSeq.div(counts.clamp_min(Torch.scalar(1))).sum();
    }
}
