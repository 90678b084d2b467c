package trm4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.UserError;

/**
 * Presets as a base plus a delta: every built-in preset expands to the whole document the previous
 * release spelled out in full (its files are kept under test resources, legacy-presets/), once that
 * document is read as an older run's preset is. So the deltas lose nothing, and old run folders
 * and checkpoints still load.
 */
class PresetsTest {
    private static ObjectNode legacy(String name) throws Exception {
        try (InputStream in = PresetsTest.class.getResourceAsStream("/trm4j/legacy-presets/" + name + ".json")) {
            return (ObjectNode) Json.MAPPER.readTree(in);
        }
    }

    /**
     * Five things changed on purpose since then, and are the only differences: generated sets
     * hold out validation puzzles (200, mazes 100), a maze's least shortest path follows its side
     * (null: at 30x30 longer than 110, at least 111, as the papers ask), the 4x4 Sudoku presets
     * give at least 8 clues (minimal 4x4 puzzles are too few for three disjoint splits), the demo has no puzzle-embedding prefix (its one puzzle
     * id made the prefix a learned constant; experiments/demo.sh, docs/REPRODUCTION.md), and the
     * ARC presets read the sample in the jar unless data.root names a folder (a fresh clone has no data/).
     */
    @Test
    void everyPresetExpandsToItsFullLegacyDocument() throws Exception {
        for (String name : Presets.names()) {
            ObjectNode expanded = Presets.load(name, Map.of()), old = Presets.upgrade(legacy(name));
            String kind = old.get("data").get("kind").asText();
            if (old.get("data").has("validation") && !kind.equals("arc")) {   // ARC's validation tasks: a fraction, none unless asked for
                ((ObjectNode) old.get("data")).put("validation", kind.equals("maze") ? 100 : 200);
                if (kind.equals("maze")) ((ObjectNode) old.get("data")).putNull("min_path");
            }
            if (name.equals("demo")) ((ObjectNode) old.get("model")).put("puzzle_emb_len", 0);
            if (name.endsWith("-sudoku4-cpu")) ((ObjectNode) old.get("data")).put("min_clues", 8);
            if (old.get("data").has("root")) ((ObjectNode) old.get("data")).put("root", "sample");
            for (String section : new String[] {"model", "data", "train"})
                assertEquals(old.get(section), expanded.get(section), name + ": " + section);
            assertFalse(expanded.has("extends"), name);
        }
    }

    /** A user's steps are the steps run: a preset that counts epochs would otherwise derive its steps and overrule them. */
    @Test
    void stepsGivenAreTheStepsRunWhereAPresetCountsEpochs() {
        assertEquals(50000, Presets.load("trm-maze", Map.of()).path("train").path("epochs").asLong());
        ObjectNode steps = Presets.load("trm-maze", Map.of("steps", "600"));
        assertEquals(600, steps.path("train").path("steps").asLong());
        assertEquals(0, steps.path("train").path("epochs").asLong(), "the steps given count");
        assertEquals(3, Presets.load("trm-maze", Map.of("train.steps", "600", "epochs", "3")).path("train").path("epochs").asLong(),
                "epochs given too: they count, as the preset's own did");
        assertEquals(0, Presets.load("demo", Map.of("steps", "600")).path("train").path("epochs").asLong());
    }

    @Test
    void aLegacyDocumentReadsAsTheMethodAndDataOfItsKind() throws Exception {
        ObjectNode old = Presets.upgrade(legacy("demo"));
        TrainConfig t = Presets.trainOf(old, "old");
        Method.Dis dis = assertInstanceOf(Method.Dis.class, t.method());
        assertEquals(Method.Feed.PREDICTION, dis.feed());
        assertEquals(0.0, dis.ema());
        DataConfig.Sudoku d = assertInstanceOf(DataConfig.Sudoku.class, Presets.dataOf(old, "old"));
        assertEquals(10, d.minClues());
        assertFalse(old.get("data").has("min_path"), "a Sudoku section holds Sudoku's fields only");
        Method.Trm trm = assertInstanceOf(Method.Trm.class, Presets.trainOf(Presets.upgrade(legacy("trm-arc")), "old").method());
        assertEquals(0.999, trm.ema());
        assertEquals(0.1, trm.haltExploration());
    }

    @Test
    void overridesReachNestedFieldsAndSwitchTheMethodToItsDefaults() {
        ObjectNode doc = Presets.load("demo", Map.of("feed", "input", "train.method.step_weights", "linear"));
        Method.Dis dis = (Method.Dis) Presets.trainOf(doc, "t").method();
        assertEquals(Method.Feed.INPUT, dis.feed());
        assertEquals(Method.StepWeights.LINEAR, dis.stepWeights());

        ObjectNode trm = Presets.load("demo", Map.of("method", "trm", "halt_exploration", "0.25"));
        Method.Trm t = assertInstanceOf(Method.Trm.class, Presets.trainOf(trm, "t").method());
        assertEquals(0.25, t.haltExploration());
        assertEquals(0.999, t.ema(), "the TRM base's EMA");
        ObjectNode model = Presets.load("demo", Map.of()).get("model").deepCopy();
        assertEquals(true, model.get("step_embedding").asBoolean());
        model.put("step_embedding", false);
        assertEquals(model, trm.get("model"), "switching the method leaves the model alone but for DIS's step embedding");
        ModelConfig withSteps = Presets.modelOf(Presets.load("demo", Map.of("method", "trm", "step_embedding", "true")), "t");
        UserError steps = assertThrows(UserError.class, () -> t.fits(withSteps, "preset demo"));
        assertEquals("preset demo: model.step_embedding is DIS's conditioning on the supervision step, which TRM does not have: set step_embedding=false",
                steps.getMessage());

        UserError gone = assertThrows(UserError.class, () -> Presets.load("demo", Map.of("method", "trm", "feed", "input")));
        assertTrue(gone.getMessage().contains("overrides feed: preset demo has no such field"), gone.getMessage());
        UserError kind = assertThrows(UserError.class, () -> Presets.load("demo", Map.of("data.kind", "maze")));
        assertTrue(kind.getMessage().contains("cannot change its kind"), kind.getMessage());
        UserError seed = assertThrows(UserError.class, () -> Presets.load("demo", Map.of("seed", "3")));
        assertEquals("overrides seed: ambiguous, write data.seed or train.seed", seed.getMessage());
        UserError magic = assertThrows(UserError.class, () -> Presets.load("demo", Map.of("method", "magic")));
        assertEquals("train.method: 'magic' is not one of trm, dis", magic.getMessage());
    }

    @Test
    void closedSetsAreEnumsWithOneLineErrorsNamingTheField() {
        UserError e = assertThrows(UserError.class, () -> Presets.trainOf(Presets.load("demo", Map.of("optimizer", "sgd")), "preset demo"));
        assertEquals("preset demo: train.optimizer: 'sgd' is not one of adam_atan2, adamw", e.getMessage());
        UserError p = assertThrows(UserError.class, () -> Presets.modelOf(Presets.load("demo", Map.of("pos_encoding", "alibi")), "preset demo"));
        assertEquals("preset demo: model.pos_encoding: 'alibi' is not one of rope, learned, none", p.getMessage());
        ObjectNode bad = Presets.load("demo", Map.of());
        ((ObjectNode) bad.get("data")).put("kind", "chess");
        UserError k = assertThrows(UserError.class, () -> Presets.dataOf(bad, "preset demo"));
        // flip: the kind the test sources add (trm4j.extension.FlipKind)
        assertEquals("preset demo: data: 'chess' is not one of nqueens, sudoku, maze, arc, flip", k.getMessage());
        ObjectNode typo = Presets.load("demo", Map.of());
        ((ObjectNode) typo.get("model")).put("hiden_size", 64);   // a file's field, which --set would have refused before
        UserError f = assertThrows(UserError.class, () -> Presets.modelOf(typo, "f.json"));
        assertEquals("f.json: model.hiden_size: no such field (the fields: N_sup, T, expansion, heads, hidden_size, layers, mlp_t, n, "
                + "pos_encoding, puzzle_emb_len, puzzle_emb_ndim, puzzle_ids, rms_eps, rope_theta, seq_len, step_embedding, vocab_size)", f.getMessage());
    }

    /** A preset file extends a built-in preset or another file beside it, and states only what differs. */
    @Test
    void aPresetFileExtendsABuiltInOneOrAnotherFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("mine"));
        Files.writeString(dir.resolve("mine/small.json"), "{\"extends\": \"demo\", \"model\": {\"hidden_size\": 32}}");
        Files.writeString(dir.resolve("mine/short.json"), "{\"extends\": \"small.json\", \"train\": {\"steps\": 500}}");
        ObjectNode demo = Presets.load("demo", Map.of());
        ObjectNode mine = Presets.load(dir.resolve("mine/short.json").toString(), Map.of("lr", "0.002"));
        ((ObjectNode) demo.get("model")).put("hidden_size", 32);
        ((ObjectNode) demo.get("train")).put("steps", 500).put("lr", 0.002);
        assertEquals(demo, mine);

        Files.writeString(dir.resolve("a.json"), "{\"extends\": \"b.json\"}");
        Files.writeString(dir.resolve("b.json"), "{\"extends\": \"a.json\"}");
        assertEquals(dir.resolve("b.json") + ": more than 16 preset files extend each other (a cycle?)",
                assertThrows(UserError.class, () -> Presets.load(dir.resolve("a.json").toString(), Map.of())).getMessage());
        Path missing = dir.resolve("none.json"), bad = dir.resolve("bad.json");
        assertEquals(missing + ": no such preset file", assertThrows(UserError.class, () -> Presets.load(missing.toString(), Map.of())).getMessage());
        Files.writeString(bad, "{\"extends\": \"demo\",\n \"model\": {\"hidden_size\" 32}}");
        assertEquals(bad + ": not valid JSON at line 2, column 26: Unexpected character ('3' (code 51)): was expecting a colon to separate field name and value",
                assertThrows(UserError.class, () -> Presets.load(bad.toString(), Map.of())).getMessage());
        Files.writeString(bad, "{\"extends\": \"demo\", \"model\": {\"hidden_size\": 32, \"hidden_size\": 64}}");   // not: the last one wins
        String twice = assertThrows(UserError.class, () -> Presets.load(bad.toString(), Map.of())).getMessage();
        assertTrue(twice.startsWith(bad + ": not valid JSON at line 1, column ") && twice.endsWith(": the key 'hidden_size' appears twice in one object"), twice);
        Files.writeString(bad, "{\"extends\": \"demo\", \"train\": {\"beta2\": null}}");
        assertEquals("preset " + bad + ": train.beta2: null is not a valid double",
                assertThrows(UserError.class, () -> Presets.trainOf(Presets.load(bad.toString(), Map.of()), "preset " + bad)).getMessage());
        ObjectNode partial = Presets.load("demo", Map.of());
        ((ObjectNode) partial.get("train")).remove("beta2");
        assertEquals("preset demo: train.beta2: missing", assertThrows(UserError.class, () -> Presets.trainOf(partial, "preset demo")).getMessage());
        Files.writeString(bad, "{\"extends\": \"dmeo\"}");
        assertTrue(assertThrows(UserError.class, () -> Presets.load(bad.toString(), Map.of())).getMessage().startsWith(bad + ": extends: unknown preset 'dmeo'; did you mean 'demo'? (known: "));
        // A field written at the top level, where it would be ignored: refused, naming the section it belongs in.
        Files.writeString(bad, "{\"extends\": \"demo\", \"steps\": 20}");
        assertEquals(bad + ": steps: not a section (a preset file's top level holds extends, model, data and train); did you mean 'train.steps'?",
                assertThrows(UserError.class, () -> Presets.load(bad.toString(), Map.of())).getMessage());
        Files.writeString(bad, "{\"extends\": \"demo\", \"trian\": {\"steps\": 20}}");
        assertTrue(assertThrows(UserError.class, () -> Presets.load(bad.toString(), Map.of())).getMessage().endsWith("; did you mean 'train'?"));
        Files.writeString(bad, "{\"model\": {\"hidden_size\": 32}}");
        assertEquals(bad + ": no \"extends\" and no \"data\" section: a preset file extends a preset (\"extends\": \"demo\"; 'trm4j info --list') "
                + "and says what differs, or holds model, data and train whole", assertThrows(UserError.class, () -> Presets.load(bad.toString(), Map.of())).getMessage());
        Files.writeString(bad, "[1, 2]");
        assertEquals(bad + ": a preset file holds one JSON object", assertThrows(UserError.class, () -> Presets.load(bad.toString(), Map.of())).getMessage());
        assertTrue(assertThrows(UserError.class, () -> Presets.load("dmeo", Map.of())).getMessage().startsWith("unknown preset 'dmeo'; did you mean 'demo'? (known: "));
    }
}
