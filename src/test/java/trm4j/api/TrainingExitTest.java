package trm4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import trm4j.train.TrainState;

/**
 * A JVM that trains through the library and is ended meanwhile, in a JVM of its own
 * ({@link TrainingExitProbe}): it ends with its own exit status, without a crash (no SIGSEGV, no
 * hs_err file: libtorch torn down under a running step crashes the JVM), and the run keeps a
 * checkpoint to resume from, written at the stop (the periodic ones are further away than the run got).
 */
class TrainingExitTest {
    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({"term, 143, 100000", "exit, 3, 100000", "hook, 143, 100000", "exit-in-listener, 4, 6"})
    void theJvmEndsCleanlyAndTheRunKeepsItsCheckpoint(String mode, int status, String checkpointEvery) throws Exception {
        Path run = dir.resolve("run"), log = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"), "-cp", System.getProperty("java.class.path"),
                TrainingExitProbe.class.getName(), run.toString(), mode, checkpointEvery)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long lastStep = 0;
        if (mode.equals("term") || mode.equals("hook")) {
            for (long end = System.nanoTime() + 120_000_000_000L; p.isAlive() && lastStep < 12 && System.nanoTime() < end; Thread.sleep(50))
                lastStep = lastStep(log);
            assertTrue(lastStep >= 12, "it trains: " + Files.readString(log));
            p.destroy();   // SIGTERM
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the JVM ends: " + Files.readString(log));
        String out = Files.readString(log);
        assertEquals(status, p.exitValue(), out);
        assertFalse(out.contains("SIGSEGV") || out.contains("fatal error"), out);
        assertTrue(out.contains("note: train: trm4j sets libtorch's threads as its command line does: "), "the library says it sets the threads: " + out);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList(), "no crash report");
        }
        lastStep = lastStep(log);
        Path checkpoint = run.resolve(TrainState.FILE);
        assertTrue(Files.exists(checkpoint), "a checkpoint to resume from: " + out);
        long saved = TrainState.load(checkpoint).counters().step();
        assertTrue(saved >= (mode.equals("exit-in-listener") ? 18 : lastStep), "checkpoint at step " + saved + ", last logged " + lastStep + ": " + out);
    }

    private static long lastStep(Path log) throws Exception {
        List<String> steps = Files.readAllLines(log).stream().filter(l -> l.matches("step \\d+")).toList();
        return steps.isEmpty() ? 0 : Long.parseLong(steps.get(steps.size() - 1).substring(5));
    }
}
