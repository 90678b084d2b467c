package trm4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.UserError;

/** The metrics lines against hand-written JSON (docs/METRICS.md), and lines written by earlier versions. */
class MetricsFileTest {
    @Test
    void eachKindOfLineIsWrittenAsTheDocumentSpellsIt() {
        var train = new MetricsLine.Training(6, 64, 1.5, 1.25, 0.25, 0.0, List.of(0.0, 0.5), null, null, 6e-5, 18, 0, 64, 18.0, 78.5, 2, 0.8);
        assertEquals("{\"step\":6,\"position\":64,\"loss\":1.5,\"ce\":1.25,\"token_acc\":0.25,\"exact_acc\":0.0,\"step_acc\":[0.0,0.5],"
                + "\"lr\":6.0E-5,\"calls_grad\":18,\"calls_nograd\":0,\"samples\":64,\"calls_per_sample\":18.0,\"samples_per_s\":78.5,"
                + "\"threads\":2,\"wall_s\":0.8}", MetricsFile.write(train));
        var trm = new MetricsLine.Training(1, 8, 2, 1, null, null, List.of(), 3.5, 0.75, 1e-3, 2, 4, 0, null, 1, null, 0.1);
        assertEquals("{\"step\":1,\"position\":8,\"loss\":2.0,\"ce\":1.0,\"halt_steps\":3.5,\"q_halt_acc\":0.75,\"lr\":0.001,\"calls_grad\":2,"
                + "\"calls_nograd\":4,\"samples\":0,\"calls_per_sample\":null,\"samples_per_s\":1.0,\"wall_s\":0.1}", MetricsFile.write(trm));
        var puzzles = new PuzzleScores(200, 0.5, 0.75, List.of(0.25, 0.5), 0.625, null, null, null);
        var arc = new ArcScores(3, 4, 8, new TreeMap<>(Map.of(2, 0.5, 1, 0.25)), List.of(0.0, 0.5));
        var eval = new MetricsLine.Evaluation(10, MetricsLine.Split.VALIDATION, puzzles,
                new PuzzleScores(100, 0.25, 0.5, List.of(0.25), null, 0.25, 1.5, 0.75), 30, 2.5);
        assertEquals("{\"step\":10,\"eval\":{\"count\":200,\"exact_acc\":0.5,\"token_acc\":0.75,\"step_acc\":[0.25,0.5],\"valid_acc\":0.625,"
                + "\"split\":\"validation\",\"test\":{\"count\":100,\"exact_acc\":0.25,\"token_acc\":0.5,\"step_acc\":[0.25],\"halt_exact_acc\":0.25,"
                + "\"halt_step\":1.5,\"agree\":0.75}},\"calls\":30,\"wall_s\":2.5}", MetricsFile.write(eval));
        assertEquals("{\"step\":5,\"eval\":{\"tasks\":3,\"test_inputs\":4,\"versions\":8,\"pass@1\":0.25,\"pass@2\":0.5,\"step_pass@2\":[0.0,0.5]},"
                + "\"calls\":15,\"wall_s\":1.0}", MetricsFile.write(new MetricsLine.Evaluation(5, MetricsLine.Split.TEST, arc, null, 15, 1)));
        var engine = new MetricsLine.Engine(0, "fp32", "this CPU has no native bf16", "cpu", 2, true, "AMD EPYC (amd64; avx2 fma)", 1);
        assertEquals("{\"step\":0,\"engine\":{\"precision\":\"fp32\",\"precision_reason\":\"this CPU has no native bf16\",\"device\":\"cpu\","
                + "\"threads\":2,\"threads_adapt\":true,\"cpu\":\"AMD EPYC (amd64; avx2 fma)\",\"ranks\":1}}", MetricsFile.write(engine));
        for (MetricsLine l : List.of(train, trm, eval, engine))
            assertEquals(l, MetricsFile.parse(MetricsFile.write(l), "line"), "read back as written");
    }

    @Test
    void linesOfEarlierVersionsStillRead(@TempDir Path dir) throws Exception {
        // Without threads (training) and without device (engine), as earlier versions wrote them.
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, """
                {"step":0,"engine":{"precision":"bf16","precision_reason":"AMX","ranks":1,"threads":2,"threads_adapt":true,"cpu":"Xeon"}}
                {"step":24,"position":24,"loss":1.9,"ce":1.8,"token_acc":0.3,"exact_acc":0.0,"halt_steps":16.0,"q_halt_acc":0.9,"lr":0.001,"calls_grad":48,"calls_nograd":0,"samples":0,"calls_per_sample":null,"samples_per_s":77.0,"wall_s":3.1}

                {"step":3000,"eval":{"count":200,"exact_acc":0.4,"token_acc":0.8,"step_acc":[0.1,0.4]},"calls":9000,"wall_s":600.5}
                """);
        List<MetricsLine> lines = MetricsFile.read(f);
        assertEquals(3, lines.size(), "the blank line is skipped");
        MetricsLine.Engine e = assertInstanceOf(MetricsLine.Engine.class, lines.get(0));
        assertNull(e.device());
        MetricsLine.Training t = assertInstanceOf(MetricsLine.Training.class, lines.get(1));
        assertEquals(16.0, t.haltSteps());
        assertNull(t.threads());
        assertNull(t.callsPerSample());
        MetricsLine.Evaluation v = assertInstanceOf(MetricsLine.Evaluation.class, lines.get(2));
        assertEquals(MetricsLine.Split.TEST, v.split(), "a line without a split scored the test set");
        assertEquals(0.4, v.testScores().accuracy());
    }

    @Test
    void aBrokenLineIsOneErrorNamingTheFileTheLineAndTheField(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, "{\"step\":1,\"eval\":{\"count\":2,\"exact_acc\":0.5,\"token_acc\":0.5},\"calls\":3,\"wall_s\":1}\n{\"step\":2,\"eval\":{\"count\":2,\"token_acc\":1},\"calls\":3,\"wall_s\":1}\n");
        assertEquals(f + ": line 2, 'eval': no 'exact_acc'", assertThrows(UserError.class, () -> MetricsFile.read(f)).getMessage());
        Files.writeString(f, "{\"step\":-1,\"engine\":{}}\n");
        assertEquals(f + ": line 1: 'step' is not a count", assertThrows(UserError.class, () -> MetricsFile.read(f)).getMessage());
        Files.writeString(f, "{\"step\":1,\n");
        assertEquals(f + ": line 1 is not JSON", assertThrows(UserError.class, () -> MetricsFile.read(f)).getMessage());
        Files.writeString(f, "[1, 2]\n");
        assertEquals(f + ": line 1: not a JSON object", assertThrows(UserError.class, () -> MetricsFile.read(f)).getMessage());
    }
}
