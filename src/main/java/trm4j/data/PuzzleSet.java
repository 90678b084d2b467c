package trm4j.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.Outputs;
import trm4j.config.Json;

/**
 * A generated puzzle dataset of one {@link PuzzleKind}: token sequences of equal length, input and
 * label, every puzzle id 0. On disk: magic {@code TRM4JSET}, a little-endian int header length, a
 * JSON header (kind, rows, cols, vocab, count, seed), then the inputs and the labels as bytes.
 * The same content gives the same bytes.
 */
public record PuzzleSet(PuzzleKind<?> kind, int rows, int cols, int vocab, long seed, byte[][] inputs, byte[][] labels) {
    private static final byte[] MAGIC = "TRM4JSET".getBytes(StandardCharsets.US_ASCII);

    public static PuzzleSet of(PuzzleKind<?> kind, int rows, int cols, int vocab, long seed, List<byte[]> in, List<byte[]> out) {
        return new PuzzleSet(kind, rows, cols, vocab, seed, in.toArray(new byte[0][]), out.toArray(new byte[0][]));
    }

    public int seqLen() {
        return rows * cols;
    }

    public int size() {
        return inputs.length;
    }

    public void write(Path file) throws IOException {
        ObjectNode h = Json.MAPPER.createObjectNode();
        h.put("kind", kind.name()).put("rows", rows).put("cols", cols).put("vocab", vocab).put("count", size()).put("seed", seed);
        byte[] header = Json.MAPPER.writeValueAsBytes(h);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length + 2 * size() * seqLen()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(header.length).put(header);
        for (byte[] x : inputs) b.put(x);
        for (byte[] y : labels) b.put(y);
        Outputs.writeAtomically(file, b.array());
    }

    /** Its size and kind, then its first {@code count} puzzles, each board beside its answer in the values the API and the service take. */
    public String text(int count) {
        StringBuilder b = new StringBuilder(String.format("%d %s puzzles, %dx%d; values: %s ('.' shows 0)%n", size(), kind.name(), rows, cols, kind.description(rows)));
        for (int k = 0; k < Math.min(count, size()); k++)
            b.append(String.format("%npuzzle %d:%n", k + 1))
                    .append(Boards.sideBySide(List.of("board", "answer"), List.of(Boards.decode(kind, inputs[k], rows, cols), Boards.decode(kind, labels[k], rows, cols))));
        return b.toString();
    }

    /** Whether a file begins as a puzzle set does (a regular file whose first bytes are the set's mark). */
    public static boolean looksLike(Path file) {
        if (!Files.isRegularFile(file)) return false;
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads a set; every count in its header is checked against the file's size before anything is allocated. */
    public static PuzzleSet read(Path file) {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
            long size = Files.size(file);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) throw new DataError(file + ": not a trm4j puzzle set (bad magic)");
            int len = Integer.reverseBytes(in.readInt());
            if (len <= 0 || len > 1 << 20 || MAGIC.length + 4L + len > size) throw new DataError(file + ": header length " + len + " is invalid");
            JsonNode h = Json.MAPPER.readTree(in.readNBytes(len));
            if (h == null || !h.isObject()) throw new DataError(file + ": header is not a JSON object");
            PuzzleKind<?> kind = PuzzleKinds.of(text(h, "kind", file), file + ": header.kind");
            int rows = num(h, "rows", file), cols = num(h, "cols", file), vocab = num(h, "vocab", file), count = num(h, "count", file);
            if (rows < 1 || cols < 1 || rows > 64 || cols > 64) throw new DataError(file + ": header: a " + rows + "x" + cols + " board is not 1..64 on a side");
            if (vocab < 2 || vocab > 127) throw new DataError(file + ": header.vocab " + vocab + ": must be in 2..127");
            long body = size - MAGIC.length - 4 - len, needed = 2L * count * rows * cols;
            if (needed != body)
                throw new DataError(file + ": header.count " + count + " needs " + needed + " bytes of puzzles, the file has " + body
                        + (needed > body ? " (truncated?)" : " (trailing bytes)"));
            long seed = h.path("seed").asLong();
            byte[][] inputs = new byte[count][], labels = new byte[count][];
            for (byte[][] part : new byte[][][] {inputs, labels})
                for (int i = 0; i < count; i++) {
                    part[i] = in.readNBytes(rows * cols);
                    if (part[i].length != rows * cols) throw new DataError(file + ": truncated after " + i + " puzzles");
                    for (byte t : part[i]) if (t < 0 || t >= vocab) throw new DataError(file + ": token " + t + " outside the vocabulary of " + vocab);
                }
            return new PuzzleSet(kind, rows, cols, vocab, seed, inputs, labels);
        } catch (NoSuchFileException e) {
            throw new DataError(file + ": no such file");
        } catch (EOFException e) {
            throw new DataError(file + ": truncated");
        } catch (JsonProcessingException e) {
            throw new DataError(Json.notValid(file + ": header", e));
        } catch (IOException e) {
            throw new DataError(file + ": cannot read: " + e.getMessage());
        }
    }

    private static String text(JsonNode h, String k, Path f) {
        if (!h.path(k).isTextual()) throw new DataError(f + ": header." + k + ": missing");
        return h.get(k).asText();
    }

    private static int num(JsonNode h, String k, Path f) {
        if (!h.path(k).canConvertToInt() || h.get(k).asInt() < 0) throw new DataError(f + ": header." + k + ": missing or negative");
        return h.get(k).asInt();
    }
}
