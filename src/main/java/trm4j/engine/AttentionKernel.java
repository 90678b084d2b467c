package trm4j.engine;

import java.util.Locale;

import trm4j.UserError;

/**
 * Which attention the calls without gradient use; calls with gradient always compose matmul and
 * softmax, because the fused CPU backward is slow. Set with TRM4J_ATTENTION=auto|fused|composed.
 * AUTO fuses in fp32 and fp64 but composes in bf16: libtorch's fused bf16 kernel is fast only with
 * oneDNN's AMX kernels. On AVX-512 bf16 without AMX it measured 20x slower than the composed form
 * (bench block 8/916/256, no-grad: 1146 against 56 ms); in fp32 the fused one is faster (162 against
 * 214 ms). On an AMX CPU, compare both with {@code bench block}.
 */
public enum AttentionKernel {
    AUTO, FUSED, COMPOSED;

    private static volatile AttentionKernel current;

    /** The kernel TRM4J_ATTENTION names (AUTO when unset), read once. */
    public static AttentionKernel current() {
        if (current == null) current = parse(System.getenv().getOrDefault("TRM4J_ATTENTION", "auto"));
        return current;
    }

    static AttentionKernel parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("TRM4J_ATTENTION='" + s + "' is not one of auto, fused, composed");
        }
    }

    /** Whether a call without gradient at this precision uses the fused kernel. */
    public boolean fusedWithoutGrad(Precision p) {
        return this == FUSED || (this == AUTO && p != Precision.BF16);
    }
}
