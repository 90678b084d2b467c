package trm4j.engine;

import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * How the network computes. BF16 keeps fp32 master weights and runs the matmuls in bf16 under
 * autocast (only fast where the CPU has native bf16: see {@link PrecisionChoice}); FP32 and FP64
 * are the references that tests compare with.
 */
public enum Precision {
    BF16(ScalarType.Float, ScalarType.BFloat16, true),
    FP32(ScalarType.Float, ScalarType.Float, false),
    FP64(ScalarType.Double, ScalarType.Double, false);

    /** Type of the weights (and of everything the optimiser sees). */
    public final ScalarType weights;
    /** Type of the hidden states y, z and of the activations. */
    public final ScalarType activations;
    public final boolean autocast;

    Precision(ScalarType weights, ScalarType activations, boolean autocast) {
        this.weights = weights;
        this.activations = activations;
        this.autocast = autocast;
    }

    /** Opens the autocast region this precision needs on a device (a no-op for FP32 and FP64). */
    public Autocast enter(Device d) {
        return autocast ? Autocast.bf16(d) : Autocast.none();
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
