package trm4j.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A program that uses trm4j through its API alone, as a library user's would: it loads a model,
 * solves a board, then solves it a thousand times more, keeping and closing nothing, and prints
 * the answer and its resident memory before and after. {@link LibraryJvmTest} runs it in a JVM of
 * its own.
 */
public final class ApiProbe {
    public static void main(String[] args) throws Exception {
        int[][] board = {{1, 0, 0, 4}, {0, 4, 1, 0}, {4, 0, 0, 1}, {0, 1, 4, 0}};
        long t0 = System.nanoTime();
        // One thread per call: what is measured is memory over the calls, and on a busy machine libtorch's own count (every
        // core) waits at each parallel region for cores other processes hold (a 4x4 board took 0.4 s instead of 0.04 s).
        try (Model model = Model.load(Path.of(args[0]), LoadOptions.defaults().withThreads(1))) {
            System.out.printf("loaded in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            System.out.println("answer: " + Arrays.deepToString(model.solve(board).answer()));
            for (int i = 0; i < 1000; i++) model.solve(board);   // warm: the JIT, the allocator and its pools settle
            long before = rss();
            for (int i = 0; i < 1000; i++) model.solve(board);
            System.out.println("rss: " + before + " " + rss());
        }
    }

    private static long rss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status")))
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        return -1;
    }
}
