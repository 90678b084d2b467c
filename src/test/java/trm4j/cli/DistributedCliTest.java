package trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.metrics.MetricsFile;
import trm4j.metrics.MetricsLine;

/** --nproc: ranks as processes of their own, on c10d over loopback. */
class DistributedCliTest {
    /** `trm4j ARGS` in a JVM of its own, its output in log. */
    private static Process trm4j(Path log, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "trm4j.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        // Under the launcher's 15 s grace: Gloo mostly sees a killed peer at once, but under load it
        // has missed one, and the surviving rank must then say so itself, at its timeout.
        pb.environment().put("TRM4J_DIST_TIMEOUT", "10");
        return pb.start();
    }

    private static int finish(Process p, Path log) throws Exception {
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "still running: " + Files.readString(log));
        return p.exitValue();
    }

    @Test
    void evaluationOnTwoRanksGivesTheResultsAndSubmissionOfOneProcess(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("arc");
        CliTest.Run t = CliTest.run("train", "--preset", "dis-miniarc-cpu", "--out", run.toString(),   // on the sample in the jar
                "--set", "steps=18", "--set", "lr=3e-3", "--set", "batch=8", "--set", "versions=4", "--set", "eval_versions=3",
                "--set", "precision=fp32");
        assertEquals(0, t.status(), t.err());
        String model = run.resolve("model.safetensors").toString();
        CliTest.Run one = CliTest.run("eval", "--checkpoint", model, "--batch", "5", "--out", dir.resolve("one.json").toString(),
                "--submission", dir.resolve("one-submission.json").toString());
        assertEquals(0, one.status(), one.err());
        Path log = dir.resolve("two.log");
        int status = finish(trm4j(log, "eval", "--checkpoint", model, "--batch", "5", "--out", dir.resolve("two.json").toString(),
                "--submission", dir.resolve("two-submission.json").toString(), "--nproc", "2"), log);
        assertEquals(0, status, Files.readString(log));
        assertArrayEquals(Files.readAllBytes(dir.resolve("one-submission.json")), Files.readAllBytes(dir.resolve("two-submission.json")));
        assertEquals(withoutTime(dir.resolve("one.json")), withoutTime(dir.resolve("two.json")));
        assertTrue(Files.readString(log).contains(one.out().lines().filter(l -> l.startsWith("pass@2:")).findFirst().orElseThrow()));
    }

    /** An eval results file without its wall time, the one field two runs may differ in. */
    private static JsonNode withoutTime(Path results) throws Exception {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(results.toFile());
        assertTrue(json.remove("seconds").isNumber(), results.toString());
        return json;
    }

    /**
     * A stop signal on the launcher (SIGTERM here: a test started in the background inherits SIGINT ignored; Ctrl-C takes the
     * same path) stops every rank at a step it can resume from: the signal's status, and no rank reported as failed.
     */
    @Test
    void aStopSignalOnTheLauncherStopsTheRanksAsAsked(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run"), log = dir.resolve("train.log");
        Process launcher = trm4j(log, "train", "--preset", "demo", "--out", run.toString(), "--set", "steps=99996",
                "--set", "checkpoint_every=10", "--nproc", "2");
        Path checkpoint = run.resolve("checkpoint.safetensors");
        for (int i = 0; i < 600 && !Files.exists(checkpoint); i++) Thread.sleep(100);
        assertTrue(Files.exists(checkpoint), Files.readString(log));
        assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(launcher.pid())).start().waitFor());
        int status = finish(launcher, log);
        String out = Files.readString(log);
        assertEquals(143, status, out);
        assertTrue(out.contains("trm4j: SIGTERM: the ranks are asked to stop (SIGTERM) at a step they can resume from"), out);
        assertTrue(out.contains("with a checkpoint in " + run), out);
        assertFalse(out.contains("exited with status"), out);
    }

    @Test
    void aKilledRankEndsTheOtherWithOneLineAndTheRunResumes(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run"), log = dir.resolve("train.log");
        Process launcher = trm4j(log, "train", "--preset", "demo", "--out", run.toString(), "--set", "steps=99996",
                "--set", "checkpoint_every=10", "--set", "precision=fp32", "--nproc", "2");
        Path checkpoint = run.resolve("checkpoint.safetensors");
        for (int i = 0; i < 600 && !Files.exists(checkpoint); i++) Thread.sleep(100);
        assertTrue(Files.exists(checkpoint), Files.readString(log));
        ProcessHandle rank1 = launcher.descendants().filter(h -> rankOf(h) == 1).findFirst().orElseThrow();
        rank1.destroyForcibly();   // SIGKILL
        int status = finish(launcher, log);
        String out = Files.readString(log);
        assertTrue(status != 0, out);
        assertTrue(out.contains("rank 0 of 2: the group failed"), out);
        assertTrue(out.contains("rank 1 exited with status 137 (killed by SIGKILL)"), out);
        assertEquals(0, launcher.descendants().filter(ProcessHandle::isAlive).count(), "no rank outlives its launcher");

        Path resumedLog = dir.resolve("resumed.log");
        int resumed = finish(trm4j(resumedLog, "train", "--resume", "--out", run.toString(), "--set", "steps=60", "--nproc", "2"), resumedLog);
        String again = Files.readString(resumedLog);
        assertEquals(0, resumed, again);
        assertTrue(again.contains("resumed at step"), again);
        // The killed and resumed run trains as one that was never interrupted: the same loss at every logged step.
        Path whole = dir.resolve("whole"), wholeLog = dir.resolve("whole.log");
        assertEquals(0, finish(trm4j(wholeLog, "train", "--preset", "demo", "--out", whole.toString(), "--set", "steps=60",
                "--set", "checkpoint_every=10", "--set", "precision=fp32", "--nproc", "2"), wholeLog), Files.readString(wholeLog));
        assertEquals(losses(whole), losses(run));
    }

    /** step -> loss of a run's training lines. */
    private static Map<Long, Double> losses(Path run) {
        Map<Long, Double> out = new TreeMap<>();
        for (MetricsLine l : MetricsFile.read(run.resolve("metrics.jsonl")))
            if (l instanceof MetricsLine.Training t) assertNull(out.put(t.step(), t.loss()), "step " + t.step() + " logged twice");
        return out;
    }

    /** A process's RANK, from its environment (Linux), or -1. */
    private static int rankOf(ProcessHandle h) {
        try {
            for (String v : Files.readString(Path.of("/proc", String.valueOf(h.pid()), "environ")).split("\0"))
                if (v.startsWith("RANK=")) return Integer.parseInt(v.substring(5));
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
