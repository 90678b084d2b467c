package trm4j.engine;

import java.util.Locale;

import trm4j.UserError;

/**
 * Which attention a call uses: libtorch's fused kernel or matmul, softmax, matmul (composed). Set
 * with TRM4J_ATTENTION=auto|fused|composed. AUTO picks what measured faster (bench/README.md):
 * <ul>
 * <li>without gradient, fused in fp32 and fp64; in bf16 only with AMX from 512 positions (without
 * AMX it was 20x slower than the composed form, with AMX 2x slower at 32 positions);
 * <li>with gradient, fused in fp32 and fp64 up to 128 positions (the demo's step 15% faster: the
 * composed form's batched matmuls run one BLAS call per head), composed beyond (the fused
 * backward was 6-13x slower at 256-916 positions) and in bf16.
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
    /** Positions up to which the fused fp32/fp64 kernel is the faster one with gradient. */
    static final long FUSED_WITH_GRAD_UP_TO = 128;

    private static volatile Boolean amx;

    /** Whether a call at this precision over {@code seq} positions, with or without gradient, uses the fused kernel on this CPU. */
    public boolean fused(Precision p, long seq, boolean grad) {
        if (amx == null) amx = Cpu.current().oneDnnIsa().equals("avx512_core_amx");   // asked on every attention call
        return fused(p, seq, grad, amx);
    }

    boolean fused(Precision p, long seq, boolean grad, boolean amx) {
        if (this != AUTO) return this == FUSED;
        if (grad) return p != Precision.BF16 && seq <= FUSED_WITH_GRAD_UP_TO;
        return p != Precision.BF16 || (amx && seq >= AMX_FUSED_FROM);
    }
}
