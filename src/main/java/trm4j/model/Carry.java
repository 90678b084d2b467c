package trm4j.model;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import trm4j.engine.TensorRecord;

/** The state carried between supervision steps: answer y and latent z, each [B, P+seq, D], detached. */
public record Carry(Tensor y, Tensor z) implements TensorRecord {
    @Override public List<Tensor> tensors() {
        return List.of(y, z);
    }
}
