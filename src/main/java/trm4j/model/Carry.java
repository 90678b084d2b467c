package trm4j.model;

import org.bytedeco.pytorch.Tensor;

/** The state carried between supervision steps: answer y and latent z, each [B, P+seq, D], detached. */
public record Carry(Tensor y, Tensor z) {}
