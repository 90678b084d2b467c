package trm4j.api;

import java.util.Map;

/**
 * How to load a model: the precision and device it computes with, the threads a call uses, and
 * field overrides ({@code "heads" -> "4"} for a reference checkpoint whose shapes do not tell it;
 * data fields such as {@code "data.test" -> "1000"} for {@link Model#evaluate}).
 *
 * @param threads libtorch's intra-op threads during each call, the count it found put back after (0: leave it as it is)
 */
public record LoadOptions(Precision precision, String device, int threads, Map<String, String> overrides) {
    public LoadOptions {
        if (precision == null || device == null || overrides == null) throw new InvalidInputException("LoadOptions: precision, device and overrides are required");
        if (threads < 0 || threads > 1024) throw new InvalidInputException("LoadOptions.threads " + threads + ": must be in 0..1024 (0: libtorch's own)");
        overrides = Args.overrides("LoadOptions.overrides", overrides);
    }

    /** AUTO precision on the CPU, libtorch's threads, no overrides. */
    public static LoadOptions defaults() {
        return new LoadOptions(Precision.AUTO, "cpu", 0, Map.of());
    }

    public LoadOptions withPrecision(Precision p) { return new LoadOptions(p, device, threads, overrides); }

    /** {@code cpu}, {@code cuda} or {@code cuda:N} (CUDA needs trm4j's GPU build). */
    public LoadOptions withDevice(String d) { return new LoadOptions(precision, d, threads, overrides); }

    public LoadOptions withThreads(int n) { return new LoadOptions(precision, device, n, overrides); }

    public LoadOptions withOverrides(Map<String, String> o) { return new LoadOptions(precision, device, threads, o); }
}
