package trm4j.api;

/** The number format a model computes in. */
public enum Precision {
    /** bf16 where the CPU computes it natively and a short probe finds it faster, else fp32; bf16 on CUDA. */
    AUTO,
    /** bf16 matrix products under autocast, fp32 weights. */
    BF16,
    FP32,
    /** The reference for tests: slow. */
    FP64
}
