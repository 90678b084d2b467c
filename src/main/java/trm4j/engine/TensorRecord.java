package trm4j.engine;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

/** A value made of tensors (a carry, a batch's rows, a policy's state): a {@link Holder} keeps them alive together. */
public interface TensorRecord {
    List<Tensor> tensors();
}
