package trm4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.api.ArcTask;
import trm4j.api.Model;
import trm4j.api.Training;
import trm4j.api.TrainingSpec;

/**
 * The service with an ARC model (a few steps on Mini-ARC): the work of a request is bounded before
 * it starts, and a request past its time limit has its computation stopped, which frees the model.
 */
class ArcServiceTest {
    static final Path ROOT = Path.of("../shared/data");
    @TempDir static Path dir;
    static Model model;
    static Service service;
    static ArcTask task;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(ROOT), "../shared/data is beside the clone in CI");
        model = Model.load(Training.prepare(TrainingSpec.of("dis-miniarc-cpu", dir.resolve("arc")).withOverrides(Map.of("root", ROOT.toString(),
                "steps", "6", "batch", "8", "versions", "4", "eval_versions", "2"))).run().model());
        try (var files = Files.list(ROOT.resolve("mini-arc/MiniARC"))) {
            task = ArcTask.read(files.sorted().findFirst().orElseThrow());
        }
        service = Service.start(model, Service.Settings.defaults().on("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) service.stop();
        if (model != null) model.close();
    }

    /** The Mini-ARC task with its first test input given {@code inputs} times. */
    static String body(int inputs, int versions) throws Exception {
        List<ArcTask.Example> tests = Collections.nCopies(inputs, new ArcTask.Example(task.test().get(0).input(), null));
        return "{\"task\": " + ServiceTest.JSON.writeValueAsString(Map.of("train", task.train(), "test", tests)) + ", \"versions\": " + versions + "}";
    }

    static ServiceTest.Reply post(URI uri, String path, String body) throws Exception {
        HttpResponse<String> r = ServiceTest.HTTP.send(HttpRequest.newBuilder(uri.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ServiceTest.Reply(r.statusCode(), ServiceTest.JSON.readTree(r.body()), r);
    }

    @Test
    void theWorkOfARequestIsBoundedBeforeItStarts() throws Exception {
        // 50,000 1x1 test inputs at 64 versions (under the 1 MB body limit): refused at once, not computed for minutes.
        String many = "{\"task\": {\"train\": [{\"input\": [[1]], \"output\": [[1]]}], \"test\": [" + "{\"input\": [[0]]},".repeat(49_999)
                + "{\"input\": [[0]]}]}, \"versions\": 64}";
        long t0 = System.nanoTime();
        ServiceTest.Reply r = post(service.uri(), "v1/solve", many);
        assertEquals(413, r.status(), r.raw().body());
        assertEquals("task task: 50000 test inputs, more than the 10 one task may have", r.json().get("error").asText());
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "refused before any work");

        StringBuilder big = new StringBuilder("{\"task\": {\"train\": [");
        String canvas = ServiceTest.JSON.writeValueAsString(new int[30][30]);
        for (int i = 0; i < 28; i++) big.append(i == 0 ? "" : ", ").append("{\"input\": ").append(canvas).append(", \"output\": ").append(canvas).append('}');
        big.append("], \"test\": [{\"input\": [[0]]}]}}");
        ServiceTest.Reply cells = post(service.uri(), "v1/solve", big.toString());
        assertEquals(413, cells.status(), cells.raw().body());
        assertEquals("task task: 50401 cells in its grids, more than the 50000 one task may have", cells.json().get("error").asText());

        for (String route : new String[] {"v1/solve", "v1/adapt"}) {
            ServiceTest.Reply versions = post(service.uri(), route, body(5, 64));
            assertEquals(422, versions.status(), versions.raw().body());
            assertEquals("64 versions x 5 test inputs = 320 answers, more than the 256 one request may ask; ask for at most 51 versions",
                    versions.json().get("error").asText());
            assertEquals(413, post(service.uri(), route, body(11, 1)).status());
        }
        String sampled = body(1, 64).replaceFirst("}$", ", \"samples\": 8}");
        ServiceTest.Reply samples = post(service.uri(), "v1/solve", sampled);
        assertEquals(422, samples.status(), samples.raw().body());
        assertEquals("64 versions x 8 samples x 1 test inputs = 512 answers, more than the 256 one request may ask; ask for at most 32 versions (or fewer samples)",
                samples.json().get("error").asText());
        for (String[] seconds : new String[][] {{"0", "0"}, {"0.0001", "1.0E-4"}}) {   // a job always has a time limit: 0 would mean none
            ServiceTest.Reply unbounded = post(service.uri(), "v1/adapt", body(1, 4).replaceFirst("}$", ", \"seconds\": " + seconds[0] + "}"));
            assertEquals(400, unbounded.status(), unbounded.raw().body());
            assertEquals("seconds: " + seconds[1] + " is outside 0.001..3600", unbounded.json().get("error").asText());
        }
        ServiceTest.Reply weights = post(service.uri(), "v1/adapt", body(1, 4).replaceFirst("}$", ", \"weights\": \"no\"}"));
        assertEquals(400, weights.status(), weights.raw().body());
        assertEquals("weights: \"no\" is not true or false", weights.json().get("error").asText());
        ServiceTest.Reply fine = post(service.uri(), "v1/solve", body(4, 64));
        assertEquals(200, fine.status(), fine.raw().body());
        assertEquals(4, fine.json().get("tests").size());
    }

    /**
     * A request still computing at its time limit is answered 503 and its computation stops at the
     * next batch: the model is free again long before the answer would have been done (360 answers
     * of its 36 versions, about a second here, against a limit of 0.3 s), and the next request is answered.
     */
    @Test
    void aRequestPastItsTimeLimitIsCancelledAndFreesTheModel() throws Exception {
        try (Service limited = Service.start(model, Service.Settings.defaults().on("127.0.0.1", 0).withTimeout(Duration.ofMillis(300)).withLimits(200, 2000))) {
            ServiceTest.Reply late = post(limited.uri(), "v1/solve", body(10, 200));
            assertEquals(503, late.status(), late.raw().body());
            assertEquals("busy: no answer within 0.3 s; try again", late.json().get("error").asText());
            long t0 = System.nanoTime();
            while (!metrics(limited).contains("\ntrm4j_running 0\n")) {
                assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the computation went on after its 503");
                Thread.sleep(20);
            }
            ServiceTest.Reply next = post(limited.uri(), "v1/solve", body(1, 2));
            assertEquals(200, next.status(), next.raw().body());
        }
    }

    static String metrics(Service s) throws Exception {
        return ServiceTest.HTTP.send(HttpRequest.newBuilder(s.uri().resolve("metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
