package trm4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import trm4j.api.EvalOptions;
import trm4j.api.Model;
import trm4j.api.Solution;
import trm4j.api.Training;
import trm4j.api.TrainingListener;
import trm4j.api.TrainingSpec;
import trm4j.api.Trm4jException;

/** The service as its clients see it, over HTTP: answers, refusals, bounds and metrics. */
class ServiceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final int[][] BOARD = {{1, 0, 0, 4}, {0, 4, 1, 0}, {4, 0, 0, 1}, {0, 1, 4, 0}};
    @TempDir static Path dir;
    static Model model;
    static Service service;

    /** A small demo model behind a service on a free port; its queue holds one request, and a request waits at most 2 s. */
    @BeforeAll
    static void start() throws Exception {
        Path file = Training.prepare(TrainingSpec.of("demo", dir.resolve("demo")).withOverrides(Map.of("steps", "12", "data.train", "100",
                "data.test", "20", "batch", "8", "checkpoint_every", "12")), TrainingListener.NONE).run().model();
        model = Model.load(file);
        service = Service.start(model, Service.Settings.defaults().on("127.0.0.1", 0).withQueue(1).withTimeout(Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) service.stop();
        if (model != null) model.close();
    }

    record Reply(int status, JsonNode json, HttpResponse<String> raw) {}

    static Reply get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(service.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse("").startsWith("application/json") ? JSON.readTree(r.body()) : null, r);
    }

    static Reply post(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(service.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()), r);
    }

    static String grid(int[][] g) throws Exception {
        return "{\"grid\": " + JSON.writeValueAsString(g) + "}";
    }

    /** The answer's JSON carries the halting confidence of a model that has a halting head (TRM), and no such field for DIS. */
    @Test
    void haltingIsAnsweredOnlyWhereThereIsAHaltingHead() {
        int[][] b = {{1}};
        assertEquals(List.of("steps", "answer", "halting", "valid", "millis"),
                List.copyOf(Answers.solution(new Solution(List.of(b, b), b, new double[] {0.2, 0.9}, 3, List.of(List.of(b, b)), 0, 1, true)).keySet()));
        assertEquals(List.of("steps", "answer", "millis"), List.copyOf(Answers.solution(new Solution(List.of(b, b), b, new double[0], 3, List.of(List.of(b, b)), 0, 1, null)).keySet()));
    }

    /** Sampled trajectories: the API's answer for the same options, a seed that repeats, and its bounds as 4xx. */
    @Test
    void sampledTrajectoriesAnswerAsTheApiWithinTheirBound() throws Exception {
        String board = JSON.writeValueAsString(BOARD);
        String ask = "{\"grid\": " + board + ", \"samples\": 6, \"noise\": 0.8, \"select\": \"confidence\", \"seed\": 3}";
        Reply s = post("v1/solve", ask);
        assertEquals(200, s.status(), s.raw().body());
        var api = model.solve(BOARD, 1.0, trm4j.api.SolveOptions.defaults().withSamples(6).withNoise(0.8)
                .withSelect(trm4j.api.SolveOptions.Select.CONFIDENCE).withSeed(3));
        assertEquals(JSON.valueToTree(api.samples()), s.json().get("samples"), "every trajectory, as the API gives them");
        assertEquals(api.chosen(), s.json().get("chosen").asInt());
        assertEquals(api.agree(), s.json().get("agree").asInt());
        assertEquals(JSON.valueToTree(api.answer()), s.json().get("answer"));
        var again = (com.fasterxml.jackson.databind.node.ObjectNode) post("v1/solve", ask).json();
        var first = (com.fasterxml.jackson.databind.node.ObjectNode) s.json();
        first.remove("millis");
        again.remove("millis");
        assertEquals(first, again, "the same seed, the same answer");
        assertEquals(413, post("v1/solve", "{\"grid\": " + board + ", \"samples\": 17}").status());
        assertEquals(16, get("v1/model").json().get("max_samples").asInt(), "the model tells the bound, which the page's control keeps to");
        assertEquals("ok", get("health").json().get("status").asText());
        Reply empty = post("v1/solve", "{\"grid\": []}");
        assertEquals("grid: no rows", empty.json().get("error").asText());
        assertEquals("grid: row 1, column 1: 4294967297 is out of range", post("v1/solve", "{\"grid\": [[4294967297]]}").json().get("error").asText());
        Reply halt = post("v1/solve", "{\"grid\": " + board + ", \"samples\": 2, \"select\": \"halt\"}");
        assertEquals(400, halt.status());
        assertEquals("select: 'halt' needs a halting head, and a DIS model has none (vote or confidence)", halt.json().get("error").asText());
        assertEquals(400, post("v1/solve", "{\"grid\": " + board + ", \"noise\": \"loud\"}").status());
        assertEquals(400, post("v1/solve", "{\"grid\": " + board + ", \"noise\": -1}").status());
        assertEquals(400, post("v1/solve", "{\"grid\": " + board + ", \"select\": \"best\"}").status());
        // A field the service does not know is a typo, not a default; a count is a whole number, not cut down.
        Reply typo = post("v1/solve", "{\"grid\": " + board + ", \"sampels\": 8}");
        assertEquals(400, typo.status());
        assertTrue(typo.json().get("error").asText().startsWith("sampels: no such field; did you mean 'samples'? (the fields: grid, task,"), typo.raw().body());
        Reply fraction = post("v1/solve", "{\"grid\": " + board + ", \"samples\": 2.9}");
        assertEquals(400, fraction.status());
        assertEquals("samples: 2.9 is not a whole number", fraction.json().get("error").asText());
        assertEquals(413, post("v1/solve", "{\"grid\": " + board + ", \"samples\": 99999999999999999999999}").status());
        Reply turned = post("v1/solve", "{\"grid\": " + board + ", \"samples\": 4, \"augment\": true, \"seed\": 2}");
        assertEquals(JSON.valueToTree(model.solve(BOARD, 1.0, trm4j.api.SolveOptions.defaults().withSamples(4).withAugment(true).withSeed(2)).samples()),
                turned.json().get("samples"), "augmented samples, as the API gives them");
        Reply yes = post("v1/solve", "{\"grid\": " + board + ", \"augment\": \"yes\"}");
        assertEquals(400, yes.status());
        assertEquals("augment: \"yes\" is not true or false", yes.json().get("error").asText());
    }

    @Test
    void theModelAPuzzleAndItsAnswerStepByStep() throws Exception {
        Reply m = get("v1/model");
        assertEquals(200, m.status());
        assertEquals("sudoku", m.json().get("kind").asText());
        assertEquals("dis", m.json().get("method").asText());
        assertEquals(6, m.json().get("N_sup").asInt());
        assertEquals("0 for an empty cell, else the digit 1..4", m.json().get("description").asText(), "the digits of this model's side");
        assertEquals(66946, m.json().get("parameters").asLong());

        Reply p = get("v1/puzzle?seed=7");
        assertEquals(200, p.status());
        assertEquals(JSON.valueToTree(model.samplePuzzle(7).board()), p.json().get("grid"), "the API's puzzle for that seed");
        assertEquals(JSON.valueToTree(model.samplePuzzle(7).answer()), p.json().get("answer"));
        assertEquals("sed: no such parameter; did you mean 'seed'? (/v1/puzzle takes seed)", get("v1/puzzle?sed=7").json().get("error").asText());
        assertEquals("seed: '99999999999999999999' is out of range (a 64-bit whole number)",
                get("v1/puzzle?seed=99999999999999999999").json().get("error").asText());

        Reply s = post("v1/solve", grid(BOARD));
        assertEquals(200, s.status(), s.raw().body());
        var api = model.solve(BOARD);
        assertEquals(JSON.valueToTree(api.steps()), s.json().get("steps"), "every step, as the API gives them");
        assertEquals(JSON.valueToTree(api.answer()), s.json().get("answer"));
        assertFalse(s.json().has("halting"), "a DIS model has no halting head: no confidence is given");
        assertEquals(api.valid(), s.json().get("valid").asBoolean(), "whether the answer keeps Sudoku's rules, as the API says");
        assertEquals(JSON.valueToTree(model.solve(BOARD, 2.0).steps()), post("v1/solve", "{\"grid\": " + JSON.writeValueAsString(BOARD) + ", \"guidance\": 2}").json().get("steps"));

        Reply page = get("");
        assertEquals(200, page.status());
        assertTrue(page.raw().body().contains("<script src=\"page.js\"></script>"));
        assertTrue(page.raw().headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"), "nothing from elsewhere");
        assertEquals(200, get("page.js").status());
    }

    @Test
    void badRequestsAre4xxWithOneLine() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"grid\": [[1, 0", "the body is not valid JSON (line 1, column 16)");
        cases.put("[1, 2]", "the body must be a JSON object");
        cases.put("{\"grid\": [[1, 0, 0, 4]], \"versions\": 8}", "versions: for an ARC task; a sudoku model answers {\"grid\": [[...]]}");
        cases.put("{\"grid\": [[1, 0, 0, 4]], \"id\": \"t\"}", "id: for an ARC task; a sudoku model answers {\"grid\": [[...]]}");
        cases.put("{\"grid\": [[1, 0, 0, 4], 3]}", "grid: row 2 is not a list");
        cases.put(grid(BOARD) + " {\"grid\": 3}", "the body is not valid JSON (line 1, column 53): something follows the JSON object");
        cases.put("{}", "a sudoku model needs {\"grid\": [[...]]}, a 4x4 board");
        cases.put("{\"grid\": [[1, 0, 0, 4], [0, 4, 1], [4, 0, 0, 1], [0, 1, 4, 0]]}", "row 2 has 3 cells; this model's boards are 4x4 (a sudoku model)");
        cases.put("{\"grid\": [[1, 0, 0, 4], [0, 4, 1, 0], [4, 0, 0, 7], [0, 1, 4, 0]]}", "row 3, column 4: 7 is not a sudoku cell (0..4)");
        cases.put("{\"grid\": [[1, 0, 0, 4, 0], [0, 4, 1, 0, 0], [4, 0, 0, 1, 0], [0, 1, 4, 0, 0], [0, 0, 0, 0, 0]]}", "the board has 5 rows; this model's has 4 (a sudoku model)");
        cases.put("{\"grid\": [[1, \"x\", 0, 4]]}", "grid: row 1, column 2: \"x\" is not a whole number");
        cases.put("{\"task\": {\"train\": [], \"test\": []}}", "this is a sudoku model: send {\"grid\": [[...]]}, 0 for an empty cell");
        cases.put("{\"grid\": [[1, 0, 0, 4], [0, 4, 1, 0], [4, 0, 0, 1], [0, 1, 4, 0]], \"guidance\": \"strong\"}", "guidance: \"strong\" is not a number");
        cases.put("{\"grid\": [[1, 0, 0, 4]], \"grid\": [[1, 0, 0, 4], [0, 4, 1, 0], [4, 0, 0, 1], [0, 1, 4, 0]]}",
                "the body is not valid JSON (line 1, column 32): the key 'grid' appears twice in one object");
        cases.forEach((body, message) -> {
            try {
                Reply r = post("v1/solve", body);
                assertEquals(400, r.status(), body);
                assertEquals(message, r.json().get("error").asText(), body);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Reply query = post("v1/solve?samples=9999", grid(BOARD));
        assertEquals(400, query.status());
        assertEquals("/v1/solve takes its fields in the JSON body, not in the query (samples=9999)", query.json().get("error").asText());
        HttpResponse<String> gzip = HTTP.send(HttpRequest.newBuilder(service.uri().resolve("v1/solve")).POST(HttpRequest.BodyPublishers.ofString(grid(BOARD)))
                .header("Content-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, gzip.statusCode());
        assertEquals("Content-Encoding gzip: send the body uncompressed", JSON.readTree(gzip.body()).get("error").asText());
        // Valid JSON beyond the reader's bounds is said as such, not as invalid JSON.
        Reply deep = post("v1/solve", "{\"grid\": " + "[".repeat(1500) + "]".repeat(1500) + "}");
        assertEquals(413, deep.status());
        assertTrue(deep.json().get("error").asText().startsWith("the body is beyond what this service reads: Document nesting depth (1001) exceeds"), deep.json().toString());
        Reply digits = post("v1/solve", "{\"grid\": [[" + "9".repeat(5000) + "]]}");
        assertEquals(413, digits.status());
        assertTrue(digits.json().get("error").asText().startsWith("the body is beyond what this service reads: Number value length (5000) exceeds"), digits.json().toString());
        assertFalse(digits.json().get("error").asText().contains("`"), "no Jackson method names");
        // A client still sending its oversized body hears the 413 every time, not a reset connection.
        String oversized = "{\"grid\": [" + "[0, 0, 0, 0], ".repeat(150_000) + "[0]]}";
        for (int i = 0; i < 20; i++) {
            Reply big = post("v1/solve", oversized);
            assertEquals(413, big.status());
            assertTrue(big.json().get("error").asText().contains("more than the 1048576 allowed"), big.json().toString());
        }
        HttpResponse<String> chunked = HTTP.send(HttpRequest.newBuilder(service.uri().resolve("v1/solve"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversized.getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), "a body of no declared length, cut at the limit");
        assertEquals("the body is more than the 1048576 bytes allowed", JSON.readTree(chunked.body()).get("error").asText());
        // A client that waits for "100 Continue" before it sends hears the 413 instead.
        try (Socket socket = new Socket(service.uri().getHost(), service.uri().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v1/solve HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2000000\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertTrue(status.startsWith("HTTP/1.1 413 "), status);
        }
        Reply wrong = get("v1/solve");
        assertEquals(405, wrong.status());
        assertEquals("POST", wrong.raw().headers().firstValue("Allow").orElse(""), "a 405 says what is allowed");
        assertEquals("GET, HEAD", HTTP.send(HttpRequest.newBuilder(service.uri().resolve("health")).DELETE().build(), HttpResponse.BodyHandlers.ofString())
                .headers().firstValue("Allow").orElse(""));
        HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(service.uri().resolve("health")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode(), "HEAD where GET is: a load balancer's probe");
        assertEquals("", head.body());
        assertEquals(String.valueOf(get("health").raw().body().length()), head.headers().firstValue("Content-Length").orElse(""));
        HttpResponse<String> headPuzzle = HTTP.send(HttpRequest.newBuilder(service.uri().resolve("v1/puzzle")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, headPuzzle.statusCode(), "a HEAD would wait in the queue for a puzzle it never sees");
        assertEquals("GET", headPuzzle.headers().firstValue("Allow").orElse(""));
        assertEquals(404, get("v1/nothing").status());
        assertEquals("adaptation is for ARC models; this is a sudoku model", post("v1/adapt", "{}").json().get("error").asText());
        assertEquals(200, post("v1/solve", grid(BOARD)).status(), "and the service still answers");
    }

    /** 8 clients x 10 requests at once: every one answered, each as the API answers it alone. */
    @Test
    void eightClientsGetTheAnswersTheApiGives() throws Exception {
        List<int[][]> boards = new ArrayList<>();
        for (int i = 0; i < 10; i++) boards.add(model.samplePuzzle(i).board());
        List<String> alone = new ArrayList<>();
        for (int[][] b : boards) alone.add(JSON.writeValueAsString(model.solve(b).steps()));
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int c = 0; c < 8; c++)
                for (int[][] b : boards) replies.add(clients.submit(() -> {
                    for (int attempt = 0; ; attempt++) {   // the queue holds one: a client told 503 comes back, as Retry-After says
                        Reply r = post("v1/solve", grid(b));
                        if (r.status() != 503 || attempt > 200) return r;
                        assertEquals("1", r.raw().headers().firstValue("Retry-After").orElse(""));
                        Thread.sleep(20);
                    }
                }));
            for (int i = 0; i < replies.size(); i++) {
                Reply r = replies.get(i).get(2, TimeUnit.MINUTES);
                assertEquals(200, r.status(), r.json().toString());
                assertEquals(alone.get(i % 10), JSON.writeValueAsString(r.json().get("steps")), "request " + i);
            }
        } finally {
            clients.shutdown();
        }
        String metrics = get("metrics").raw().body();
        assertTrue(metrics.contains("trm4j_requests_total{route=\"/v1/solve\",status=\"200\"}"), metrics);
        assertTrue(metrics.contains("trm4j_request_seconds_bucket{route=\"/v1/solve\",le=\"+Inf\"}"), metrics);
        assertTrue(metrics.contains("\ntrm4j_queued 0\n"), metrics);
    }

    /**
     * Work is bounded, deterministically: while the model is held (by an evaluation that waits in
     * its progress callback), one request runs into the held model, one waits in the queue, the
     * next is refused 503 at once; the two then time out after 2 s (503), and the one that waited
     * is never computed. Once the model is free, requests are answered again.
     */
    @Test
    void aFullQueueIsRefusedAtOnceAndAWaitHasALimit() throws Exception {
        CountDownLatch held = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread holder = holdTheModel(held, release);
        assertTrue(held.await(30, TimeUnit.SECONDS));
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            Future<Reply> running = clients.submit(() -> post("v1/solve", grid(BOARD)));
            waitFor("trm4j_running 1");
            Future<Reply> queued = clients.submit(() -> post("v1/solve", grid(BOARD)));
            waitFor("trm4j_queued 1");
            long t0 = System.nanoTime();
            Reply refused = post("v1/solve", grid(BOARD));
            assertEquals(503, refused.status());
            assertTrue((System.nanoTime() - t0) / 1e9 < 1.5, "refused at once, not after the wait");
            assertEquals("busy: 1 requests are waiting for the model; try again", refused.json().get("error").asText());
            assertEquals("1", refused.raw().headers().firstValue("Retry-After").orElse(""));
            for (Future<Reply> f : List.of(running, queued)) {
                Reply r = f.get(30, TimeUnit.SECONDS);
                assertEquals(503, r.status());
                assertEquals("busy: no answer within 2.0 s; try again", r.json().get("error").asText());
            }
        } finally {
            release.countDown();
            holder.join();
            clients.shutdown();
        }
        waitFor("trm4j_running 0");
        assertEquals(200, post("v1/solve", grid(BOARD)).status());
    }

    /**
     * What Jetty refuses before any route sees it is answered in the service's JSON, one line, and
     * 4xx: the client's mistake, never a 5xx; no file is read through a path that climbs out.
     */
    @Test
    void requestsRefusedBeforeRoutingAreJson4xx() throws Exception {
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("a negative Content-Length", "POST /v1/solve HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n");
        requests.put("a 20-digit Content-Length", "POST /v1/solve HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999999999999\r\n\r\n");
        requests.put("Content-Length with chunked", "POST /v1/solve HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        requests.put("TLS bytes on the plain port", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003");
        requests.put("/../../etc/passwd", "GET /../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n");
        requests.put("%2e%2e", "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n");
        requests.put("%252e%252e", "GET /%252e%252e/%252e%252e/etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n");
        requests.put("..;", "GET /..;/..;/etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n");
        requests.put("a 20 KB URL", "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        requests.put("a 20 KB header", "GET /v1/model HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
        requests.put("no HTTP version", "GET /v1/model\r\n\r\n");
        requests.put("an HTTP version that does not exist", "GET /v1/model HTTP/9.9\r\nHost: localhost\r\n\r\n");
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> r : requests.entrySet()) {
            String raw = exchange(r.getValue());
            int status = Integer.parseInt(raw.substring(9, 12));
            String head = raw.substring(0, raw.indexOf("\r\n\r\n")), body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            JsonNode json = null;
            try {
                json = JSON.readTree(body);
            } catch (Exception e) {
                // reported below
            }
            if (status < 400 || status >= 500 || !head.contains("Content-Type: application/json") || json == null || !json.path("error").isTextual()
                    || json.size() != 1 || body.contains("\n") || body.contains("root:"))
                failures.add(r.getKey() + ": " + raw.replace("\r\n", " | "));
        }
        assertEquals(List.of(), failures);
        for (String size : List.of("ZZ", "FFFFFFFFFFFFFFFF")) {   // a chunk size that is not one is a malformed body, not a large one
            String raw = exchange("POST /v1/solve HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\nabc\r\n0\r\n\r\n");
            assertEquals("400", raw.substring(9, 12), raw);
            assertTrue(raw.contains("{\"error\":\"the body is not valid HTTP framing"), raw);
        }
        assertEquals(200, get("v1/model").status(), "and the service still answers");
    }

    /**
     * On loopback the service answers requests that name this machine, however written; one that names another host (a
     * page elsewhere that pointed its own name here) is a 403 in JSON, whatever its route.
     */
    @Test
    void onLoopbackOnlyRequestsNamingThisMachineAreAnswered() throws Exception {
        int port = service.uri().getPort();
        for (String host : new String[] {"localhost", "127.0.0.1", "127.0.0.1:" + port, "[::1]:" + port, "LOCALHOST", "app.localhost"}) {
            String raw = exchange("GET /v1/model HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertTrue(raw.startsWith("HTTP/1.1 200 "), host + ": " + raw);
        }
        String noHost = exchange("GET /v1/model HTTP/1.0\r\n\r\n");
        assertTrue(noHost.startsWith("HTTP/1.1 200 "), "HTTP/1.0 with no Host: " + noHost);
        for (String host : new String[] {"evil.example", "evil.example:" + port, "127.0.0.1.evil.example", "localhost.evil.example", "10.0.0.1"}) {
            for (String route : new String[] {"GET /v1/model", "GET /", "POST /v1/solve"}) {
                String raw = exchange(route + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
                assertTrue(raw.startsWith("HTTP/1.1 403 "), host + " " + route + ": " + raw);
                assertEquals("Host " + host.replaceFirst(":[0-9]+$", "") + ": this service listens on 127.0.0.1 and answers requests that name this machine "
                        + "(localhost, 127.0.0.1, [::1]); a proxy in front of it must send one of those as Host",
                        JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4)).get("error").asText());
            }
        }
    }

    /**
     * Work asked by a page on another site (which a browser sends without asking first when the body is a form, text or
     * has no type) is a 403 whatever its body; the service's own page, a program that is no browser, and a page's plain
     * GET are answered. Told by Sec-Fetch-Site, or by an Origin that does not name the request's host.
     */
    @Test
    void workAskedByAPageOnAnotherSiteIsRefused() throws Exception {
        String here = "127.0.0.1:" + service.uri().getPort(), body = grid(BOARD);
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("Sec-Fetch-Site: cross-site\r\nOrigin: https://evil.example\r\nContent-Type: text/plain", 403);
        cases.put("Sec-Fetch-Site: same-site\r\nOrigin: http://localhost:3000", 403);
        cases.put("Origin: https://evil.example", 403);
        cases.put("Origin: null\r\nContent-Type: application/x-www-form-urlencoded", 403);
        cases.put("Sec-Fetch-Site: same-origin\r\nOrigin: http://" + here + "\r\nContent-Type: application/json", 200);
        cases.put("Origin: http://" + here, 200);
        cases.put("Content-Type: text/plain", 200);
        cases.put("User-Agent: curl/8", 200);
        cases.forEach((headers, status) -> {
            try {
                String raw = exchange("POST /v1/solve HTTP/1.1\r\nHost: " + here + "\r\n" + headers + "\r\nContent-Length: " + body.length()
                        + "\r\nConnection: close\r\n\r\n" + body);
                assertTrue(raw.startsWith("HTTP/1.1 " + status + " "), headers + ": " + raw);
                if (status == 403)
                    assertTrue(JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4)).get("error").asText()
                            .endsWith(": a page on another site may not ask this service for work (its own page may)"), raw);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        String page = exchange("GET /v1/model HTTP/1.1\r\nHost: " + here + "\r\nSec-Fetch-Site: cross-site\r\nConnection: close\r\n\r\n");
        assertTrue(page.startsWith("HTTP/1.1 200 "), "a link from elsewhere still opens: " + page);
    }

    /** HTTP/1.1 bytes over a socket; the answer read until the server closes or 2 s pass in silence. */
    static String exchange(String request) throws Exception {
        try (Socket socket = new Socket(service.uri().getHost(), service.uri().getPort())) {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            try {
                for (int n; (n = socket.getInputStream().read(b)) >= 0; ) got.write(b, 0, n);
            } catch (SocketTimeoutException e) {
                // a kept-alive connection: the answer is whole
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * A body that trickles in (a byte a second: never idle long enough for the idle timeout) is cut
     * at the body deadline (here the 2 s timeout) with a 408 in JSON, and the connection closed;
     * with a declared length and chunked alike.
     */
    @Test
    void aBodyThatTricklesInIsCutAtItsDeadline() throws Exception {
        for (String head : new String[] {"Content-Length: 1000\r\n", "Transfer-Encoding: chunked\r\n"}) {
            try (Socket socket = new Socket(service.uri().getHost(), service.uri().getPort())) {
                socket.setSoTimeout(1_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/solve HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + head + "\r\n").getBytes(StandardCharsets.US_ASCII));
                long t0 = System.nanoTime();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                boolean closed = false;
                byte[] b = new byte[4096];
                while (!closed && System.nanoTime() - t0 < 20_000_000_000L) {
                    try {
                        out.write((head.startsWith("Transfer") ? "1\r\n \r\n" : " ").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException e) {
                        closed = true;   // the server closed its end
                    }
                    try {
                        int n = socket.getInputStream().read(b);
                        if (n < 0) closed = true;
                        else got.write(b, 0, n);
                    } catch (SocketTimeoutException e) {
                        // nothing yet: another byte
                    } catch (IOException e) {
                        closed = true;
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                String raw = got.toString(StandardCharsets.ISO_8859_1);
                assertTrue(closed && seconds < 8, head + ": open after " + seconds + " s: " + raw);
                assertTrue(raw.startsWith("HTTP/1.1 408 "), head + raw);
                assertTrue(raw.endsWith("{\"error\":\"the body did not arrive within 2 s\"}"), raw);
            }
        }
        assertEquals(200, post("v1/solve", grid(BOARD)).status(), "and the service still answers");
    }

    /**
     * A header that trickles in (a byte every 200 ms) has its connection closed after the arrival
     * deadline (here the 2 s timeout), while a connection that sits idle between two requests for
     * longer than that still gets its second answer.
     */
    @Test
    void aHeaderThatTricklesInHasItsConnectionClosed() throws Exception {
        try (Socket socket = new Socket(service.uri().getHost(), service.uri().getPort())) {
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write("GET /v1/model HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            boolean closed = false;
            while (!closed && System.nanoTime() - t0 < 10_000_000_000L) {
                try {
                    out.write('a');
                    out.flush();
                    closed = socket.getInputStream().read() < 0;
                } catch (SocketTimeoutException e) {
                    // still open: another byte
                } catch (IOException e) {
                    closed = true;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(closed && seconds > 1.5 && seconds < 8, "closed " + closed + " after " + seconds + " s");   // nothing else would close it before the 30 s idle timeout
        }
        try (Socket socket = new Socket(service.uri().getHost(), service.uri().getPort())) {
            socket.setSoTimeout(5_000);
            String get = "GET /v1/model HTTP/1.1\r\nHost: localhost\r\n\r\n";
            for (int round = 0; round < 2; round++) {
                if (round == 1) {
                    Thread.sleep(5_000);   // idle for twice the deadline: not a header in progress
                    socket.getInputStream().skip(socket.getInputStream().available());
                }
                socket.getOutputStream().write(get.getBytes(StandardCharsets.US_ASCII));
                byte[] head = socket.getInputStream().readNBytes(12);
                assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII), "round " + round);
            }
        }
    }

    /**
     * SIGTERM's stop ends within its bound (the timeout + 10 s) even when a computation is stuck
     * (here: it waits for a model held by an evaluation that waits in its progress callback), and
     * says that it left the computation behind.
     */
    @Test
    void stopEndsWithinItsBoundWithWorkStuck() throws Exception {
        CountDownLatch held = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread holder = holdTheModel(held, release);
        Service other = Service.start(model, Service.Settings.defaults().on("127.0.0.1", 0).withTimeout(Duration.ofSeconds(1)));
        try {
            assertTrue(held.await(30, TimeUnit.SECONDS));
            HttpResponse<String> stuck = HTTP.send(HttpRequest.newBuilder(other.uri().resolve("v1/solve")).POST(HttpRequest.BodyPublishers.ofString(grid(BOARD)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, stuck.statusCode(), "answered at its timeout, its computation stuck behind the held model");
            long t0 = System.nanoTime();
            other.stop();
            assertFalse(other.join(), "the stuck computation is named as left behind");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 1 + 10, "stopped in " + seconds + " s");
        } finally {
            release.countDown();
            holder.join();
            other.stop();
        }
    }

    private static void waitFor(String metric) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!get("metrics").raw().body().contains("\n" + metric + "\n")) {
            if (System.nanoTime() > end) throw new AssertionError("metrics never showed " + metric);
            Thread.sleep(10);
        }
    }

    /** A port that is taken and a host that is not this machine's are told apart: each names the flag to change. */
    @Test
    void aPlaceThatCannotBeListenedOnNamesWhatToChange() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Trm4jException inUse = assertThrows(Trm4jException.class, () -> Service.start(model, Service.Settings.defaults().on("127.0.0.1", taken.getLocalPort())));
            assertTrue(inUse.getMessage().endsWith("is it in use? choose another --port"), inUse.getMessage());
        }
        for (String host : List.of("256.1.1.1", "192.0.2.1")) {   // not an address at all; an address (TEST-NET-1) that is not this machine's
            Trm4jException away = assertThrows(Trm4jException.class, () -> Service.start(model, Service.Settings.defaults().on(host, 0)));
            assertTrue(away.getMessage().startsWith("cannot listen on " + host + ":0 (") && away.getMessage().contains("is " + host
                    + " an address of this machine? choose another --host"), away.getMessage());
        }
    }

    /** The page, as a browser gets it: every script and style from this server. */
    @Test
    void thePageNeedsNothingFromElsewhere() throws Exception {
        for (String f : new String[] {"", "page.js", "page.css"}) {
            String body = get(f).raw().body();
            assertTrue(!body.contains("http://") && !body.contains("https://") && !body.contains("//cdn"), f);
        }
        assertTrue(Arrays.asList(get("").raw().body().split("\"")).contains("page.css"));
    }

    /** A thread that holds the model: an evaluation that, at its first progress, says so ({@code held}) and waits for {@code release}. */
    private static Thread holdTheModel(CountDownLatch held, CountDownLatch release) {
        Thread holder = new Thread(() -> model.evaluate(EvalOptions.defaults().withProgress((done, total) -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })));
        holder.start();
        return holder;
    }
}
