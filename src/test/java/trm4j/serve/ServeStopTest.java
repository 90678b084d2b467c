package trm4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.api.Training;
import trm4j.api.TrainingListener;
import trm4j.api.TrainingSpec;
import trm4j.data.ArcSampleTest;

/**
 * {@code trm4j serve} in a process of its own, stopped with SIGTERM while requests are in flight:
 * every one of them is answered, then the process exits 0.
 */
class ServeStopTest {
    @TempDir Path dir;

    @Test
    void sigtermFinishesTheRequestsInFlightThenExits() throws Exception {
        Path model = Training.prepare(TrainingSpec.of("dis-miniarc-cpu", dir.resolve("arc")).withOverrides(Map.of(
                "steps", "6", "batch", "8", "versions", "4", "eval_versions", "2")), TrainingListener.NONE).run().model();
        String task;
        try (var files = Files.list(ArcSampleTest.FOLDER.resolve("mini-arc/MiniARC"))) {
            task = Files.readString(files.sorted().findFirst().orElseThrow());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("serve.log");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "trm4j.cli.Main", "serve", "--checkpoint", model.toString(),
                "--port", "0", "--queue", "8").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI uri = null;
        Pattern at = Pattern.compile(" at (http://127\\.0\\.0\\.1:\\d+/)");
        for (long end = System.nanoTime() + 120_000_000_000L; uri == null && p.isAlive() && System.nanoTime() < end; Thread.sleep(50)) {
            Matcher m = at.matcher(Files.readString(log));
            if (m.find()) uri = URI.create(m.group(1));
        }
        assertTrue(uri != null, Files.readString(log));
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"task\": " + task + ", \"versions\": 64}";   // a second or so each
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++)
            inFlight.add(http.sendAsync(HttpRequest.newBuilder(uri.resolve("v1/solve")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        URI metrics = uri.resolve("metrics");
        long end = System.nanoTime() + 60_000_000_000L;
        while (!http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body().contains("\ntrm4j_queued 4\n")) {
            assertTrue(System.nanoTime() < end, "the requests never queued");
            Thread.sleep(10);
        }
        p.destroy();   // SIGTERM, with one request running and four waiting
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            HttpResponse<String> r = f.get(2, TimeUnit.MINUTES);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"attempts\""), r.body());
        }
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        String said = Files.readString(log);
        assertEquals(0, p.exitValue(), said);
        assertTrue(said.contains("stopping: the requests in flight finish first"), said);
        assertTrue(said.contains("trm4j: stopped"), said);
    }
}
