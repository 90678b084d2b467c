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

    /** Parses bf16, fp32, fp64 (also float32, float64, double), case-insensitively; "auto" is {@link PrecisionChoice}'s. */
    public static Precision parse(String s) {
        switch (s.toLowerCase()) {
            case "bf16": case "bfloat16": return BF16;
            case "fp32": case "float32": case "float": return FP32;
            case "fp64": case "float64": case "double": return FP64;
            default: throw new trm4j.UserError("unknown precision '" + s + "' (expected auto, bf16, fp32 or fp64)");
        }
    }

    /** Opens the autocast region this precision needs (a no-op for FP32 and FP64). */
    public Autocast enter() {
        return autocast ? Autocast.bf16() : Autocast.none();
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
