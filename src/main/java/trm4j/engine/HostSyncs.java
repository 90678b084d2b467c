package trm4j.engine;

/**
 * Counts what crosses between the host and the device, per thread (a test counts one training
 * step's): reads of tensors back to the host ({@link Torch#toDoubles}, {@link Torch#toLongs},
 * {@link Torch#item}), each of which waits for the device to finish, and uploads of host data
 * ({@link Device#put}), which on a GPU come from pinned memory and do not wait.
 */
public final class HostSyncs {
    private static final ThreadLocal<long[]> COUNT = ThreadLocal.withInitial(() -> new long[2]);

    private HostSyncs() {}

    static void count() {
        COUNT.get()[0]++;
    }

    static void upload() {
        COUNT.get()[1]++;
    }

    /** The reads so far on this thread. */
    public static long sofar() {
        return COUNT.get()[0];
    }

    /** The uploads so far on this thread. */
    public static long uploads() {
        return COUNT.get()[1];
    }
}
