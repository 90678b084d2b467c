package trm4j.model;

import org.bytedeco.pytorch.Tensor;

/**
 * What one supervision step returns.
 *
 * @param logits [B, seq, vocab] from lm_head(y), prefix dropped
 * @param qHalt  [B] halting logit from q_head(y[:, 0])
 * @param carry  the new (y, z), detached
 */
public record StepOutput(Tensor logits, Tensor qHalt, Carry carry) {}
