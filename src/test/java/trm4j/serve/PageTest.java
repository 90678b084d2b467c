package trm4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.api.ArcTask;
import trm4j.api.Model;
import trm4j.api.Solution;
import trm4j.api.Training;
import trm4j.api.TrainingListener;
import trm4j.api.TrainingSpec;
import trm4j.data.ArcSampleTest;

/**
 * The page in a real browser (Debian's chromium, headless): a person edits a cell with the mouse
 * and the keyboard, presses Solve, and sees the answer after every supervision step, drawn as the
 * API gives it, with the changed cells marked. Screenshots go to target/. Where chromium is not
 * installed the test is skipped, unless TRM4J_BROWSER_TESTS=required (CI sets it: .ci/run).
 * {@code -Dtrm4j.page.checkpoint.PRESET=FILE} shows another model where a test trains that preset (the
 * README's picture: the demo's; docs/SERVE.md's of sampled trajectories: a 6x6 TRM model's).
 */
class PageTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** The boards of the step-by-step view, each cell's value read from its class c + value. */
    static final String SHOWN_STEPS = "return [...document.querySelectorAll('#steps .step .grid')].map(g => {"
            + " const cells = [...g.querySelectorAll('.cell')], rows = 1 + Math.max(...cells.map(c => +c.dataset.r));"
            + " return Array.from({ length: rows }, (_, r) => cells.filter(c => +c.dataset.r === r).map(c => +[...c.classList].find(n => /^c[0-9]+$/.test(n)).slice(1))); })";
    @TempDir Path dir;

    private static void needBrowser() {
        boolean required = "required".equals(System.getenv("TRM4J_BROWSER_TESTS"));
        if (required && !Browser.installed()) throw new AssertionError("TRM4J_BROWSER_TESTS=required, but chromium and chromedriver are not installed");
        Assumptions.assumeTrue(Browser.installed(), "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
    }

    private static List<String> strings(JsonNode list) {
        return JSON.convertValue(list, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** The service's own answer to a request, as a client other than the page gets it. */
    private static JsonNode post(Service service, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(service.uri().resolve("v1/solve")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private Path model(String preset, Map<String, String> set) {
        String given = System.getProperty("trm4j.page.checkpoint." + preset);
        if (given != null) return Path.of(given);
        return Training.prepare(TrainingSpec.of(preset, dir.resolve(preset)).withOverrides(set), TrainingListener.NONE).run().model();
    }

    @Test
    void aPersonEditsACellSolvesAndSeesEveryStep() throws Exception {
        needBrowser();
        try (Model model = Model.load(model("demo", Map.of("steps", "12", "data.train", "100", "data.test", "20", "batch", "8")));
             Service service = Service.start(model, Service.Settings.defaults().on("127.0.0.1", 0));
             Browser browser = new Browser()) {
            browser.open(service.uri());
            browser.waitFor("document.querySelectorAll('#board .cell').length === 16", Duration.ofSeconds(30));
            assertTrue(browser.script("return document.getElementById('model').textContent").asText().contains("DIS model for sudoku"));
            // One trajectory, the deterministic answer: the sampling options hidden; a DIS model has no halting head to choose by.
            assertEquals("1", browser.script("return document.getElementById('samples').value").asText());
            assertTrue(browser.script("return document.getElementById('sampling').hidden").asBoolean());
            assertEquals(List.of("vote", "confidence"), strings(browser.script("return [...document.querySelectorAll('#select option')].map(o => o.value)")));

            // The generated puzzle first, with its answer known: the cells that disagree with it are marked.
            int[][] start = JSON.readValue(browser.script("return JSON.stringify(state.board)").asText(), int[][].class);
            int[][] known = JSON.readValue(browser.script("return JSON.stringify(state.known)").asText(), int[][].class);
            browser.click("#solve");
            browser.waitFor("document.body.dataset.solved === '1' && document.querySelectorAll('#steps .step').length === 6", Duration.ofSeconds(60));
            Solution first = model.solve(start);
            for (int s = 0; s < 6; s++) {
                int wrong = 0;
                for (int i = 0; i < 16; i++) if (first.steps().get(s)[i / 4][i % 4] != known[i / 4][i % 4]) wrong++;
                assertEquals(wrong, browser.script("return document.querySelectorAll('#steps .step')[arguments[0]].querySelectorAll('.cell.wrong').length", s).asInt(),
                        "step " + (s + 1) + ": the cells that disagree with the known answer are marked");
            }
            browser.screenshot(Path.of("target", "page-sudoku-known.png"));

            // The mouse selects the cell right of the top-left one, the keyboard writes the solution's digit into it (which no
            // given contradicts), an arrow moves on.
            String digit = String.valueOf(known[0][1]);
            browser.click("#board .cell[data-r='0'][data-c='1']");
            browser.type("#board", digit);
            browser.waitFor("document.querySelector(\"#board .cell[data-r='0'][data-c='1']\").textContent === '" + digit + "'", Duration.ofSeconds(5));
            browser.type("#board", "\uE014");   // ArrowRight
            browser.waitFor("document.querySelector(\"#board .cell[data-r='0'][data-c='2']\").classList.contains('selected')", Duration.ofSeconds(5));

            int[][] board = JSON.readValue(browser.script("return JSON.stringify(state.board)").asText(), int[][].class);
            assertEquals(known[0][1], board[0][1]);
            browser.click("#solve");
            browser.waitFor("document.body.dataset.solved === '2' && document.querySelectorAll('#steps .step').length === 6", Duration.ofSeconds(60));
            assertTrue(browser.script("return document.getElementById('status').textContent").asText().startsWith("answered in"));

            Solution api = model.solve(board);
            for (int s = 0; s < 6; s++) {
                List<String> cells = strings(browser.script("return [...document.querySelectorAll('#steps .step')[arguments[0]].querySelectorAll('.cell')]"
                        + ".map(c => c.textContent)", s));
                assertEquals(16, cells.size(), "step " + (s + 1) + " is drawn whole");
                int changed = 0;
                for (int i = 0; i < 16; i++) {
                    int v = api.steps().get(s)[i / 4][i % 4], before = s == 0 ? board[i / 4][i % 4] : api.steps().get(s - 1)[i / 4][i % 4];
                    assertEquals(v == 0 ? "" : String.valueOf(v), cells.get(i), "step " + (s + 1) + " cell " + i + " as the API answers");
                    if (v != before) changed++;
                }
                assertEquals(changed, browser.script("return document.querySelectorAll('#steps .step')[arguments[0]].querySelectorAll('.cell.changed').length", s).asInt(),
                        "step " + (s + 1) + ": the cells that changed since the step before are marked");
            }
            assertEquals(0, browser.script("return document.querySelectorAll('#steps .meter').length").asInt(), "a DIS model has no halting head to show");
            assertFalse(browser.script("return document.getElementById('steps').textContent").asText().contains("halting"));
            assertTrue(browser.script("return document.getElementById('trajectories').hidden").asBoolean(), "one trajectory: nothing to page through");
            browser.screenshot(Path.of("target", "page-sudoku.png"));

            // A digit that a given of its row already holds: the service refuses the board, and the page says why.
            int given = -1;
            for (int c = 0; c < 4; c++) if (c != 1 && board[0][c] != 0) given = c;
            assertTrue(given >= 0, "the page's puzzle has a given in row 0 beside cell (0, 1)");
            browser.click("#board .cell[data-r='0'][data-c='1']");
            browser.type("#board", String.valueOf(board[0][given]));
            browser.click("#solve");
            browser.waitFor("document.getElementById('status').className === 'error'", Duration.ofSeconds(30));
            assertTrue(browser.script("return document.getElementById('status').textContent").asText()
                    .contains("both hold " + board[0][given] + " in one row"), browser.script("return document.getElementById('status').textContent").asText());

            // The solution's digit back: the board answered above, but edited away from its known answer the page no longer
            // knows one, and says whether the answer keeps Sudoku's rules.
            browser.click("#board .cell[data-r='0'][data-c='1']");
            browser.type("#board", digit);
            browser.click("#solve");
            browser.waitFor("document.body.dataset.solved === '4'", Duration.ofSeconds(60));
            String said = browser.script("return document.getElementById('status').textContent").asText();
            assertTrue(said.startsWith("answered in") && said.endsWith(api.valid() ? "; the answer solves the puzzle" : "; the answer does not solve the puzzle"), said);
        }
    }

    /** A TRM model of 4x4 Sudoku trained for 6 steps: enough for a halting head and answers to draw. */
    private Model tinyTrm() {
        return Model.load(model("trm-sudoku4-cpu", Map.of("steps", "6", "min_clues", "10", "data.train", "100", "data.test", "20", "batch", "8")));
    }

    /** A TRM model's halting head: each step shows its confidence, as the API gives it. */
    @Test
    void aTrmModelShowsItsHaltingConfidence() throws Exception {
        needBrowser();
        try (Model model = tinyTrm();
             Service service = Service.start(model, Service.Settings.defaults().on("127.0.0.1", 0));
             Browser browser = new Browser()) {
            browser.open(service.uri());
            browser.waitFor("document.querySelectorAll('#board .cell').length === 16", Duration.ofSeconds(30));
            int[][] board = JSON.readValue(browser.script("return JSON.stringify(state.board)").asText(), int[][].class);
            browser.click("#solve");
            browser.waitFor("document.body.dataset.solved === '1' && document.querySelectorAll('#steps .step').length === 16", Duration.ofSeconds(60));
            Solution api = model.solve(board);
            for (int s = 0; s < 16; s++) {
                assertEquals(Math.round(100 * api.halting()[s]) + "%", browser.script("return document.querySelectorAll('#steps .meter span')[arguments[0]].style.width", s)
                        .asText(), "step " + (s + 1) + ": the halting confidence is drawn");
                String label = browser.script("return document.querySelectorAll('#steps .step .label')[arguments[0]].textContent", s).asText();
                assertEquals(api.halting()[s], Double.parseDouble(label.substring(label.indexOf("halting ") + 8)), 0.0051, label);
            }
        }
    }

    /**
     * Sampled trajectories: the agreement the service answers for the same request, and each of the
     * K trajectories paged through, the chosen one first, its boards the service's; more
     * trajectories than the service's bound are refused in the page, before any request.
     */
    @Test
    void sampledTrajectoriesShowTheirAgreementAndArePagedThrough() throws Exception {
        needBrowser();
        try (Model model = tinyTrm();
             Service service = Service.start(model, Service.Settings.defaults().on("127.0.0.1", 0));
             Browser browser = new Browser()) {
            browser.open(service.uri());
            browser.waitFor("state.known !== null && document.querySelectorAll('#board .cell').length === state.board.length * state.board[0].length",
                    Duration.ofSeconds(30));
            assertEquals(List.of("vote", "confidence", "halt", "first-halt"), strings(browser.script("return [...document.querySelectorAll('#select option')].map(o => o.value)")),
                    "a TRM model's halting head is a rule to choose by");
            browser.clear("#samples");
            browser.type("#samples", "8");
            browser.waitFor("!document.getElementById('sampling').hidden", Duration.ofSeconds(5));
            assertEquals("0.5", browser.script("return document.getElementById('noise').value").asText(), "a noise to start from");
            browser.clear("#noise");
            browser.type("#noise", "1.5");
            browser.click("#select option[value='halt']");
            browser.click("#augment");
            JsonNode board = JSON.readTree(browser.script("return JSON.stringify(state.board)").asText());
            browser.click("#solve");
            browser.waitFor("document.body.dataset.solved === '1'", Duration.ofSeconds(60));
            assertEquals("", browser.script("return document.getElementById('status').className").asText(), browser.script("return document.getElementById('status').textContent").asText());

            JsonNode asked = post(service, "{\"grid\": " + board + ", \"samples\": 8, \"noise\": 1.5, \"augment\": true, \"select\": \"halt\"}");
            JsonNode samples = asked.get("samples");
            int chosen = asked.get("chosen").asInt(), agree = asked.get("agree").asInt(), steps = samples.get(0).size();
            assertEquals(8, samples.size());
            assertTrue(IntStream.range(0, 8).mapToObj(k -> samples.get(k).toString()).distinct().count() > 1,
                    "the noise and the symmetries make the trajectories differ, so that paging through them shows something");
            assertEquals(agree + " of 8 trajectories agree", browser.script("return document.getElementById('agree').textContent").asText());
            List<Integer> order = new ArrayList<>(List.of(chosen));   // the chosen one first, then the others in the service's order
            for (int k = 0; k < 8; k++) if (k != chosen) order.add(k);
            JsonNode last = samples.get(chosen).get(steps - 1);
            for (int i = 0; i < 8; i++) {
                int k = order.get(i);
                String label = browser.script("return document.getElementById('trajectory').textContent").asText();
                assertEquals("trajectory " + (i + 1) + " of 8: " + (i == 0 ? "the chosen one" : samples.get(k).get(steps - 1).equals(last) ? "ends as the chosen one" : "ends elsewhere"),
                        label);
                assertEquals(samples.get(k), browser.script(SHOWN_STEPS),
                        label + ": every step's board as the service answers it");
                assertEquals(i == 0 ? steps : 0, browser.script("return document.querySelectorAll('#steps .meter').length").asInt(),
                        label + ": the halting confidences the service gives are the chosen trajectory's");
                assertEquals(i == 7, browser.script("return document.getElementById('next').disabled").asBoolean());
                if (i == 0) browser.screenshot(Path.of("target", "page-samples.png"));
                if (i < 7) browser.click("#next");
            }
            browser.click("#previous");
            assertTrue(browser.script("return document.getElementById('trajectory').textContent").asText().startsWith("trajectory 7 of 8"));

            // More than the service's bound: refused in the page, one line in its error place, and nothing sent.
            browser.clear("#samples");
            browser.type("#samples", "17");
            browser.click("#solve");
            browser.waitFor("document.body.dataset.solved === '2'", Duration.ofSeconds(10));
            assertEquals("samples: 17 is not a whole number in 1..16", browser.script("return document.getElementById('status').textContent").asText());
            assertEquals("error", browser.script("return document.getElementById('status').className").asText());
            String metrics = HTTP.send(HttpRequest.newBuilder(service.uri().resolve("metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("trm4j_requests_total{route=\"/v1/solve\",status=\"200\"} 2\n") && !metrics.contains("trm4j_errors_total{route=\"/v1/solve\""),
                    "the page's answer and the test's, nothing more:\n" + metrics);

            // Back to one trajectory: the deterministic answer, as before any sampling.
            browser.clear("#samples");
            browser.type("#samples", "1");
            browser.click("#solve");
            browser.waitFor("document.body.dataset.solved === '3'", Duration.ofSeconds(60));
            assertTrue(browser.script("return document.getElementById('trajectories').hidden && document.getElementById('sampling').hidden").asBoolean());
            int[][] start = JSON.treeToValue(board, int[][].class);
            Solution once = model.solve(start);
            assertEquals(JSON.valueToTree(once.steps()), browser.script(SHOWN_STEPS));
        }
    }

    @Test
    void anArcTaskIsPastedSolvedAndItsAttemptsShown() throws Exception {
        needBrowser();
        Path task;
        try (var files = Files.list(ArcSampleTest.FOLDER.resolve("mini-arc/MiniARC"))) {
            task = files.sorted().findFirst().orElseThrow();
        }
        try (Model model = Model.load(model("dis-miniarc-cpu", Map.of("steps", "6", "batch", "8", "versions", "4", "eval_versions", "2")));
             Service service = Service.start(model, Service.Settings.defaults().on("127.0.0.1", 0));
             Browser browser = new Browser()) {
            browser.open(service.uri());
            browser.waitFor("!document.getElementById('task-tools').hidden", Duration.ofSeconds(30));
            browser.click("#paste");
            browser.type("#task-json", Files.readString(task));
            browser.click("#load-task");
            ArcTask t = ArcTask.read(task);
            int rows = t.test().get(0).input().length, cols = t.test().get(0).input()[0].length;
            browser.waitFor("document.querySelectorAll('#board .cell').length === " + rows * cols, Duration.ofSeconds(10));
            browser.click("#board .cell[data-r='0'][data-c='0']");
            browser.type("#board", "5");   // a colour, by the keyboard
            browser.waitFor("state.board[0][0] === 5 && document.querySelector(\"#board .cell[data-r='0'][data-c='0']\").classList.contains('c5')", Duration.ofSeconds(5));
            browser.click("#solve");
            browser.waitFor("document.querySelectorAll('#steps .step').length === 6 && document.querySelectorAll('#attempts .step').length === 2", Duration.ofSeconds(120));
            assertTrue(browser.script("return document.getElementById('status').textContent").asText().contains("versions"));
            browser.screenshot(Path.of("target", "page-arc.png"));

            // Samples of every version vote together: the count and the noise, and no rule to choose by.
            browser.clear("#samples");
            browser.type("#samples", "2");
            browser.waitFor("!document.getElementById('sampling').hidden", Duration.ofSeconds(5));
            assertTrue(browser.script("return document.getElementById('select-box').hidden").asBoolean(), "an ARC task's answers vote");
            assertTrue(browser.script("return document.getElementById('augment-box').hidden").asBoolean(), "an ARC task's versions are its augmentations");
            browser.click("#solve");
            browser.waitFor("document.body.dataset.solved === '2'", Duration.ofSeconds(120));
            ObjectNode asked = (ObjectNode) JSON.readTree(browser.script("return JSON.stringify(state.task)").asText());
            ((ObjectNode) asked.get("test").get(0)).set("input", JSON.readTree(browser.script("return JSON.stringify(state.board)").asText()));
            JsonNode answer = post(service, "{\"task\": " + asked + ", \"versions\": 8, \"samples\": 2, \"noise\": 0.5}").get("tests").get(0);
            assertTrue(browser.script("return document.getElementById('status').textContent").asText()
                    .contains("over 8 versions x 2 samples; attempt 1 has " + answer.get("votes").asInt() + " votes"));
        }
    }
}
