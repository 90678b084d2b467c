package trm4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.UserError;
import trm4j.metrics.MetricsFile;
import trm4j.metrics.MetricsLine;

/**
 * What a report reads from a run folder: the method, from the method object runs write now and from the plain
 * string of older folders; and which split each figure is from.
 */
class RunMetricsTest {
    private static String methodOf(Path dir, String presetJson) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metrics.jsonl"), "");
        Files.writeString(dir.resolve("preset.json"), presetJson);
        return RunMetrics.read(dir).method();
    }

    @Test
    void theMethodIsNamedFromEitherFormOfThePreset(@TempDir Path tmp) throws Exception {
        assertEquals("dis", methodOf(tmp.resolve("new"), "{\"train\": {\"method\": {\"kind\": \"dis\", \"feed\": \"prediction\"}, \"batch\": 64}}"));
        assertEquals("trm", methodOf(tmp.resolve("old"), "{\"train\": {\"method\": \"trm\", \"batch\": 64}}"));
    }

    /** Runs in folders of the same name are told apart by as much of their paths as differs, and drawn; one folder given twice is refused. */
    @Test
    void runsOfTheSameFolderNameAreToldApart(@TempDir Path tmp) throws Exception {
        methodOf(tmp.resolve("exp1/demo"), "{\"train\": {\"method\": \"dis\", \"batch\": 64}}");
        methodOf(tmp.resolve("exp2/demo"), "{\"train\": {\"method\": \"dis\", \"batch\": 64}}");
        methodOf(tmp.resolve("other"), "{\"train\": {\"method\": \"trm\", \"batch\": 64}}");
        for (Path r : List.of(tmp.resolve("exp1/demo"), tmp.resolve("exp2/demo")))
            Files.writeString(r.resolve("metrics.jsonl"), "{\"step\": 6, \"position\": 384, \"loss\": 1.5, \"ce\": 1.5, \"lr\": 0.001, \"calls_grad\": 18, "
                    + "\"calls_nograd\": 0, \"samples\": 64, \"samples_per_s\": 100, \"wall_s\": 1, \"step_acc\": [0.5]}\n");
        List<RunMetrics> runs = RunMetrics.read(List.of(tmp.resolve("exp1/demo"), tmp.resolve("exp2/demo"), tmp.resolve("other")));
        assertEquals(List.of("exp1/demo", "exp2/demo", "other"), runs.stream().map(RunMetrics::name).toList());
        assertTrue(Files.exists(HtmlReport.write(runs, tmp.resolve("report"), List.of())), "charts with a series per run");
        UserError twice = assertThrows(UserError.class, () -> RunMetrics.read(List.of(tmp.resolve("other"), tmp.resolve("exp1/../other"))));
        assertEquals(tmp.resolve("exp1/../other") + ": given twice", twice.getMessage());
    }

    /**
     * A run that holds out validation puzzles: its curves are the validation puzzles' and are captioned so; the
     * table's test accuracy and its per-step curve are the test set's, scored at the last step; nothing mixes them.
     */
    @Test
    void eachFigureSaysWhichSplitItIsFrom(@TempDir Path tmp) throws Exception {
        Path run = Files.createDirectories(tmp.resolve("demo"));
        Files.writeString(run.resolve("preset.json"), "{\"train\": {\"method\": {\"kind\": \"dis\"}, \"batch\": 64}}");
        Files.writeString(run.resolve("metrics.jsonl"), String.join("\n",
                "{\"step\": 6, \"position\": 384, \"loss\": 1.5, \"ce\": 1.5, \"lr\": 0.001, \"calls_grad\": 18, \"calls_nograd\": 0, \"samples\": 64, "
                        + "\"samples_per_s\": 100, \"wall_s\": 1}",
                "{\"step\": 500, \"calls\": 1500, \"wall_s\": 20, \"eval\": {\"split\": \"validation\", \"count\": 200, \"exact_acc\": 0.5, "
                        + "\"token_acc\": 0.9, \"step_acc\": [0.1, 0.5]}}",
                "{\"step\": 1000, \"calls\": 3000, \"wall_s\": 40, \"eval\": {\"split\": \"validation\", \"count\": 200, \"exact_acc\": 0.945, "
                        + "\"token_acc\": 0.99, \"step_acc\": [0.4, 0.945], \"test\": {\"count\": 200, \"exact_acc\": 0.965, \"token_acc\": 0.995, "
                        + "\"step_acc\": [0.5, 0.965]}}}") + "\n");
        RunMetrics r = RunMetrics.read(run);
        assertEquals(0.965, r.finalAccuracy(), 1e-12);
        assertEquals(List.of(0.5, 0.965), r.lastStepCurve(), "the test set's curve, not the validation puzzles' [0.4, 0.945]");
        assertTrue(r.summary(null).contains("test accuracy 0.965, test per step [0.5, 0.965]"), r.summary(null));

        String html = Files.readString(HtmlReport.write(List.of(r), tmp.resolve("report"), List.of()));
        assertTrue(html.contains("<th>test accuracy</th><th>test accuracy after each step</th>"), html);
        assertTrue(html.contains("<td>0.965</td><td>0.50 0.97</td>"), html);
        assertFalse(html.contains("0.945") || html.contains("0.94 "), "no validation figure in the test columns: " + html);
        assertTrue(html.contains("<img src=\"accuracy-step.png\" alt=\"accuracy-step.png\"><figcaption>Validation accuracy during training"), html);
        assertTrue(html.contains("<img src=\"step-curve.png\" alt=\"step-curve.png\"><figcaption>Test accuracy after each supervision step"), html);

        // Without validation puzzles the evaluations score the test set, and say so.
        RunMetrics plain = new RunMetrics("plain", "dis", 64, r.train(), List.of((MetricsLine.Evaluation) MetricsFile.parse(
                "{\"step\": 1000, \"calls\": 3000, \"wall_s\": 40, \"eval\": {\"count\": 200, \"exact_acc\": 0.9, \"token_acc\": 0.99, \"step_acc\": [0.3, 0.9]}}", "t")));
        assertEquals("Test accuracy during training (exact, or pass@2 for ARC)", HtmlReport.curvesTitle(List.of(plain)));
        assertEquals(List.of(0.3, 0.9), plain.lastStepCurve());
        assertTrue(HtmlReport.curvesTitle(List.of(r, plain)).startsWith("Validation accuracy (test accuracy for runs without validation puzzles)"));
    }
}
