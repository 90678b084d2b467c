package trm4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.DidYouMean;
import trm4j.Outputs;
import trm4j.config.Json;

/**
 * The public ARC sets, downloaded as GitHub archives at pinned commits and checked file by file
 * against pinned SHA-256 sums ({@code resources/trm4j/datasets}). The archive downloads into
 * {@code TO/.download/} and resumes there after an interruption; the set is unpacked beside its
 * final place and moved there only once every file matched, so {@code TO/NAME} is either
 * absent or complete. A mirror ({@code --mirror URL}, or TRM4J_DATA_MIRROR) serves the same paths
 * as codeload.github.com: {@code URL/OWNER/REPO/zip/COMMIT}. Offline, {@link #install} takes the
 * same archive, or the set's files, from a copy at hand.
 */
public final class Downloads {
    public static final String DEFAULT_HOST = "https://codeload.github.com", MIRROR_VARIABLE = "TRM4J_DATA_MIRROR";

    /** A pinned set: its repository, commit, the archive folder its files come from, and their sums by path. */
    public record Source(String name, String repo, String commit, String from, Map<String, String> sha256) {
        public String url(String host) {
            return host.replaceAll("/+$", "") + "/" + repo + "/zip/" + commit;
        }
    }

    /** What happened: the set's folder, its file count, and whether it was already there. */
    public record Outcome(Path folder, int files, boolean alreadyThere) {}

    private Downloads() {}

    /** What a download tells as it goes: {@code done} of {@code total} {@code unit} (total 0: unknown). */
    public interface Progress {
        void at(String what, long done, long total, String unit);
    }

    /**
     * Set {@code name} in {@code to} ({@code field} names the folder in errors): downloaded from {@code mirror}
     * (null: $TRM4J_DATA_MIRROR, else GitHub), or from {@code from}, a copy at hand. A failed first try leaves
     * no empty folder. Returns the line that tells what happened.
     */
    public static String get(String name, Path to, String field, String mirror, Path from, Progress bars) throws IOException {
        Source source = source(name);
        Path made = Outputs.missingTop(to);
        String host = mirror != null ? mirror : System.getenv().getOrDefault(MIRROR_VARIABLE, DEFAULT_HOST);
        LongConsumer checked = n -> bars.at("check " + name, n, source.sha256().size(), "files");
        Outcome o;
        try {
            Outputs.madeFolder(to, field);
            o = from != null ? install(source, from, to, checked) : fetch(source, to, host, n -> bars.at("download " + name, n, 0, "bytes"), checked);
        } catch (IOException | RuntimeException e) {
            Outputs.removeEmpty(to, made);
            throw e;
        }
        return String.format("%s: %d files %s %s@%s in %s", name, o.files(), o.alreadyThere() ? "already there, matching"
                : from != null ? "from " + from + ", matching" : "downloaded from", source.repo(), source.commit().substring(0, 7), o.folder());
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>();
        sources().fieldNames().forEachRemaining(n -> { if (!n.startsWith("_")) names.add(n); });
        return names;
    }

    public static Source source(String name) {
        JsonNode s = sources().get(name);
        if (s == null || name.startsWith("_"))
            throw new DataError("unknown dataset '" + name + "'" + DidYouMean.of(name, names()) + " (known: " + String.join(", ", names()) + "; Sudoku-Extreme and "
                    + "Maze-30x30-hard are not pinned: the model hub was out of reach when these sums were taken)");
        Map<String, String> sums = new LinkedHashMap<>();
        try (InputStream in = Downloads.class.getResourceAsStream("/trm4j/datasets/" + name + ".sha256.gz");
             BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) sums.put(line.substring(66), line.substring(0, 64));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Source(name, s.get("repo").asText(), s.get("commit").asText(), s.get("from").asText(), sums);
    }

    private static JsonNode sources() {
        try (InputStream in = Downloads.class.getResourceAsStream("/trm4j/datasets/sources.json")) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Downloads (or finds) a set under {@code to}.
     *
     * @param host     codeload.github.com or a mirror of it
     * @param progress bytes downloaded so far, then files checked
     */
    public static Outcome fetch(Source s, Path to, String host, LongConsumer progress, LongConsumer checked) throws IOException {
        if (!host.startsWith("http://") && !host.startsWith("https://"))
            throw new DataError("--mirror " + host + ": must be an http:// or https:// address");
        Path folder = to.resolve(s.name());
        if (Files.isDirectory(folder)) return alreadyThere(s, folder);
        Path cache = Files.createDirectories(to.resolve(".download"));
        Path zip = cache.resolve(s.name() + "-" + s.commit() + ".zip"), part = cache.resolve(zip.getFileName() + ".part");
        if (!Files.exists(zip)) {
            try {
                download(s.url(host), part, progress, STALL_WINDOW_NANOS);
            } catch (DataError e) {
                // Bytes that arrived are kept for the next try to continue; a download that got nothing leaves nothing.
                if (Files.exists(part) && Files.size(part) == 0) Files.delete(part);
                try (Stream<Path> left = Files.list(cache)) {
                    if (left.findAny().isEmpty()) Files.delete(cache);
                }
                throw e;
            }
            Files.move(part, zip, StandardCopyOption.ATOMIC_MOVE);
        }
        Path partial = to.resolve("." + s.name() + ".partial");
        deleteTree(partial);
        try {
            unpack(s, zip, partial, checked);
        } catch (DataError e) {
            deleteTree(partial);
            Files.delete(zip);   // the next try downloads it anew
            throw e;
        }
        Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(zip);
        return new Outcome(folder, s.sha256().size(), false);
    }

    /** Appends to {@code part} from where it ends (an HTTP range request), so an interrupted download continues. */
    static void download(String url, Path part, LongConsumer progress, long stallWindowNanos) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(20_000);
            c.setReadTimeout(60_000);
            if (have > 0) c.setRequestProperty("Range", "bytes=" + have + "-");
            int status = c.getResponseCode();
            if (status == 416 && have > 0) return;   // the part is already whole
            if (status != 200 && status != 206) throw new DataError("cannot download " + url + ": HTTP " + status);
            if (status == 200) have = 0;   // no range support: start over
        } catch (UnknownHostException | ConnectException | SocketTimeoutException e) {
            String why = e instanceof UnknownHostException ? "unknown host " + e.getMessage() : e.getMessage();
            throw new DataError("cannot download " + url + ": " + why + " (offline? --from FILE.zip takes that archive fetched elsewhere, "
                    + "--from FOLDER a copy of the set; --mirror URL or " + MIRROR_VARIABLE + " names a copy of " + DEFAULT_HOST + ")");
        } catch (ProtocolException | IllegalArgumentException e) {   // a redirect loop, a malformed address
            throw new DataError("cannot download " + url + ": " + e.getMessage());
        }
        StandardOpenOption mode = have > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        long expected = c.getContentLengthLong(), received = 0;   // -1: not told (a chunked answer)
        String broken = null;
        try (InputStream in = c.getInputStream();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            byte[] buffer = new byte[1 << 16];
            long windowStart = System.nanoTime(), windowBytes = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                received += n;
                windowBytes += n;
                progress.accept(have + received);
                // A server that trickles keeps every read within its timeout: below a floor of bytes/s over a window, stop.
                if (System.nanoTime() - windowStart > stallWindowNanos) {
                    if (windowBytes < STALL_FLOOR_BYTES_PER_S * stallWindowNanos / 1_000_000_000L) {
                        broken = "stalled: " + windowBytes + " bytes in " + stallWindowNanos / 1_000_000 + " ms";
                        break;
                    }
                    windowStart = System.nanoTime();
                    windowBytes = 0;
                }
            }
        } catch (IOException e) {
            broken = e.getMessage();
        }
        // A connection that drops can also look like an early end: the length the server announced tells.
        if (broken == null && expected >= 0 && received != expected) broken = received + " of " + expected + " bytes arrived";
        if (broken != null)
            throw new DataError("the download of " + url + " broke off after " + Files.size(part) + " bytes (" + broken
                    + "); run the command again to continue it");
    }

    /**
     * The set from a copy at hand, for a machine that cannot reach GitHub: the archive {@link Source#url} serves (or
     * any zip holding the set's files), or a folder holding them (a clone of the repository, or the set's own
     * folder). Every file is checked against its pinned sum, as a download's are; {@code TO/NAME} appears only
     * once all matched.
     */
    public static Outcome install(Source s, Path from, Path to, LongConsumer checked) throws IOException {
        Path folder = to.resolve(s.name());
        if (Files.isDirectory(folder)) return alreadyThere(s, folder);
        if (!Files.exists(from)) throw new DataError("--from " + from + ": no such file or folder");
        Path partial = to.resolve("." + s.name() + ".partial");
        deleteTree(partial);
        try {
            if (Files.isDirectory(from)) copy(s, from, partial, checked);
            else unpack(s, from, partial, checked);
        } catch (DataError | IOException e) {
            deleteTree(partial);
            throw e;
        }
        Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
        return new Outcome(folder, s.sha256().size(), false);
    }

    private static Outcome alreadyThere(Source s, Path folder) throws IOException {
        String bad = firstMismatch(s, folder);
        if (bad != null)
            throw new DataError(folder + " exists and differs from the pinned " + s.repo() + "@" + s.commit().substring(0, 7)
                    + " (" + bad + "): move it away to download it again");
        return new Outcome(folder, s.sha256().size(), true);
    }

    /**
     * Every pinned file from a zip into {@code into}, each checked against its sum; a missing or different file is one line.
     * The set's files lie under one folder of the archive (GitHub's REPO-COMMIT/ and the set's folder in the repository, or
     * any other): the one that holds them all.
     */
    static void unpack(Source s, Path zip, Path into, LongConsumer checked) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            String first = s.sha256().keySet().iterator().next();
            List<String> under = z.stream().map(ZipEntry::getName).filter(n -> n.equals(first) || n.endsWith("/" + first))
                    .map(n -> n.substring(0, n.length() - first.length())).toList();
            if (under.isEmpty())
                throw new DataError(zip + ": " + (z.size() == 0 ? "an empty archive" : "holds no " + s.from() + first + ": not an archive of " + s.repo()));
            String prefix = under.stream().filter(p -> s.sha256().keySet().stream().allMatch(k -> z.getEntry(p + k) != null)).findFirst().orElse(under.get(0));
            long n = 0;
            for (Map.Entry<String, String> f : s.sha256().entrySet()) {
                ZipEntry e = z.getEntry(prefix + f.getKey());
                if (e == null) throw new DataError(s.repo() + "@" + s.commit().substring(0, 7) + ": the archive has no " + prefix + f.getKey());
                try (InputStream in = z.getInputStream(e)) {
                    place(s, f, in.readNBytes(MAX_FILE_BYTES + 1), into);   // a pinned file is small: a bomb stops there
                }
                checked.accept(++n);
            }
        } catch (ZipException e) {
            throw new DataError(zip + ": not a whole zip archive (" + e.getMessage() + ")");
        }
    }

    /** Every pinned file from a folder (a clone of the repository, or the set's folder, or one that holds it) into {@code into}. */
    private static void copy(Source s, Path from, Path into, LongConsumer checked) throws IOException {
        String first = s.sha256().keySet().iterator().next();
        Path base = Stream.of(from, from.resolve(s.from()), from.resolve(s.name())).filter(b -> Files.isRegularFile(b.resolve(first))).findFirst()
                .orElseThrow(() -> new DataError("--from " + from + ": holds no " + first + " (nor " + s.from() + first + ", " + s.name() + "/" + first
                        + "): not a copy of " + s.name()));
        long n = 0;
        for (Map.Entry<String, String> f : s.sha256().entrySet()) {
            Path file = base.resolve(f.getKey());
            if (!Files.isRegularFile(file)) throw new DataError(file + ": missing from this copy of " + s.name());
            try (InputStream in = Files.newInputStream(file)) {
                place(s, f, in.readNBytes(MAX_FILE_BYTES + 1), into);
            }
            checked.accept(++n);
        }
    }

    /** One pinned file's bytes, checked against its sum, written under {@code into}. */
    private static void place(Source s, Map.Entry<String, String> f, byte[] bytes, Path into) throws IOException {
        String at = s.repo() + "@" + s.commit().substring(0, 7) + ": " + s.from() + f.getKey();
        if (bytes.length > MAX_FILE_BYTES)
            throw new DataError(at + " expands beyond " + (MAX_FILE_BYTES >> 20) + " MB: not the pinned file (a changed archive, a bad mirror or another copy)");
        if (!sha256(bytes).equals(f.getValue()))
            throw new DataError(at + " does not match its pinned SHA-256 (a changed archive, a bad mirror or another copy)");
        Path target = into.resolve(f.getKey());
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
    }

    /** The largest file a pinned set holds is 28 KB; any file beyond this is not the pinned one. */
    static final int MAX_FILE_BYTES = 4 << 20;
    /** A download below this rate over a window is stalled (it is resumable). */
    static final long STALL_FLOOR_BYTES_PER_S = 1024, STALL_WINDOW_NANOS = 60_000_000_000L;

    /** The first pinned file of a set's folder that is missing or different, or null when all match. */
    static String firstMismatch(Source s, Path folder) throws IOException {
        for (Map.Entry<String, String> f : s.sha256().entrySet()) {
            Path p = folder.resolve(f.getKey());
            if (!Files.isRegularFile(p)) return f.getKey() + " is missing";
            if (Files.size(p) > MAX_FILE_BYTES || !sha256(Files.readAllBytes(p)).equals(f.getValue())) return f.getKey() + " differs";
        }
        return null;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
