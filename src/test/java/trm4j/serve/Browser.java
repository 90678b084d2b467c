package trm4j.serve;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real browser for tests: Debian's chromium, headless, driven through chromedriver's W3C
 * WebDriver protocol (plain HTTP and JSON, so no client library is needed).
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium"), DRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Process driver;
    private final URI session;
    private final Path profile;

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    }

    /** Starts chromedriver and a headless chromium with a fresh profile of its own. */
    Browser() throws Exception {
        this.profile = Files.createTempDirectory("trm4j-chromium");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        driver = new ProcessBuilder(DRIVER.toString(), "--port=" + port).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        long end = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                if (call("GET", base.resolve("status"), null).path("value").path("ready").asBoolean()) break;
            } catch (IOException e) {
                // not up yet
            }
            if (System.nanoTime() > end) throw new IllegalStateException("chromedriver did not start");
            Thread.sleep(100);
        }
        List<String> args = List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profile);
        JsonNode created = call("POST", base.resolve("session"), Map.of("capabilities", Map.of("alwaysMatch",
                Map.of("browserName", "chrome", "goog:chromeOptions", Map.of("binary", CHROMIUM.toString(), "args", args)))));
        String id = created.path("value").path("sessionId").asText();
        if (id.isEmpty()) throw new IllegalStateException("no session: " + created);
        session = base.resolve("session/" + id + "/");
    }

    void open(URI page) throws Exception {
        call("POST", session.resolve("url"), Map.of("url", page.toString()));
    }

    /** Runs JavaScript in the page and returns its value. */
    JsonNode script(String js, Object... args) throws Exception {
        return call("POST", session.resolve("execute/sync"), Map.of("script", js, "args", List.of(args))).path("value");
    }

    /** The element a CSS selector finds first: its WebDriver id. */
    String find(String css) throws Exception {
        JsonNode v = call("POST", session.resolve("element"), Map.of("using", "css selector", "value", css)).path("value");
        String id = v.path("element-6066-11e4-a52e-4f735466cecf").asText();
        if (id.isEmpty()) throw new AssertionError("no element " + css + ": " + v);
        return id;
    }

    void click(String css) throws Exception {
        call("POST", session.resolve("element/" + find(css) + "/click"), Map.of());
    }

    void type(String css, String keys) throws Exception {
        call("POST", session.resolve("element/" + find(css) + "/value"), Map.of("text", keys));
    }

    /** Empties an input, as a person selecting its text and deleting it would. */
    void clear(String css) throws Exception {
        call("POST", session.resolve("element/" + find(css) + "/clear"), Map.of());
    }

    /** Waits until a script returns true. */
    void waitFor(String js, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (!script("return " + js).asBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("the page never got to: " + js);
            Thread.sleep(50);
        }
    }

    void screenshot(Path png) throws Exception {
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(call("GET", session.resolve("screenshot"), null).path("value").asText()));
    }

    private static JsonNode call(String method, URI uri, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        if (method.equals("DELETE")) b.DELETE();
        else if (body == null) b.GET();
        else b.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).header("Content-Type", "application/json");
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n = JSON.readTree(r.body());
        if (r.statusCode() >= 400) throw new AssertionError("WebDriver " + method + " " + uri.getPath() + ": " + n.path("value").path("message").asText(r.body()));
        return n;
    }

    @Override public void close() throws Exception {
        try {
            call("DELETE", session, null);   // quits the browser
        } catch (Exception | AssertionError e) {
            // the browser ends below anyway
        }
        driver.descendants().forEach(ProcessHandle::destroyForcibly);
        driver.destroy();
        driver.waitFor();
        try (var files = Files.walk(profile)) {   // chromium may still be writing its profile: what is left, the OS's tmp cleaning takes
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
