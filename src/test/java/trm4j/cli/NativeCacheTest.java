package trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first launch on an empty native cache, where another libtorch is installed (ENGINE.md: loaded
 * library by library, the dynamic linker would take the system's and the JVM would die). Launches a fresh JVM on an empty cache directory and runs real tensor work.
 */
class NativeCacheTest {
    @TempDir Path cache;

    @Test
    void firstLaunchOnAnEmptyNativeCacheWorks() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.bytedeco.javacpp.cachedir=" + cache,
                "trm4j.cli.Main", "bench", "block", "--batch", "1", "--seq", "8", "--hidden", "32", "--heads", "2",
                "--warmup", "0", "--iters", "1");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("fwd+bwd  median"), out);
        try (var files = Files.walk(cache)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("libtorch_cpu.so")), "natives went to the fresh cache");
        }
    }
}
