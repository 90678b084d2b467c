package trm4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.config.DataConfig;
import trm4j.config.Json;
import trm4j.config.Presets;
import trm4j.data.ArcEvalSet;
import trm4j.data.ArcTask;
import trm4j.data.Datasets;

/**
 * The protocol every choice rests on: a run holds out validation puzzles (ARC: tasks), every
 * evaluation before its last step scores them and nothing else, and the test set is scored once,
 * at the last step.
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
        List<JsonNode> evals = evaluations(dir);
        assertEquals(List.of(6L, 12L, 18L), evals.stream().map(n -> n.get("step").asLong()).toList());
        for (JsonNode e : evals) {
            assertEquals("validation", e.get("eval").get("split").asText(), "every evaluation scores the validation puzzles");
            assertEquals(20, e.get("eval").get("count").asInt());
            assertEquals(e.get("step").asLong() == 18, e.get("eval").has("test"), "the test set only at the last step: " + e);
        }
        assertEquals(20, evals.get(2).get("eval").get("test").get("count").asInt());
        assertFalse(evals.get(0).toString().contains("\"test\""));
    }

    /** 40 one-row tasks whose pairs are all different grids, written where the 1d-arc set is read from. */
    private static Path oneDimensionalTasks(Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("1d-arc/dataset"));
        for (int k = 0; k < 40; k++) {
            StringBuilder pairs = new StringBuilder();
            for (int j = 0; j < 4; j++) {   // 3 demonstrations and the test pair: colours k / 9, k % 9, j
                String in = "[[" + (k / 9 + 1) + ", " + (k % 9 + 1) + ", " + (j + 1) + ", 0]]", out = "[[0, " + (j + 1) + ", " + (k % 9 + 1) + ", " + (k / 9 + 1) + "]]";
                pairs.append(j == 3 ? "], \"test\": [" : j > 0 ? ", " : "").append("{\"input\": ").append(in).append(", \"output\": ").append(out).append("}");
            }
            Files.writeString(dir.resolve("task" + k + ".json"), "{\"train\": [" + pairs + "]}");
        }
        return root;
    }

    private static DataConfig.Arc oneD(Path root, double validation) {
        return new DataConfig.Arc("1d-arc", root.toString(), 4, 2, 2, 30, 0.25, validation, 3);
    }

    private static Set<String> ids(ArcEvalSet set) {
        Set<String> out = new HashSet<>();
        for (int t : set.heldOut()) out.add(set.tasks().get(t).id());
        return out;
    }

    /** ARC validation tasks: drawn among the tasks trained with their test pairs, which they then keep apart; the test tasks stay as they were. */
    @Test
    void arcValidationTasksAreApartFromTheTestTasksAndTheirTestPairsAreNotTrainedOn(@TempDir Path dir) throws Exception {
        Path root = oneDimensionalTasks(dir);
        Datasets.Data without = Datasets.load(oneD(root, 0)), with = Datasets.load(oneD(root, 0.2));
        assertEquals(ids(without.arc()), ids(with.arc()), "the validation draw leaves the test tasks as they were");
        assertEquals(10, ids(with.arc()).size());
        assertEquals(null, without.arcValidation());
        Set<String> validation = ids(with.arcValidation());
        assertEquals(6, validation.size(), "a fifth of the 30 tasks trained with their test pairs");
        for (String id : validation) assertFalse(ids(with.arc()).contains(id), id + " is both a validation and a test task");
        assertEquals(6 * 2, with.validation().size(), "each validation input under the 2 versions the evaluations during training vote over");
        for (int i = 0; i < with.arc().tasks().size(); i++) {
            ArcTask t = with.arc().tasks().get(i);
            boolean apart = validation.contains(t.id()) || ids(with.arc()).contains(t.id());
            assertEquals(apart ? 3 : 4, t.train().size(), t.id() + ": its trained pairs");
        }
        for (int h = 0; h < with.arcValidation().heldOut().length; h++) {   // a validation pair is none of its task's trained pairs
            ArcTask t = with.arcValidation().tasks().get(with.arcValidation().heldOut()[h]);
            ArcTask.Pair kept = with.arcValidation().tests().get(h).get(0);
            for (ArcTask.Pair p : t.train()) assertFalse(Arrays.equals(p.input().cells(), kept.input().cells()), t.id());
        }
    }

    @Test
    void anArcRunScoresItsValidationTasksDuringTrainingAndItsTestTasksOnceAtTheEnd(@TempDir Path dir) throws Exception {
        Path root = oneDimensionalTasks(dir.resolve("data"));
        Map<String, String> set = Map.ofEntries(Map.entry("root", root.toString()), Map.entry("set", "1d-arc"), Map.entry("seq_len", "96"),
                Map.entry("holdout", "0.25"), Map.entry("validation", "0.2"), Map.entry("versions", "4"), Map.entry("eval_versions", "2"), Map.entry("progress_versions", "2"),
                Map.entry("hidden_size", "16"), Map.entry("batch", "8"), Map.entry("precision", "fp32"), Map.entry("steps", "12"), Map.entry("eval_every", "6"));
        TrainRun.prepare(TrainRun.Request.of("dis-miniarc-cpu", dir.resolve("run"), set), Reporter.SILENT).run();
        List<JsonNode> evals = evaluations(dir.resolve("run"));
        assertEquals(List.of(6L, 12L), evals.stream().map(n -> n.get("step").asLong()).toList());
        for (JsonNode e : evals) {
            assertEquals("validation", e.get("eval").get("split").asText(), "every evaluation scores the validation tasks");
            assertEquals(6, e.get("eval").get("tasks").asInt());
            assertEquals(e.get("step").asLong() == 12, e.get("eval").has("test"), "the test tasks only at the last step: " + e);
        }
        assertEquals(10, evals.get(1).get("eval").get("test").get("tasks").asInt());
    }

    private static List<JsonNode> evaluations(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = Json.MAPPER.readTree(l);
            if (n.has("eval")) out.add(n);
        }
        return out;
    }
}
