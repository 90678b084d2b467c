package trm4j.model;

import org.bytedeco.pytorch.Tensor;

import trm4j.engine.Torch;

/** The state carried between supervision steps: answer y and latent z, each [B, P+seq, D], detached. */
public record Carry(Tensor y, Tensor z) implements AutoCloseable {
    /** This carry moved out of the current step's PointerScope, to be closed by its holder. */
    public Carry kept() {
        return new Carry(Torch.keep(y), Torch.keep(z));
    }

    @Override public void close() {
        y.close();
        z.close();
    }
}
