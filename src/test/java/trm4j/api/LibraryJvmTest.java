package trm4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library in a JVM of its own, started the way a user's program starts: no trm4j launcher, no
 * JavaCPP properties, an empty native cache (where Debian's python3-torch puts another libtorch in
 * the system folders, where a first load that did not extract the whole folder would crash), and a heap fixed and touched up front, so that
 * what resident memory gains is native. Through the API alone it answers as this JVM does, and a
 * thousand calls that keep and close nothing leave native memory flat.
 */
class LibraryJvmTest {
    @TempDir Path dir;

    @Test
    void aProgramOnTheApiAloneLoadsOnAnEmptyCacheAnswersAndLeaksNothing() throws Exception {
        TrainingResult trained = Training.prepare(TrainingSpec.of("demo", dir.resolve("run")).withOverrides(Map.of("steps", "6", "data.train", "100",
                "data.test", "20", "batch", "8")), TrainingListener.NONE).run();
        int[][] board = {{1, 0, 0, 4}, {0, 4, 1, 0}, {4, 0, 0, 1}, {0, 1, 4, 0}};
        String here;
        try (Model m = Model.load(trained.model())) {
            here = Arrays.deepToString(m.solve(board).answer());
        }
        Path cache = Files.createDirectories(dir.resolve("empty-cache"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"),
                "-Dorg.bytedeco.javacpp.cachedir=" + cache, ApiProbe.class.getName(), trained.model().toString())).redirectErrorStream(true);
        for (String v : List.of("OPENBLAS_NUM_THREADS", "OPENBLAS_THREAD_TIMEOUT", "GOMP_SPINCOUNT", "TRM4J_THREADS", "LD_PRELOAD")) pb.environment().remove(v);
        // Minutes on a busy machine, most of them unpacking libtorch into the empty cache: said, and the child's lines passed on as they come.
        System.out.println("[LibraryJvmTest] a JVM of its own unpacks libtorch into an empty native cache, then answers 2,000 boards (about a minute on 2 busy cores)");
        long t0 = System.nanoTime();
        Process p = pb.start();
        StringBuilder lines = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.append(line).append('\n');
                if (line.startsWith("loaded") || line.startsWith("answer") || line.startsWith("rss"))   // the probe's own lines (its warnings are checked below)
                    System.out.printf("[LibraryJvmTest] after %.0f s: %s%n", (System.nanoTime() - t0) / 1e9, line);
            }
        }
        String out = lines.toString();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("answer: " + here), "the same answer as in this JVM: " + out);
        try (var files = Files.walk(cache)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("libtorch_cpu")), "the natives went to the empty cache");
        }
        String[] rss = out.lines().filter(l -> l.startsWith("rss: ")).findFirst().orElseThrow().substring(5).split(" ");
        long grown = Long.parseLong(rss[1]) - Long.parseLong(rss[0]);
        assertTrue(grown < 10L << 20, "resident memory grew by " + grown / 1024 + " KB over 1,000 calls: " + out);
        assertTrue(out.contains("fp32 matrix products run on one OpenBLAS thread"), "the library names what the environment lacks: " + out);
    }
}
