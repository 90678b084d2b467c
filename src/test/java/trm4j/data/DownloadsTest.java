package trm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * `data download` against a local HTTP server that serves a GitHub-style archive of Mini-ARC: no
 * network in tests. The archive holds the sample's Mini-ARC files (resources/trm4j/arc-sample),
 * checked against their pinned sums: the pinned set cut down to the files the sample has.
 */
class DownloadsTest {
    private static final Path COPY = ArcSampleTest.FOLDER.resolve("mini-arc");
    private static final Downloads.Source SOURCE = sampled(Downloads.source("mini-arc"));

    /** A pinned set reduced to the files the sample holds, each with its pinned sum. */
    static Downloads.Source sampled(Downloads.Source s) {
        Map<String, String> sums = new LinkedHashMap<>();
        s.sha256().forEach((f, sum) -> { if (Files.isRegularFile(ArcSampleTest.FOLDER.resolve(s.name()).resolve(f))) sums.put(f, sum); });
        return new Downloads.Source(s.name(), s.repo(), s.commit(), s.from(), sums);
    }

    /** The archive codeload.github.com serves: every file under REPO-COMMIT/, the set under its data/ folder; one file changed if asked. */
    private static byte[] archive(String changed) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            String root = "MINI-ARC-792d082c40d496f2f106f63fa7125bb115c8230b/";   // codeload's layout: REPO-COMMIT/
            z.putNextEntry(new ZipEntry(root + "README.md"));
            z.write("not part of the set".getBytes());
            for (String f : SOURCE.sha256().keySet()) {
                z.putNextEntry(new ZipEntry(root + SOURCE.from() + f));
                byte[] content = Files.readAllBytes(COPY.resolve(f));
                if (f.equals(changed)) content[content.length - 2] ^= 1;
                z.write(content);
            }
        }
        return bytes.toByteArray();
    }

    /** Serves an archive at codeload's path; the first response breaks off after {@code cutAt} bytes when positive. */
    private static final class Server implements AutoCloseable {
        final HttpServer http;
        final List<String> ranges = new ArrayList<>();

        Server(byte[] zip, int cutAt) throws Exception {
            this(zip, cutAt, 0);
        }

        Server(byte[] zip, int cutAt, int port) throws Exception {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            http.createContext("/KSB21ST/MINI-ARC/zip/792d082c40d496f2f106f63fa7125bb115c8230b", ex -> {
                String range = ex.getRequestHeaders().getFirst("Range");
                ranges.add(String.valueOf(range));
                int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                ex.getResponseHeaders().add("Content-Type", "application/zip");
                ex.sendResponseHeaders(range == null ? 200 : 206, zip.length - from);
                boolean cut = cutAt > 0 && ranges.size() == 1;
                OutputStream out = ex.getResponseBody();
                try {
                    out.write(zip, from, cut ? cutAt : zip.length - from);
                    out.flush();
                    if (cut) ex.getHttpContext().getServer().stop(0);   // the connection drops mid-body
                    else out.close();
                } catch (IOException ignored) {
                    // the client went away
                }
            });
            http.start();
        }

        String host() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        @Override public void close() {
            http.stop(0);
        }
    }

    private static Downloads.Outcome fetch(Path to, String host) throws Exception {
        return Downloads.fetch(SOURCE, to, host, n -> {}, n -> {});
    }

    @Test
    void theSetArrivesWholeAndMatchesTheCopyItWasPinnedFrom(@TempDir Path to) throws Exception {
        try (Server s = new Server(archive(null), 0)) {
            Downloads.Outcome o = fetch(to, s.host());
            assertEquals(48, o.files(), "the sample's Mini-ARC tasks");
            assertFalse(o.alreadyThere());
        }
        for (String f : SOURCE.sha256().keySet()) assertArrayEquals(Files.readAllBytes(COPY.resolve(f)), Files.readAllBytes(to.resolve("mini-arc").resolve(f)), f);
        assertFalse(Files.exists(to.resolve("mini-arc/README.md")), "only the set's files");
        assertFalse(Files.exists(to.resolve(".mini-arc.partial")));
        try (var cache = Files.list(to.resolve(".download"))) {
            assertEquals(0, cache.count(), "the archive is removed once the set is in place");
        }
        assertTrue(fetch(to, "http://127.0.0.1:9").alreadyThere(), "a set already in place is checked, not downloaded");
    }

    @Test
    void aBrokenDownloadContinuesWhereItStopped(@TempDir Path to) throws Exception {
        byte[] zip = archive(null);
        int port;
        try (Server s = new Server(zip, zip.length / 3)) {
            port = s.http.getAddress().getPort();
            DataError e = assertThrows(DataError.class, () -> fetch(to, s.host()));
            assertTrue(e.getMessage().contains("broke off") && !e.getMessage().contains("\n"), e.getMessage());
            assertFalse(Files.exists(to.resolve("mini-arc")));
        }
        try (Server s = new Server(zip, 0, port)) {
            fetch(to, s.host());
            assertEquals(List.of("bytes=" + zip.length / 3 + "-"), s.ranges, "the second try asks for the rest only");
        }
        assertNull(Downloads.firstMismatch(SOURCE, to.resolve("mini-arc")));
    }

    @Test
    void aFileThatDiffersFromItsSumIsNamedAndNothingIsPlaced(@TempDir Path to) throws Exception {
        String victim = SOURCE.sha256().keySet().stream().skip(7).findFirst().orElseThrow();
        try (Server s = new Server(archive(victim), 0)) {
            DataError e = assertThrows(DataError.class, () -> fetch(to, s.host()));
            assertTrue(e.getMessage().contains(victim) && e.getMessage().contains("SHA-256"), e.getMessage());
        }
        assertFalse(Files.exists(to.resolve("mini-arc")));
        assertFalse(Files.exists(to.resolve(".mini-arc.partial")));
    }

    /**
     * The addresses, written out by hand. The pins themselves (commits, folders, every file's sum) were checked
     * against clones of the five repositories with src/test/resources/trm4j/datasets/check_pins.py.
     */
    @Test
    void theAddressesAreCodeloadsForThePinnedCommits() {
        assertEquals("https://codeload.github.com/KSB21ST/MINI-ARC/zip/792d082c40d496f2f106f63fa7125bb115c8230b", SOURCE.url(Downloads.DEFAULT_HOST));
        assertEquals("https://codeload.github.com/fchollet/ARC-AGI/zip/399030444e0ab0cc8b4e199870fb20b863846f34",
                Downloads.source("arc-agi-1").url(Downloads.DEFAULT_HOST));
        assertEquals("data/", SOURCE.from());
    }

    /** A server that answers with a status, a redirect to itself, or a trickle. */
    private static HttpServer hostile(String kind) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            switch (kind) {
                case "loop" -> {
                    ex.getResponseHeaders().add("Location", ex.getRequestURI().toString());
                    ex.sendResponseHeaders(302, -1);
                }
                case "416" -> ex.sendResponseHeaders(416, -1);
                default -> {   // a trickle: a byte every 200 ms
                    ex.sendResponseHeaders(200, 1000);
                    try (OutputStream out = ex.getResponseBody()) {
                        for (int i = 0; i < 1000; i++) {
                            out.write(0);
                            out.flush();
                            Thread.sleep(200);
                        }
                    } catch (IOException | InterruptedException e) {
                        // the client gave up
                    }
                }
            }
            ex.close();
        });
        http.start();
        return http;
    }

    @Test
    void hostileServersAndAddressesAreOneLineEach(@TempDir Path to) throws Exception {
        for (String kind : new String[] {"loop", "416"}) {
            HttpServer http = hostile(kind);
            try {
                DataError e = assertThrows(DataError.class, () -> fetch(to, "http://127.0.0.1:" + http.getAddress().getPort()));
                assertTrue(e.getMessage().startsWith("cannot download ") && !e.getMessage().contains("\n"), kind + ": " + e.getMessage());
            } finally {
                http.stop(0);
            }
        }
        for (String mirror : new String[] {"file:///etc", "127.0.0.1:8080", "ftp://example.org"}) {
            DataError e = assertThrows(DataError.class, () -> fetch(to, mirror));
            assertEquals("--mirror " + mirror + ": must be an http:// or https:// address", e.getMessage());
        }
        HttpServer trickle = hostile("trickle");
        try {
            Path part = to.resolve("x.part");
            DataError e = assertThrows(DataError.class, () -> Downloads.download("http://127.0.0.1:" + trickle.getAddress().getPort() + "/x", part,
                    n -> {}, 2_000_000_000L));
            assertTrue(e.getMessage().contains("stalled") && e.getMessage().contains("run the command again"), e.getMessage());
        } finally {
            trickle.stop(0);
        }
    }

    @Test
    void offlineIsOneLineThatNamesBothWaysRoundAndLeavesNothing(@TempDir Path to) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String host = "http://127.0.0.1:" + port;
        DataError e = assertThrows(DataError.class, () -> fetch(to, host));
        assertTrue(e.getMessage().startsWith("cannot download " + host) && e.getMessage().contains("--mirror") && e.getMessage().contains("--from FILE.zip")
                && !e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(to.resolve(".download")), "nothing arrived: nothing to resume is kept");
        assertThrows(DataError.class, () -> Downloads.source("sudoku-extreme"));
    }

    /** Offline, the set comes from a copy at hand: the archive the download would fetch, or a folder; checked as a download is. */
    @Test
    void aLocalArchiveOrFolderInstallsTheSetCheckedFileByFile(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("MINI-ARC-792d082.zip");
        Files.write(zip, archive(null));
        Path a = dir.resolve("a");
        Downloads.Outcome o = Downloads.install(SOURCE, zip, a, n -> {});
        assertEquals(48, o.files());
        assertFalse(o.alreadyThere());
        assertTrue(Files.exists(zip), "the user's archive is left as it was");
        assertNull(Downloads.firstMismatch(SOURCE, a.resolve("mini-arc")));
        assertTrue(Downloads.install(SOURCE, zip, a, n -> {}).alreadyThere());

        // The set's own folder, and a folder that holds it (as `data download` fills one).
        for (Path from : new Path[] {COPY, ArcSampleTest.FOLDER}) {
            Path to = Files.createTempDirectory(dir, "to");
            assertEquals(48, Downloads.install(SOURCE, from, to, n -> {}).files(), from.toString());
            for (String f : SOURCE.sha256().keySet()) assertArrayEquals(Files.readAllBytes(COPY.resolve(f)), Files.readAllBytes(to.resolve("mini-arc").resolve(f)), f);
        }

        // A copy with a file changed is named in one line, and nothing is placed.
        Path changed = dir.resolve("changed");
        String victim = SOURCE.sha256().keySet().stream().skip(3).findFirst().orElseThrow();
        for (String f : SOURCE.sha256().keySet()) {
            Path target = changed.resolve(f);
            Files.createDirectories(target.getParent());
            byte[] content = Files.readAllBytes(COPY.resolve(f));
            if (f.equals(victim)) content[content.length - 2] ^= 1;
            Files.write(target, content);
        }
        Path b = dir.resolve("b");
        DataError e = assertThrows(DataError.class, () -> Downloads.install(SOURCE, changed, b, n -> {}));
        assertTrue(e.getMessage().contains(victim) && e.getMessage().contains("SHA-256") && !e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(b.resolve("mini-arc")));
        assertFalse(Files.exists(b.resolve(".mini-arc.partial")));
        DataError other = assertThrows(DataError.class, () -> Downloads.install(SOURCE, ArcSampleTest.FOLDER.resolve("arc-agi-1"), b, n -> {}));
        assertTrue(other.getMessage().contains("not a copy of mini-arc"), other.getMessage());
    }

    /**
     * The pins themselves, against values that do not come from them: the SHA-256 of each set's whole pin list (any pin
     * changed by one byte fails), and one file's pin per set against `sha256sum` of that file in a snapshot of its
     * repository at the pinned commit (../shared/data, recorded here when the pins were checked).
     */
    @Test
    void thePinsAreTheOnesCheckedAgainstTheRepositories() throws Exception {
        Map<String, String> lists = Map.of(
                "arc-agi-1", "76e2360f6673093730676345fd3db8bf289be3f58179c002980a4e91ae0d9cda",
                "arc-agi-2", "5e51fe17099b903d30ebe55761785e52f2afc0fa6663aea33010c1b0988ccff3",
                "conceptarc", "e8196ecf155cbaec6493be1d8314d7839dbccf5fea172c37eb93520a0aa8e802",
                "mini-arc", "17f98fb023856450acc8aaa2199ce338b118ecd1cdac19230b57b9e38bb57b5d",
                "1d-arc", "55397a87be51e8e49e0b2e2b572d25a1f4159d3cd2971ea477274f29a15b1c30");
        for (var e : lists.entrySet()) {
            try (var in = new java.util.zip.GZIPInputStream(Downloads.class.getResourceAsStream("/trm4j/datasets/" + e.getKey() + ".sha256.gz"))) {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
                assertEquals(e.getValue(), java.util.HexFormat.of().formatHex(digest), e.getKey() + ": its pin list");
            }
        }
        String[][] files = {
                {"arc-agi-1", "evaluation/0692e18c.json", "47f2a4608b1a93db9cee8ecf7aa0066f8ca2b22eb0d4779a1e139f4f182b91df"},
                {"arc-agi-2", "training/017c7c7b.json", "29f11661862ea0556201b2ab46f8f67e0c80ce2ea118e7c21183d4964bb282c2"},
                {"conceptarc", "MinimalTasks/ExtendToBoundaryMinimal.json", "f8b4c647c60777f5a83abca07ada1604e4fa02777b8f203c6dbd3673fe6a3db0"},
                {"mini-arc", "MiniARC/Bouncing_Ball_l6acvhhkgcbt8hvve8b.json", "288aacbf854cdf959ac3fbba2ac8007525e16705c37f99a6a52a369727d6a4ac"},
                {"1d-arc", "dataset/1d_denoising_1c/1d_denoising_1c_14.json", "088ae394477f693a6fee6ce8cd8883f72bedffd504f97fe009a37faf7f0365bb"}};
        for (String[] f : files) assertEquals(f[2], Downloads.source(f[0]).sha256().get(f[1]), f[0] + " " + f[1]);
    }
}
