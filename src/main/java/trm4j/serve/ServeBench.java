package trm4j.serve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.UserError;
import trm4j.api.ArcTask;
import trm4j.api.Model;
import trm4j.api.TaskKind;
import trm4j.bench.Machine;
import trm4j.engine.Device;

/**
 * {@code trm4j bench serve}: the same solve requests made in-process through the API and over HTTP
 * to a service on this machine, by 1 and by N clients at once: requests per second and the
 * latency percentiles, so that what HTTP adds shows as a ratio.
 */
public final class ServeBench {
    /** One way of asking, with some clients: throughput and latency percentiles in milliseconds. */
    public record Row(String path, int clients, int requests, double perSecond, double p50, double p99) {}

    private static final int HTTP_WARMUP = 5000;

    private ServeBench() {}

    /**
     * The lines printed for the model in {@code checkpoint}: every row, then what HTTP adds to the in-process call at
     * each number of clients. An ARC model is asked {@code taskFile} over 8 versions; a puzzle model, one puzzle it generates.
     */
    public static String report(Path checkpoint, Path taskFile, int[] clients, int requests) throws Exception {
        if (requests < 10) throw new UserError("--requests " + requests + ": at least 10");
        for (int c : clients) if (c < 1 || c > 256) throw new UserError("--clients " + c + ": must be in 1..256");
        try (Model model = Model.load(checkpoint)) {
            boolean arc = model.kind() == TaskKind.ARC;
            if (arc && taskFile == null) throw new UserError("--task: an ARC model needs a task to answer");
            if (!arc && taskFile != null)
                throw new UserError("--task: for an ARC model; " + checkpoint + " answers " + model.kind().name().toLowerCase() + " puzzles, and is asked one it generates");
            ArcTask task = arc ? ArcTask.read(taskFile) : null;
            StringBuilder b = new StringBuilder(Machine.header(Device.CPU)).append(String.format("serve: %s (%s %s model)%s, %d requests per row%n",
                    checkpoint, model.method(), model.kind().name().toLowerCase(), arc ? ", task " + task.id() + " over 8 versions" : ", one generated puzzle", requests));
            return b.append(table(run(model, task, clients, requests))).toString();
        }
    }

    private static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        for (Row r : rows)
            b.append(String.format("%-4s %3d clients: %8.1f requests/s  p50 %8.2f ms  p99 %8.2f ms%n", r.path(), r.clients(), r.perSecond(), r.p50(), r.p99()));
        for (int i = 0; i + 1 < rows.size(); i += 2)
            b.append(String.format("%d clients: HTTP adds %+.1f%% at p50, %+.1f%% to the time per request%n", rows.get(i).clients(),
                    100 * (rows.get(i + 1).p50() / rows.get(i).p50() - 1), 100 * (rows.get(i).perSecond() / rows.get(i + 1).perSecond() - 1)));
        return b.toString();
    }

    /** @param task the ARC task to ask an ARC model (null for a puzzle model: a puzzle it generates) */
    public static List<Row> run(Model model, ArcTask task, int[] clients, int requests) throws Exception {
        String body;
        Runnable direct;
        if (task != null) {
            var json = (ObjectNode) Answers.JSON.valueToTree(task);
            json.remove("id");
            body = "{\"task\": " + Answers.JSON.writeValueAsString(json) + ", \"id\": \"" + task.id() + "\", \"versions\": 8}";
            direct = () -> model.solve(task, 8, 1.0);
        } else {
            int[][] board = model.samplePuzzle(1).board();
            body = "{\"grid\": " + Answers.JSON.writeValueAsString(board) + "}";
            direct = () -> model.solve(board);
        }
        List<Row> rows = new ArrayList<>();
        try (Service service = Service.start(model, Service.Settings.defaults().on("127.0.0.1", 0).withQueue(256).withTimeout(Duration.ofMinutes(10)))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI solve = service.uri().resolve("v1/solve");
            Runnable overHttp = () -> {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(solve).POST(HttpRequest.BodyPublishers.ofString(body))
                            .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            // Warm both paths. HTTP's Java code (Jetty, the client, JSON) runs interpreted until the JIT has seen
            // thousands of requests: cheap ones warm it, or a short run would time the interpreter (bench/README.md).
            HttpRequest info = HttpRequest.newBuilder(service.uri().resolve("v1/model")).build();
            for (int i = 0; i < HTTP_WARMUP; i++) http.send(info, HttpResponse.BodyHandlers.ofString());
            for (int i = 0; i < Math.max(5, requests / 10); i++) { direct.run(); overHttp.run(); }
            for (int c : clients) {   // interleaved: the same machine state for both
                rows.add(measure("api", c, requests, () -> direct));
                rows.add(measure("http", c, requests, () -> overHttp));
            }
        }
        return rows;
    }

    private static Row measure(String path, int clients, int requests, Supplier<Runnable> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        double[] ms = new double[requests];
        long t0 = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int k = i;
                done.add(pool.submit(() -> {
                    long s = System.nanoTime();
                    call.get().run();
                    ms[k] = (System.nanoTime() - s) / 1e6;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(ms);
        return new Row(path, clients, requests, requests / seconds, ms[requests / 2], ms[Math.min(requests - 1, (int) Math.ceil(requests * 0.99) - 1)]);
    }
}
