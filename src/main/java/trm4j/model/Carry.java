package trm4j.model;

import org.bytedeco.pytorch.Tensor;

import trm4j.engine.Scope;

/** The state carried between supervision steps: answer y and latent z, each [B, P+seq, D], detached. */
public record Carry(Tensor y, Tensor z) implements AutoCloseable {
    /** This carry taken out of the current step's scope, to be closed by its holder. */
    public Carry kept() {
        return new Carry(Scope.own(y), Scope.own(z));
    }

    @Override public void close() {
        y.close();
        z.close();
    }
}
