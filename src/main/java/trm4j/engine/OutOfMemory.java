package trm4j.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An allocation the machine could not give, told apart from other failures so that it reads as one line, not a trace. */
public final class OutOfMemory {
    private OutOfMemory() {}

    /** libtorch's CPU allocator ("you tried to allocate N bytes") and its CUDA one ("Tried to allocate 2.00 GiB"). */
    private static final Pattern BYTES = Pattern.compile("you tried to allocate (\\d+) bytes"), CUDA = Pattern.compile("Tried to allocate ([0-9.]+ [KMGT]?i?B)");

    /** What ran out, in words ("libtorch could not allocate 2.0 GiB", "the Java heap is full"), or null when e is not a want of memory. */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) return "the Java heap is full (" + t.getMessage() + ")";
            String m = t.getMessage();
            if (m == null) continue;
            Matcher b = BYTES.matcher(m), c = CUDA.matcher(m);
            if (b.find()) return "libtorch could not allocate " + String.format("%.1f GiB", Long.parseLong(b.group(1)) / (double) (1L << 30));
            if (c.find()) return "libtorch could not allocate " + c.group(1) + " on the GPU";
            if (m.contains("DefaultCPUAllocator") || m.contains("CUDA out of memory")) return "libtorch could not allocate what it needed";
        }
        return null;
    }
}
