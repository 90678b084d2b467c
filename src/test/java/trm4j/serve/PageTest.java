package trm4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

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
 * {@code -Dtrm4j.page.checkpoint=FILE} shows another model (the README's picture: the demo's).
 */
class PageTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private static void needBrowser() {
        boolean required = "required".equals(System.getenv("TRM4J_BROWSER_TESTS"));
        if (required && !Browser.installed()) throw new AssertionError("TRM4J_BROWSER_TESTS=required, but chromium and chromedriver are not installed");
        Assumptions.assumeTrue(Browser.installed(), "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
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

            // The mouse selects the cell right of the top-left one, the keyboard writes 3 into it, an arrow moves on.
            browser.click("#board .cell[data-r='0'][data-c='1']");
            browser.type("#board", "3");
            browser.waitFor("document.querySelector(\"#board .cell[data-r='0'][data-c='1']\").textContent === '3'", Duration.ofSeconds(5));
            browser.type("#board", "\uE014");   // ArrowRight
            browser.waitFor("document.querySelector(\"#board .cell[data-r='0'][data-c='2']\").classList.contains('selected')", Duration.ofSeconds(5));

            int[][] board = JSON.readValue(browser.script("return JSON.stringify(state.board)").asText(), int[][].class);
            assertEquals(3, board[0][1]);
            browser.click("#solve");
            browser.waitFor("document.body.dataset.solved === '2' && document.querySelectorAll('#steps .step').length === 6", Duration.ofSeconds(60));
            assertTrue(browser.script("return document.getElementById('status').textContent").asText().startsWith("answered in"));

            Solution api = model.solve(board);
            for (int s = 0; s < 6; s++) {
                List<String> cells = JSON.convertValue(browser.script("return [...document.querySelectorAll('#steps .step')[arguments[0]].querySelectorAll('.cell')]"
                        + ".map(c => c.textContent)", s), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
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
            browser.screenshot(Path.of("target", "page-sudoku.png"));
        }
    }

    /** A TRM model's halting head: each step shows its confidence, as the API gives it. */
    @Test
    void aTrmModelShowsItsHaltingConfidence() throws Exception {
        needBrowser();
        try (Model model = Model.load(model("trm-sudoku4-cpu", Map.of("steps", "6", "min_clues", "10", "data.train", "100", "data.test", "20", "batch", "8")));
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
        }
    }
}
