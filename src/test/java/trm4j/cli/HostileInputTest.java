package trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.api.FileException;
import trm4j.api.InvalidInputException;
import trm4j.api.Model;
import trm4j.checkpoint.Checkpoint;
import trm4j.checkpoint.Safetensors;
import trm4j.config.Json;
import trm4j.hostile.Corpus;
import trm4j.train.TrainState;

/**
 * Every crafted file of the hostile corpus through the commands that read checkpoints and data:
 * exit status 2, one line naming the file, no stack trace, and no memory the file asks for.
 */
class HostileInputTest {
    /** The most resident memory a refusal may add: far below what any crafted file asks for (200 MB to 256 GB). */
    private static final long MAX_GROWTH = 150L << 20;

    @Test
    void everyCraftedFileIsRefusedInOneLineWithoutAllocatingWhatItAsks(@TempDir Path dir) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Corpus.Case c : Corpus.all()) {
            Path f = dir.resolve(c.name());
            Files.write(f, c.bytes());
            List<String[]> commands = c.name().endsWith(".trm4jset")
                    ? List.<String[]>of(new String[] {"train", "--preset", "demo", "--out", dir.resolve("run-" + c.name()).toString(),
                            "--train-file", f.toString(), "--test-file", f.toString(), "--set", "validation=0"})
                    : List.of(new String[] {"info", "--checkpoint", f.toString()}, new String[] {"eval", "--checkpoint", f.toString()},
                            new String[] {"train", "--preset", "demo", "--out", dir.resolve("run-" + c.name()).toString(), "--init", f.toString()});
            for (String[] cmd : commands) {
                Refusal r = refusal(cmd);
                String what = c.name() + " (" + c.tries() + ") through " + cmd[0] + ": ";
                if (r.run.status() != 2) failures.add(what + "exit " + r.run.status() + ", " + r.run.err());
                else if (r.run.err().lines().count() != 1 || !r.run.err().startsWith("trm4j: ")) failures.add(what + "not one line: " + r.run.err());
                else if (!r.run.err().contains(c.name())) failures.add(what + "does not name the file: " + r.run.err());
                if (r.growth > MAX_GROWTH) failures.add(what + "resident memory grew " + (r.growth >> 20) + " MB");
            }
            // A refused --init writes nothing, not even the folder: it can take the run once the file is fixed.
            Path run = dir.resolve("run-" + c.name());
            assertFalse(Files.exists(run), c.name() + ": a refused run left its folder " + run);
        }
        assertEquals(List.of(), failures);
    }

    /** The library's loader: every crafted model file is a typed exception of one line naming the file, never libtorch's own. */
    @Test
    void modelLoadRefusesEveryCraftedFileWithATypedOneLineError(@TempDir Path dir) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Corpus.Case c : Corpus.all()) {
            if (c.name().endsWith(".trm4jset")) continue;
            Path f = dir.resolve(c.name());
            Files.write(f, c.bytes());
            try (Model m = Model.load(f)) {
                failures.add(c.name() + ": loaded");
            } catch (FileException | InvalidInputException e) {
                if (e.getMessage().lines().count() != 1 || !e.getMessage().contains(c.name()) || e.getMessage().contains("frame #"))
                    failures.add(c.name() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                failures.add(c.name() + " (" + c.tries() + "): " + e.getClass().getName() + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheTensors(@TempDir Path dir) throws Exception {
        Path model = trainedDemo(dir);
        Safetensors.Contents c = Safetensors.read(model);
        Map<String, Tensor> t = new LinkedHashMap<>(c.tensors());
        String name = t.keySet().stream().filter(k -> k.contains("q_proj") || k.contains("qkv")).findFirst().orElseThrow();
        t.get(name).fill_(new Scalar(Double.NaN));
        Path spoiled = dir.resolve("nan.safetensors");
        Safetensors.write(spoiled, t, c.metadata());
        for (String[] cmd : new String[][] {{"eval", "--checkpoint", spoiled.toString()}, {"info", "--checkpoint", spoiled.toString()}}) {
            CliTest.Run r = CliTest.run(cmd);
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().contains(name) && r.err().contains("NaN or infinite"), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
    }

    @Test
    void aTrainingCheckpointWithNegativeCountersOrAMissingMomentDoesNotResume(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        trainedDemo(run);
        Path state = run.resolve(TrainState.FILE);
        Safetensors.Contents c = Safetensors.read(state);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        var counters = (ObjectNode) Json.MAPPER.readTree(meta.get(Checkpoint.COUNTERS_KEY));
        counters.put("position", -1);
        meta.put(Checkpoint.COUNTERS_KEY, counters.toString());
        Safetensors.write(state, c.tensors(), meta);
        CliTest.Run negative = CliTest.run("train", "--resume", "--out", run.toString());
        assertEquals(2, negative.status(), negative.err());
        assertTrue(negative.err().contains(state.toString()) && negative.err().contains("counters are negative"), negative.err());
        counters.put("position", "far");
        meta.put(Checkpoint.COUNTERS_KEY, counters.toString());
        Safetensors.write(state, c.tensors(), meta);
        CliTest.Run notNumber = CliTest.run("train", "--resume", "--out", run.toString());
        assertEquals(2, notNumber.status(), notNumber.err());
        assertTrue(notNumber.err().contains(state + ": metadata trm4j.counters is not valid: "), notNumber.err());

        Map<String, Tensor> t = new LinkedHashMap<>(c.tensors());
        String moment = t.keySet().stream().filter(k -> k.startsWith("adam.m.")).findFirst().orElseThrow();
        t.remove(moment);
        Safetensors.write(state, t, c.metadata());
        CliTest.Run missing = CliTest.run("train", "--resume", "--out", run.toString());
        assertEquals(2, missing.status(), missing.err());
        assertTrue(missing.err().contains(state.toString()) && missing.err().contains("no optimiser moment " + moment), missing.err());
    }

    @Test
    void aFifoGivenAsACheckpointIsRefusedInsteadOfBlocking(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe.safetensors");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            made = false;
        }
        assumeTrue(made, "mkfifo is not available here");
        CliTest.Run r = CliTest.run("info", "--checkpoint", fifo.toString());
        assertEquals(2, r.status(), r.err());
        assertEquals("trm4j: " + fifo + ": not a regular file", r.err().trim());
    }

    /** A 12-step demo run; returns its model. */
    private static Path trainedDemo(Path dir) {
        CliTest.Run r = CliTest.run("train", "--preset", "demo", "--out", dir.toString(), "--set", "steps=12", "--set", "test=8",
                "--set", "validation=8", "--set", "eval_every=0", "--set", "checkpoint_every=12");
        assertEquals(0, r.status(), r.err());
        return dir.resolve("model.safetensors");
    }

    private record Refusal(CliTest.Run run, long growth) {}

    /** Runs a command in this JVM, sampling its resident memory every 2 ms; the growth is the peak over the start. */
    private static Refusal refusal(String[] cmd) throws InterruptedException {
        System.gc();
        long before = rss();
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(rss(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        CliTest.Run r = CliTest.run(cmd);
        done.set(true);
        sampler.join();
        return new Refusal(r, peak.get() - before);
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }
}
