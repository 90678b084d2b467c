package trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.UserError;
import trm4j.metrics.MetricsFile;
import trm4j.metrics.MetricsLine;
import trm4j.train.RunLock;

/** One writer per run folder: a second JVM on the folder is refused naming the first; a killed holder leaves no lock. */
class RunLockTest {
    @Test
    void aSecondRunOfAFolderIsRefusedAndAKilledOneLeavesNoLock(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "trm4j.cli.Main", "train", "--preset", "demo", "--out", run.toString(), "--set", "steps=99996", "--set", "test=8",
                "--set", "validation=8", "--set", "eval_every=0", "--set", "checkpoint_every=6", "--set", "log_every=6")
                .redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
        try {
            Path metrics = run.resolve("metrics.jsonl");
            long deadline = System.currentTimeMillis() + 120_000;
            while (!(Files.exists(run.resolve("checkpoint.safetensors")) && Files.exists(metrics) && Files.size(metrics) > 0)) {
                assertTrue(first.isAlive() && System.currentTimeMillis() < deadline, "the first run did not start: " + Files.readString(dir.resolve("first.log")));
                Thread.sleep(100);
            }
            for (String[] second : new String[][] {{"train", "--resume", "--out", run.toString()},
                    {"train", "--preset", "demo", "--force", "--out", run.toString()}}) {
                CliTest.Run r = CliTest.run(second);
                assertEquals(2, r.status(), r.err());
                assertEquals("trm4j: " + run + " is in use by another trm4j run (pid " + first.pid()
                        + "): wait for it to end, stop it, or choose another folder", r.err().trim());
            }
            assertTrue(Files.exists(run.resolve("checkpoint.safetensors")), "--force on a folder in use deletes nothing");
        } finally {
            first.destroyForcibly();   // SIGKILL: no shutdown hook runs, the lock goes with the process
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.exists(run.resolve(RunLock.FILE)));
        CliTest.Run resumed = CliTest.run("train", "--resume", "--out", run.toString(), "--set", "steps=24");
        assertFalse(resumed.err().contains("in use"), resumed.err());
        // The killed run's lines and the resumed run's follow on exactly: every step once, in order.
        long last = -1;
        for (MetricsLine l : MetricsFile.read(run.resolve("metrics.jsonl")))
            if (l instanceof MetricsLine.Training t) {
                assertTrue(t.step() > last, "step " + t.step() + " after " + last);
                last = t.step();
            }
        List<String> temporaries = Files.list(run).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        assertEquals(List.of(), temporaries, "no temporary file of a killed write is left after a resume");
    }

    /** A second taking of a folder in the process that holds it is refused, and the holder keeps its lock against other processes. */
    @Test
    void aRefusalInTheHoldingProcessKeepsItsLock(@TempDir Path run) throws Exception {
        try (RunLock held = RunLock.acquire(run)) {
            String pid = "pid " + ProcessHandle.current().pid();
            UserError again = assertThrows(UserError.class, () -> RunLock.acquire(run.resolve(".")));
            assertEquals(run.resolve(".") + " is in use by another trm4j run (this process, " + pid + "): wait for it to end, stop it, or choose another folder",
                    again.getMessage());
            Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                    "trm4j.cli.Main", "train", "--resume", "--out", run.toString()).redirectErrorStream(true).start();
            String[] lines = new String(other.getInputStream().readAllBytes()).trim().split("\n");
            String said = lines[lines.length - 1];   // after the natives' warnings
            assertTrue(other.waitFor(60, TimeUnit.SECONDS));
            assertEquals("trm4j: " + run + " is in use by another trm4j run (" + pid + "): wait for it to end, stop it, or choose another folder", said);
        }
        RunLock.acquire(run).close();   // let go, it is free again
    }
}
