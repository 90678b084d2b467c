package trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

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

    /** Evaluation runs in the training chunk's rows when a preset sets micro_batch, else in 64..256 rows. */
    @ParameterizedTest
    @CsvSource({"dis-arc-compact, , 16", "trm-arc, , 8", "trm-sudoku-mlp, , 64", "demo, , 64",
            "dis-arc-compact, 0, 256", "demo, 300, 300"})
    void evaluationBatchFollowsTheTrainingChunk(String preset, Integer micro, int expected) {
        java.util.Map<String, String> set = micro == null ? java.util.Map.of() : java.util.Map.of("micro_batch", String.valueOf(micro));
        var doc = trm4j.model.Presets.load(preset, set);
        var train = trm4j.model.Presets.section(doc, "train", trm4j.train.TrainConfig.class, preset);
        assertEquals(expected, TrainCommand.evalBatch(train));
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
            "info --preset trm-arc --set T=x | --set T=x: expected a number",
            "info --preset trm-arc --set colour=3 | --set colour: preset trm-arc has no such field",
            "info --frobnicate | Unknown option: '--frobnicate'",
            "info --checkpoint /no/such.safetensors | /no/such.safetensors: no such file",
            "bench block --dtype fp8 | --dtype: unknown precision 'fp8'"})
    void userMistakesGiveOneLineAndStatus2(String args, String message) {
        Run r = run(args.trim().split(" "));
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().trim().split("\n").length, "one line: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
