package trm4j.engine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An allocation the machine could not give, told apart from other failures so that it reads as one line, not a trace. */
public final class OutOfMemory {
    private OutOfMemory() {}

    /** libtorch's CPU allocator ("you tried to allocate N bytes") and its CUDA one ("Tried to allocate 2.00 GiB"). */
    private static final Pattern BYTES = Pattern.compile("you tried to allocate (\\d+) bytes"), CUDA = Pattern.compile("Tried to allocate ([0-9.]+ [KMGT]?i?B)");

    /**
     * What ran out, in words ("libtorch could not allocate 2.0 GiB", "the Java heap is full"), or null when e is not a want of
     * memory.
     */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof OutOfMemoryError)
                return m != null && (m.equals("Java heap space") || m.startsWith("GC overhead"))
                        ? "the Java heap is full (a larger one: TRM4J_JAVA_OPTS=-Xmx...)" : "Java could not allocate memory (" + m + ")";
            if (m == null) continue;
            Matcher b = BYTES.matcher(m), c = CUDA.matcher(m);
            if (b.find()) return "libtorch could not allocate " + size(Long.parseLong(b.group(1)));
            if (c.find()) return "libtorch could not allocate " + c.group(1) + " on the GPU";
            if (m.contains("DefaultCPUAllocator") || m.contains("CUDA out of memory")) return "libtorch could not allocate what it needed";
        }
        return null;
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
