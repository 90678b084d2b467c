package trm4j.model;

import org.bytedeco.pytorch.Tensor;

import trm4j.config.ModelConfig;
import trm4j.engine.Device;
import trm4j.engine.Precision;

/**
 * What the supervision loop and inference ask of a network: {@link Network} is the real one;
 * tests stand in a recording one to check what each step is fed.
 */
public interface RecursiveModel {
    ModelConfig config();

    Precision precision();

    /** Where its tensors live; everything fed to it is put there. */
    Device device();

    /** The fixed initial carry (y0, z0) broadcast to a batch. */
    Carry initialCarry(long batch);

    /** The rows of the puzzle table for a batch of ids [B], as a tensor of their own (a leaf). */
    Tensor puzzleRows(Tensor ids);

    /**
     * One supervision step from the carry (docs/METHOD.md section 3) on the input tokens [B, seq], the
     * puzzle rows [B, width] and, for a model with a step embedding, the DIS step indices [B].
     */
    StepOutput step(Carry carry, Tensor tokens, Tensor puzzleRows, Tensor stepIds);

    /** The logits of an answer state y: lm_head with the prefix dropped, [B, seq, vocab]. */
    Tensor lmHead(Tensor y);
}
