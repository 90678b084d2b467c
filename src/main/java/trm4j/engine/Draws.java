package trm4j.engine;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Random numbers drawn on the device without a generator's state: draw i under a key is a hash of
 * (key, i), SplitMix64's finaliser computed in int64 tensor ops. The same key and counters give the
 * same numbers on the CPU and on a GPU, on every rank, and after a resume, and a draw reads nothing
 * back. {@link #uniform(long, long)} is the same hash on the host.
 */
public final class Draws {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L, M1 = 0xBF58476D1CE4E5B9L, M2 = 0x94D049BB133111EBL;

    private Draws() {}

    /** A key for one use of the draws (a seed, a purpose and a step), itself hashed so that nearby keys are unrelated. */
    public static long key(long seed, long purpose, long step) {
        return mix(mix(seed ^ purpose * GOLDEN) + step);
    }

    /** Uniform doubles in [0, 1): draws {@code first} .. {@code first + count - 1} under {@code key}, [count] on the device. */
    public static Tensor uniform(Device d, long key, long first, long count) {
        return uniform(key, torch.arange(Torch.scalar(first), Torch.scalar(first + count), Torch.scalar(1L), d.options(ScalarType.Long)));
    }

    /** Uniform doubles in [0, 1): the draws numbered by {@code counters} (int64, on its device) under {@code key}, in its shape. */
    public static Tensor uniform(long key, Tensor counters) {
        Tensor z = counters.mul(Torch.scalar(GOLDEN)).add(Torch.scalar(key));
        z = shiftedXor(z, 30).mul(Torch.scalar(M1));
        z = shiftedXor(z, 27).mul(Torch.scalar(M2));
        z = shiftedXor(z, 31);
        return unsignedShift(z, 11).to(ScalarType.Double).mul(Torch.scalar(0x1.0p-53));
    }

    /** Draw {@code i} under {@code key} on the host: what {@link #uniform(Device, long, long, long)} computes. */
    public static double uniform(long key, long i) {
        return (mix(i * GOLDEN + key) >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * M1;
        z = (z ^ (z >>> 27)) * M2;
        return z ^ (z >>> 31);
    }

    /** z ^ (z >>> k) in int64 ops (libtorch shifts signed integers arithmetically: the sign bits are masked off). */
    private static Tensor shiftedXor(Tensor z, int k) {
        return z.bitwise_xor(unsignedShift(z, k));
    }

    private static Tensor unsignedShift(Tensor z, int k) {
        return z.bitwise_right_shift(Torch.scalar((long) k)).bitwise_and(Torch.scalar(-1L >>> k));
    }
}
