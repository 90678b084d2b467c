package trm4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.config.Json;
import trm4j.config.Presets;

/**
 * The protocol every choice rests on: a run holds out validation puzzles, every evaluation before
 * its last step scores them and nothing else, and the test set is scored once, at the last step.
 */
class TestSetOnceTest {
    @Test
    void everyGeneratedPresetHoldsOutValidationPuzzles() {
        for (String name : Presets.names()) {
            JsonNode data = Presets.load(name, Map.of()).get("data");
            if (!data.get("kind").asText().equals("arc")) assertTrue(data.get("validation").asInt() >= 100, name);
        }
    }

    @Test
    void theTestSetIsScoredOnceAtTheEnd(@TempDir Path dir) throws Exception {
        TrainRun run = TrainRun.prepare(TrainRun.Request.of("demo", dir, Map.of("steps", "18", "eval_every", "6", "data.train", "100",
                "data.test", "20", "data.validation", "20", "batch", "8")), Reporter.SILENT);
        run.run();
        List<JsonNode> evals = Files.readAllLines(dir.resolve("metrics.jsonl")).stream().map(l -> {
            try {
                return Json.MAPPER.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).filter(n -> n.has("eval")).toList();
        assertEquals(List.of(6L, 12L, 18L), evals.stream().map(n -> n.get("step").asLong()).toList());
        for (JsonNode e : evals) {
            assertEquals("validation", e.get("eval").get("split").asText(), "every evaluation scores the validation puzzles");
            assertEquals(20, e.get("eval").get("count").asInt());
            assertEquals(e.get("step").asLong() == 18, e.get("eval").has("test"), "the test set only at the last step: " + e);
        }
        assertEquals(20, evals.get(2).get("eval").get("test").get("count").asInt());
        assertFalse(evals.get(0).toString().contains("\"test\""));
    }
}
