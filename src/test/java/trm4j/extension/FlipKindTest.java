package trm4j.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import trm4j.api.EvalOptions;
import trm4j.api.EvalResult;
import trm4j.api.InvalidInputException;
import trm4j.api.Model;
import trm4j.api.Puzzle;
import trm4j.api.Solution;
import trm4j.api.TaskKind;
import trm4j.api.Training;
import trm4j.api.TrainingListener;
import trm4j.api.TrainingResult;
import trm4j.api.TrainingSpec;
import trm4j.data.DataError;
import trm4j.data.PuzzleKinds;
import trm4j.data.PuzzleSet;
import trm4j.serve.Service;

/**
 * A kind of puzzle added without touching a main file ({@link FlipKind}, in the test sources and
 * their service file): a preset names it, and it is trained, evaluated, answered through the API and
 * described by the service as a built-in kind is.
 */
class FlipKindTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    /** A board with every bit flipped, computed here. */
    private static int[][] flipped(int[][] board) {
        int[][] out = new int[board.length][board.length];
        for (int r = 0; r < board.length; r++)
            for (int c = 0; c < board.length; c++) out[r][c] = 1 - board[r][c];
        return out;
    }

    @Test
    void aKindFromTheClassPathIsTrainedEvaluatedAndAnswered() throws Exception {
        Path preset = dir.resolve("flip.json");
        Files.writeString(preset, "{\"extends\": \"demo\", \"model\": {\"vocab_size\": 3, \"N_sup\": 4},"
                + " \"data\": {\"kind\": \"flip\", \"size\": 4, \"train\": 300, \"test\": 40, \"validation\": 20, \"seed\": 0},"
                + " \"train\": {\"steps\": 400, \"batch\": 32, \"eval_every\": 200, \"checkpoint_every\": 400}}");
        TrainingResult r = Training.prepare(TrainingSpec.of(preset.toString(), dir.resolve("run")), TrainingListener.NONE).run();
        assertEquals(400, r.step());
        List<String> evals = Files.readAllLines(r.metrics()).stream().filter(l -> l.contains("\"eval\"")).toList();
        assertEquals(2, evals.size(), "an evaluation at steps 200 and 400: " + evals);
        assertTrue(evals.stream().allMatch(l -> l.contains("\"valid_acc\"")), "the kind checks answers, so its evaluations count the valid ones: " + evals);

        try (Model m = Model.load(r.model())) {
            assertSame(TaskKind.of("flip"), m.kind());
            assertEquals("bits 0 and 1; answers flip every bit", m.kind().description());

            EvalResult e = m.evaluate(EvalOptions.defaults());
            assertEquals(40, e.count());
            JsonNode scores = JSON.readTree(e.json());
            assertNotNull(scores.get("valid_acc"), e.json());
            // The answer is unique, so the kind's own check (no label) and the label agree puzzle by puzzle; 400 steps learn most of it.
            assertTrue(scores.get("exact_acc").asDouble() > 0.5, e.json());
            assertEquals(scores.get("exact_acc").asDouble(), scores.get("valid_acc").asDouble(), e.json());

            Puzzle p = m.samplePuzzle(3);
            assertEquals(4, p.board().length);
            assertArrayEquals(flipped(p.board()), p.answer(), "the sample's answer is its board flipped");
            Solution s = m.solve(p.board());
            assertEquals(4, s.steps().size(), "one answer a supervision step");
            for (int[][] step : s.steps())
                for (int[] row : step) for (int v : row) assertTrue(v == 0 || v == 1, "a bit: " + v);
            InvalidInputException bad = assertThrows(InvalidInputException.class, () -> m.solve(new int[][] {{0, 1, 0, 1}, {2, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}}));
            assertEquals("row 2, column 1: 2 is not a flip cell (0..1)", bad.getMessage());

            try (Service service = Service.start(m, Service.Settings.defaults().on("127.0.0.1", 0))) {
                HttpResponse<String> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(service.uri().resolve("/v1/model")).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode model = JSON.readTree(got.body());
                assertEquals("flip", model.get("kind").asText());
                assertEquals(m.kind().description(), model.get("description").asText());
                assertEquals(1, model.get("cell_max").asInt());
                assertEquals("1", model.get("look").get("cells").get(1).get("text").asText(), "the page draws a 1 as the kind says");
                assertEquals("#ffdc00", model.get("look").get("cells").get(1).get("background").asText());
            }
        }
    }

    /** Its puzzle files are written and read as the built-in kinds' are, and its name is among those an unknown one is told. */
    @Test
    void itsPuzzleFilesAndItsNameAreKnown() throws Exception {
        Path file = dir.resolve("flip.bin");
        PuzzleKinds.generate("flip", 5, 7, Map.of("size", 3L)).write(file);
        PuzzleSet read = PuzzleSet.read(file);
        assertEquals("flip", read.kind().name());
        assertEquals(3, read.rows());
        assertEquals(5, read.size());
        assertEquals("kind: 'chess' is not one of nqueens, sudoku, maze, flip",
                assertThrows(DataError.class, () -> PuzzleKinds.generate("chess", 1, 0, Map.of())).getMessage());
    }
}
