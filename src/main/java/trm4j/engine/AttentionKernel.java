package trm4j.engine;

import java.util.Locale;

import trm4j.UserError;

/**
 * Which attention a call uses: libtorch's fused kernel or matmul, softmax, matmul (composed). Set
 * with TRM4J_ATTENTION=auto|fused|composed. AUTO picks what measured faster (bench/README.md):
 * <ul>
 * <li>on CUDA, fused in every precision, with and without gradient: scaled_dot_product_attention
 * then runs its flash or memory-efficient kernel, which keeps no S x S probabilities;
 * <li>without gradient, fused in fp32 and fp64; in bf16 only with AMX from 512 positions (without
 * AMX it was 20x slower than the composed form, with AMX 2x slower at 32 positions);
 * <li>with gradient, fused in fp32 and fp64: as fast as composing from 256 to 512 positions,
 * 1.17x faster at 916, and it keeps no S x S probabilities for backward. Its backward runs with
 * OpenBLAS on one thread ({@link Threads#serialBlasInBackward}); with OpenBLAS's threads nested
 * in OpenMP's, a block's forward and backward had been 3.6x slower. In bf16, composed.
 * </ul>
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

    /** Positions from which AMX makes the fused bf16 kernel the faster one without gradient. */
    static final long AMX_FUSED_FROM = 512;

    private static volatile Boolean amx;

    /** Whether a call on this device at this precision over {@code seq} positions, with or without gradient, uses the fused kernel. */
    public boolean fused(Device d, Precision p, long seq, boolean grad) {
        if (this != AUTO) return this == FUSED;
        if (d.isCuda()) return true;
        if (amx == null) amx = Cpu.current().oneDnnIsa().equals("avx512_core_amx");   // asked on every attention call
        return fused(p, seq, grad, amx);
    }

    /** AUTO's choice on a CPU, with or without AMX. */
    boolean fused(Precision p, long seq, boolean grad, boolean amx) {
        if (grad) return p != Precision.BF16;
        return p != Precision.BF16 || (amx && seq >= AMX_FUSED_FROM);
    }
}
