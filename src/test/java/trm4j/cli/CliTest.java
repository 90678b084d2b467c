package trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import trm4j.config.Presets;
import trm4j.run.RunSetup;

/** The command line as a user meets it: outputs, exit codes, one-line errors. */
class CliTest {
    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = Main.run(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @ParameterizedTest
    @CsvSource({"trm-arc, 6829058", "dis-arc-compact, 860674", "trm-sudoku-mlp, 5028866"})
    void infoPrintsThePublishedParameterCounts(String preset, long expected) {
        Run r = run("info", "--preset", preset);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\nparameters: " + expected + "\n"), r.out());
    }

    @Test
    void everyPresetLoadsAndEveryCommandHasHelp() {
        for (String p : run("info", "--list").out().trim().split("\n")) assertEquals(0, run("info", "--preset", p).status(), p);
        for (String[] cmd : new String[][] {{"--help"}, {"info", "--help"}, {"bench", "--help"}, {"bench", "block", "--help"}}) {
            Run r = run(cmd);
            assertEquals(0, r.status(), String.join(" ", cmd));
            assertTrue(r.out().startsWith("Usage: trm4j"), r.out());
        }
    }

    /** info shows a preset's three sections, so that users can see what a run will train on and how. */
    @Test
    void infoShowsTheDataAndTrainSectionsToo() {
        Run r = run("info", "--preset", "demo");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\ndata:\n") && r.out().contains("  kind: \"sudoku\"") && r.out().contains("\ntrain:\n")
                && r.out().contains("  precision: \"auto\""), r.out());
    }

    /** convert writes a trm4j safetensors file from a torch.save checkpoint; a pickle naming code is one line. */
    @Test
    void convertTurnsATorchSaveCheckpointIntoSafetensors(@TempDir Path dir) {
        String fixtures = "src/test/resources/trm4j/torchsave/";
        String out = dir.resolve("trm.safetensors").toString();
        Run c = run("convert", fixtures + "trm_fp32.pt", "--out", out, "--set", "heads=4");
        assertEquals(0, c.status(), c.err());
        Run i = run("info", "--checkpoint", out);
        assertEquals(0, i.status(), i.err());
        assertTrue(i.out().contains("\nparameters: 13730\n") && i.out().contains("  heads: 4\n"), i.out());
        Run evil = run("convert", fixtures + "evil.pt", "--out", dir.resolve("evil.safetensors").toString());
        assertEquals(2, evil.status());
        assertTrue(evil.err().contains("it names posix.system, which is refused"), evil.err());
        assertEquals(1, evil.err().trim().split("\n").length, evil.err());
        assertTrue(Files.notExists(dir.resolve("evil.safetensors")));
    }

    /** epochs, as the references count them, set the optimiser steps from the data: ceil(epochs x epoch / batch). */
    @Test
    void epochsDeriveTheSteps() {
        RunSetup run = RunSetup.of(Presets.load("demo", Map.of("epochs", "3")), "test", null);
        assertEquals(2000, run.data().train().epochSize());
        assertEquals((3 * 2000 + 63) / 64, run.train().steps());
        assertEquals(6000, RunSetup.of(Presets.load("demo", Map.of()), "test", null).train().steps(), "epochs 0: steps as set");
    }

    @Test
    void overridesChangeTheCount() {
        Run r = run("info", "--preset", "dis-arc-compact", "--set", "layers=2");
        assertTrue(r.out().contains("parameters: " + (860674 + 851968)), r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "info --preset nope | unknown preset 'nope'",
            "info --preset trm-arc --set heads=7 | model.heads: must divide hidden_size 512",
            "info --preset trm-arc --set T=x | --set T=x: expected a whole number",
            "info --preset trm-arc --set T=1.5 | --set T=1.5: expected a whole number",
            "info --preset demo --set batch=0 | train.batch: must be at least 1",
            "info --preset demo --set lr=-1 | train.lr -1.0: must be at least 0 (0 freezes the weights)",
            "info --preset demo --set precision=fp16 | train.precision: 'fp16' is not one of auto, bf16, fp32, fp64",
            "info --preset dis-miniarc-cpu --set canvas=0 | data.canvas 0: must be between 1 and 30",
            "eval --checkpoint /no/such.safetensors --pass 0 | --pass 0: k must be at least 1",
            "eval --checkpoint /no/such.safetensors --precision fp16 | --precision: unknown precision 'fp16'",
            "eval --checkpoint /no/such.safetensors --submission /tmp | --submission /tmp: is a folder; give a file name",
            "eval --checkpoint /no/such.safetensors --out /tmp | --out /tmp: is a folder; give a file name",
            "solve /no/tasks --checkpoint /no/such.safetensors --out /tmp | --out /tmp: is a folder; give a file name",
            "train --preset demo --out /etc/passwd | --out /etc/passwd: is a file; give a folder",
            "train --preset demo --out /etc/passwd/run | --out /etc/passwd/run: /etc/passwd is a file, not a folder",
            "report /no/run --out /etc/passwd | --out /etc/passwd: is a file; give a folder",
            "data generate sudoku --count 1 --out /tmp | --out /tmp: is a folder; give a file name",
            "data generate sudoku --count 20000000 --out /tmp/never.bin | --count must be in 1..10000000",
            "info --checkpoint /tmp | /tmp: a folder without model.safetensors (not a run folder, or its run has not reached a checkpoint yet)",
            "info --preset /no/such.json | /no/such.json: no such preset file",
            "data show /no/task.json --png /tmp | --png /tmp: is a folder; give a file name",
            "info --preset trm-arc --set colour=3 | --set colour: preset trm-arc has no such field",
            "info --frobnicate | Unknown option: '--frobnicate'",
            "info --checkpoint /no/such.safetensors | /no/such.safetensors: no such file",
            "bench block --dtype fp8 | --dtype: unknown precision 'fp8'",
            "info --preset demo --set device=gpu | train.device: 'gpu' is not a device (cpu, cuda or cuda:N)",
            "eval --checkpoint /no/such.safetensors --device cuda | --device: 'cuda' needs a CUDA GPU and the GPU build of libtorch; this process has the CPU build",
            "solve /no/tasks --checkpoint /no/such.safetensors --out /tmp/x.json --device cuda:1 | --device: 'cuda:1' needs a CUDA GPU"})
    void userMistakesGiveOneLineAndStatus2(String args, String message) {
        Run r = run(args.trim().split(" "));
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().trim().split("\n").length, "one line: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
