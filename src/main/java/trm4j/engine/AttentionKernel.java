package trm4j.engine;

import java.util.Locale;

import trm4j.UserError;

/**
 * Which attention the calls without gradient use; calls with gradient always compose matmul and
 * softmax, because the fused CPU backward is slow. Set with TRM4J_ATTENTION=auto|fused|composed.
 * AUTO fuses in fp32 and fp64. In bf16 libtorch's fused kernel is fast only with AMX, and there
 * only on long sequences: without AMX it was 20x slower than the composed form; with AMX it was
 * 2x slower at 32 positions, even at 97, slower at 256 and faster from 512 (bench/README.md).
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

    /** Positions from which AMX makes the fused bf16 kernel the faster one. */
    static final long AMX_FUSED_FROM = 512;

    private static volatile Boolean amx;

    /** Whether a call without gradient at this precision over {@code seq} positions uses the fused kernel on this CPU. */
    public boolean fusedWithoutGrad(Precision p, long seq) {
        if (amx == null) amx = Cpu.current().oneDnnIsa().equals("avx512_core_amx");   // asked on every attention call
        return fusedWithoutGrad(p, seq, amx);
    }

    boolean fusedWithoutGrad(Precision p, long seq, boolean amx) {
        if (this != AUTO) return this == FUSED;
        return p != Precision.BF16 || (amx && seq >= AMX_FUSED_FROM);
    }
}
