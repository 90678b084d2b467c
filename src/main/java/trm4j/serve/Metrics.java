package trm4j.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * What {@code GET /metrics} tells, in Prometheus's text format: requests and errors by route and
 * status, request latency as a histogram by route, and the work waiting.
 */
final class Metrics {
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Map<String, long[]> requests = new TreeMap<>();     // "route status" -> count
    private final Map<String, double[]> latency = new TreeMap<>();    // route -> bucket counts..., sum, count
    private final IntSupplier queued, running;

    Metrics(IntSupplier queued, IntSupplier running) {
        this.queued = queued;
        this.running = running;
    }

    synchronized void record(String route, int status, double seconds) {
        requests.computeIfAbsent(route + " " + status, k -> new long[1])[0]++;
        double[] h = latency.computeIfAbsent(route, k -> new double[BUCKETS.length + 2]);
        for (int i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h[i]++;
        h[BUCKETS.length] += seconds;
        h[BUCKETS.length + 1]++;
    }

    synchronized String text() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP trm4j_requests_total Requests answered, by route and HTTP status.\n# TYPE trm4j_requests_total counter\n");
        requests.forEach((k, v) -> b.append(line("trm4j_requests_total", k, v[0])));
        b.append("# HELP trm4j_errors_total Requests answered with a 4xx or 5xx status, by route and status.\n# TYPE trm4j_errors_total counter\n");
        requests.forEach((k, v) -> { if (Integer.parseInt(k.substring(k.indexOf(' ') + 1)) >= 400) b.append(line("trm4j_errors_total", k, v[0])); });
        b.append("# HELP trm4j_request_seconds Time from a request's arrival to its answer, by route.\n# TYPE trm4j_request_seconds histogram\n");
        latency.forEach((route, h) -> {
            for (int i = 0; i < BUCKETS.length; i++)
                b.append(String.format(Locale.ROOT, "trm4j_request_seconds_bucket{route=\"%s\",le=\"%s\"} %d%n", route, BUCKETS[i], (long) h[i]));
            b.append(String.format(Locale.ROOT, "trm4j_request_seconds_bucket{route=\"%s\",le=\"+Inf\"} %d%n", route, (long) h[BUCKETS.length + 1]));
            b.append(String.format(Locale.ROOT, "trm4j_request_seconds_sum{route=\"%s\"} %.6f%n", route, h[BUCKETS.length]));
            b.append(String.format(Locale.ROOT, "trm4j_request_seconds_count{route=\"%s\"} %d%n", route, (long) h[BUCKETS.length + 1]));
        });
        b.append("# HELP trm4j_queued Requests waiting for the model.\n# TYPE trm4j_queued gauge\ntrm4j_queued ").append(queued.getAsInt()).append('\n');
        b.append("# HELP trm4j_running Requests the model is answering.\n# TYPE trm4j_running gauge\ntrm4j_running ").append(running.getAsInt()).append('\n');
        return b.toString();
    }

    private static String line(String name, String routeAndStatus, long v) {
        int space = routeAndStatus.indexOf(' ');
        return name + "{route=\"" + routeAndStatus.substring(0, space) + "\",status=\"" + routeAndStatus.substring(space + 1) + "\"} " + v + "\n";
    }
}
