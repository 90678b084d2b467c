package trm4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import trm4j.config.Presets;

class EvaluationSettingsTest {
    /** Evaluation runs in the training chunk's rows when a preset sets micro_batch, else in 64..256 rows. */
    @ParameterizedTest
    @CsvSource({"dis-arc-compact, , 16", "trm-arc, , 8", "trm-sudoku-mlp, , 64", "demo, , 64",
            "dis-arc-compact, 0, 256", "demo, 300, 300"})
    void evaluationBatchFollowsTheTrainingChunk(String preset, Integer micro, int expected) {
        Map<String, String> set = micro == null ? Map.of() : Map.of("micro_batch", String.valueOf(micro));
        var doc = Presets.load(preset, set);
        var train = Presets.trainOf(doc, preset);
        assertEquals(expected, Evaluation.batchOf(train));
    }}
