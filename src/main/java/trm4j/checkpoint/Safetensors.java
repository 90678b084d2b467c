package trm4j.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.Outputs;
import trm4j.config.Json;
import trm4j.engine.Torch;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header
 * ({@code name -> {dtype, shape, data_offsets}} and optional {@code __metadata__} of strings), then the
 * raw little-endian tensor bytes. Reading validates everything before any tensor is built.
 */
public final class Safetensors {
    private static final long MAX_HEADER = 100L << 20;
    /** Elements a tensor may span (2^40): beyond any model, and far from the overflow of a byte count. */
    private static final long MAX_EXTENT = 1L << 40;

    /** A file's tensors (in file order) and metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private Safetensors() {}

    public static Contents read(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) throw bad(file, "not a regular file");   // a FIFO would block for ever
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw bad(file, "file has " + size + " bytes, too short for a safetensors header");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size)
                throw bad(file, "not a checkpoint: neither a safetensors file (its first 8 bytes give a header of " + headerLen + " bytes, the file has " + size
                        + ") nor a torch.save one (a zip archive)");
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = Json.MAPPER.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw bad(file, "header is not valid JSON");
            }
            if (header == null || !header.isObject()) throw bad(file, "header is not a JSON object");
            long dataStart = 8 + headerLen, dataLen = size - dataStart;

            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    if (!f.getValue().isObject()) throw bad(file, "__metadata__ is not an object");
                    for (Iterator<Map.Entry<String, JsonNode>> m = f.getValue().fields(); m.hasNext(); ) {
                        Map.Entry<String, JsonNode> kv = m.next();
                        if (!kv.getValue().isTextual()) throw bad(file, "__metadata__ " + kv.getKey() + ": not a string");
                        metadata.put(kv.getKey(), kv.getValue().asText());
                    }
                } else {
                    entries.add(Entry.parse(file, f.getKey(), f.getValue(), dataLen));
                }
            }
            // Offsets must tile the data section without gaps or overlaps.
            List<Entry> byOffset = new ArrayList<>(entries);
            byOffset.sort(Comparator.comparingLong(Entry::begin));
            long expected = 0;
            for (Entry e : byOffset) {
                if (e.begin() != expected) throw bad(file, "tensor " + e.name() + ": data_offsets overlap or leave a gap");
                expected = e.end();
            }
            if (expected != dataLen) throw bad(file, "data section has " + dataLen + " bytes, tensors cover " + expected + " (truncated or padded file)");

            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                try {
                    tensors.put(e.name(), e.load(ch, dataStart));
                } catch (RuntimeException x) {   // libtorch's refusal of what passed the checks above
                    throw CheckpointException.fromLibtorch(file + ": tensor " + e.name(), x);
                }
            }
            return new Contents(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": no such file");
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Writes atomically: a temporary file beside the target, fsync, then rename. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        List<Tensor> data = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue().detach().cpu().contiguous();
            ObjectNode n = header.putObject(e.getKey());
            n.put("dtype", Dtype.of(t.scalar_type().intern()).name());
            var shape = n.putArray("shape");
            for (long s : Torch.shape(t)) shape.add(s);
            n.putArray("data_offsets").add(offset).add(offset + t.nbytes());
            offset += t.nbytes();
            data.add(t);
        }
        byte[] hjson = Json.MAPPER.writeValueAsBytes(header);
        int padded = (hjson.length + 7) / 8 * 8;   // keep the data 8-byte aligned, as the reference writer does
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(hjson);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        Outputs.writeAtomically(file, head.remaining() + offset, ch -> {
            while (head.hasRemaining()) ch.write(head);
            for (Tensor t : data) {
                BytePointer p = new BytePointer(t.data_ptr());
                for (long done = 0, n = t.nbytes(); done < n; ) {
                    int chunk = (int) Math.min(n - done, 1 << 30);
                    ByteBuffer b = p.position(done).limit(done + chunk).asByteBuffer();
                    while (b.hasRemaining()) ch.write(b);
                    done += chunk;
                }
            }
        });
    }

    private enum Dtype {
        F64(ScalarType.Double, 8), F32(ScalarType.Float, 4), BF16(ScalarType.BFloat16, 2), F16(ScalarType.Half, 2),
        I64(ScalarType.Long, 8), I32(ScalarType.Int, 4), I16(ScalarType.Short, 2), I8(ScalarType.Char, 1),
        U8(ScalarType.Byte, 1), BOOL(ScalarType.Bool, 1);

        final ScalarType type;
        final int bytes;

        Dtype(ScalarType type, int bytes) {
            this.type = type;
            this.bytes = bytes;
        }

        static Dtype of(ScalarType t) {
            for (Dtype d : values()) if (d.type == t) return d;
            throw new IllegalArgumentException("no safetensors dtype for " + t);
        }
    }

    private record Entry(String name, Dtype dtype, long[] shape, long begin, long end) {
        static Entry parse(Path file, String name, JsonNode n, long dataLen) {
            String where = "tensor " + name;
            if (!n.isObject()) throw bad(file, where + ": not an object");
            Dtype dtype;
            try {
                dtype = Dtype.valueOf(n.path("dtype").asText());
            } catch (IllegalArgumentException e) {
                throw bad(file, where + ": unsupported dtype '" + n.path("dtype").asText() + "'");
            }
            JsonNode s = n.get("shape"), o = n.get("data_offsets");
            if (s == null || !s.isArray()) throw bad(file, where + ": no shape");
            if (o == null || !o.isArray() || o.size() != 2 || !o.get(0).canConvertToLong() || !o.get(1).canConvertToLong())
                throw bad(file, where + ": data_offsets must be two integers");
            if (s.size() > 8) throw bad(file, where + ": " + s.size() + " dimensions (at most 8)");
            long[] shape = new long[s.size()];
            long numel = 1, extent = 1;   // extent: the product of the non-zero sizes, which libtorch's strides must hold too
            for (int i = 0; i < shape.length; i++) {
                if (!s.get(i).isIntegralNumber() || !s.get(i).canConvertToLong() || s.get(i).asLong() < 0) throw bad(file, where + ": bad shape");
                shape[i] = s.get(i).asLong();
                long factor = Math.max(1, shape[i]);
                if (factor > MAX_EXTENT / extent)   // divided, not multiplied: the product is never formed when it could wrap
                    throw bad(file, where + ": shape " + Arrays.toString(shape) + " is larger than any tensor");
                extent *= factor;
                numel *= shape[i];   // at most extent
            }
            long begin = o.get(0).asLong(), end = o.get(1).asLong();
            if (begin < 0 || end < begin || end > dataLen)
                throw bad(file, where + ": data_offsets [" + begin + ", " + end + "] outside the data section of " + dataLen + " bytes (truncated file?)");
            if (end - begin != numel * dtype.bytes)
                throw bad(file, where + ": " + (end - begin) + " bytes for shape " + Arrays.toString(shape) + " of " + dtype);
            return new Entry(name, dtype, shape, begin, end);
        }

        Tensor load(FileChannel ch, long dataStart) throws IOException {
            Tensor t = torch.empty(shape, Torch.hostOptions(dtype.type), null);
            long n = end - begin;
            if (n == 0) return t;
            BytePointer p = new BytePointer(t.data_ptr());
            for (long done = 0; done < n; ) {
                int chunk = (int) Math.min(n - done, 1 << 30);
                ByteBuffer b = p.position(done).limit(done + chunk).asByteBuffer();
                readFully(ch, b, dataStart + begin + done);
                done += chunk;
            }
            return t;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, position);
            if (r < 0) throw new IOException("unexpected end of file");
            position += r;
        }
    }

    private static CheckpointException bad(Path file, String what) {
        return new CheckpointException(file + ": " + what);
    }
}
