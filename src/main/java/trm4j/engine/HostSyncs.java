package trm4j.engine;

/**
 * Counts the reads of tensors back to the host ({@link Torch#toDoubles}, {@link Torch#toLongs},
 * {@link Torch#item}): on a GPU each one waits for the device to finish. Per thread, so that a
 * test can count the syncs of one training step.
 */
public final class HostSyncs {
    private static final ThreadLocal<long[]> COUNT = ThreadLocal.withInitial(() -> new long[1]);

    private HostSyncs() {}

    static void count() {
        COUNT.get()[0]++;
    }

    /** The reads so far on this thread. */
    public static long sofar() {
        return COUNT.get()[0];
    }
}
