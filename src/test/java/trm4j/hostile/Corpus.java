package trm4j.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Crafted files that try to make trm4j allocate what they ask for, overflow a size, block, or run
 * code: the hostile corpus of {@code HostileInputTest}. Every file is made here, from its
 * description, so that the corpus is code to read, not binaries to trust. {@code main} writes it
 * to a folder for probing by hand.
 */
public final class Corpus {
    private Corpus() {}

    /** One crafted file: its name, what it tries, and its bytes. */
    public record Case(String name, String tries, byte[] bytes) {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "hostile"));
        for (Case c : all()) Files.write(dir.resolve(c.name()), c.bytes());
        System.out.println(all().size() + " files in " + dir);
    }

    public static List<Case> all() {
        List<Case> out = new ArrayList<>();
        // safetensors
        out.add(new Case("empty.safetensors", "an empty file", new byte[0]));
        out.add(new Case("garbage.safetensors", "bytes that are no header", "not a checkpoint at all".getBytes(StandardCharsets.UTF_8)));
        out.add(new Case("header_2e60.safetensors", "a header length of 2^60", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 60).array()));
        out.add(new Case("shape_overflow.safetensors", "a shape whose product overflows a long",
                safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483648,2147483648,2147483648],\"data_offsets\":[0,0]}}", 0)));
        out.add(new Case("shape_wrap.safetensors", "a shape whose byte count wraps to 0",
                safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}", 0)));
        out.add(new Case("bad_dtype.safetensors", "a dtype that does not exist",
                safetensors("{\"w\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", 16)));
        out.add(new Case("offsets_outside.safetensors", "data offsets beyond the file",
                safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000],\"data_offsets\":[0,4000000]}}", 4)));
        out.add(new Case("config_empty.safetensors", "metadata trm4j.model set to an empty string",
                safetensors("{\"__metadata__\":{\"trm4j.model\":\"\"},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
        out.add(new Case("config_object.safetensors", "metadata trm4j.model as a JSON object instead of a string",
                safetensors("{\"__metadata__\":{\"trm4j.model\":{\"T\":1}},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
        out.add(new Case("config_T_1e9.safetensors", "a recursion of T = 10^9 in the metadata",
                safetensors("{\"__metadata__\":{\"trm4j.model\":\"{\\\"hidden_size\\\":16,\\\"heads\\\":4,\\\"seq_len\\\":4,\\\"vocab_size\\\":6,\\\"T\\\":1000000000}\"},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
        out.add(new Case("count_2e9.trm4jset", "a puzzle-set header asking for 2 * 10^9 puzzles", puzzleSet(
                "{\"kind\":\"sudoku\",\"rows\":4,\"cols\":4,\"vocab\":6,\"count\":2000000000,\"seed\":0}")));
        // torch.save
        out.add(new Case("not_a_zip.pt", "a .pt that starts like a zip and is not one", new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0}));
        out.add(new Case("stride0_view.pt", "one stored element viewed as 2^30 elements by a zero stride",
                pt(1L, 0L, tuple(1L << 30), tuple(0L), 4)));
        out.add(new Case("stride0_256g.pt", "one stored element viewed as 2^36 elements (256 GB)", pt(1L, 0L, tuple(1L << 36), tuple(0L), 4)));
        out.add(new Case("numel_negative.pt", "a storage of -1 elements", pt(-1L, 0L, tuple(1L), tuple(1L), 4)));
        out.add(new Case("numel_wrap.pt", "a storage whose byte count wraps", pt(1L << 62, 0L, tuple(1L), tuple(1L), 4)));
        out.add(new Case("numel_string.pt", "a storage size that is a string", pt("12", 0L, tuple(1L), tuple(1L), 4)));
        out.add(new Case("offset_string.pt", "a storage offset that is a string", pt(1L, "0", tuple(1L), tuple(1L), 4)));
        out.add(new Case("size_list.pt", "a size that is a list, not a tuple", pt(1L, 0L, List.of(1L), tuple(1L), 4)));
        out.add(new Case("stride_negative.pt", "a negative stride", pt(4L, 0L, tuple(4L), tuple(-1L), 16)));
        out.add(new Case("past_storage.pt", "a view past the end of its storage", pt(4L, 2L, tuple(4L), tuple(1L), 16)));
        out.add(new Case("deflate_bomb.pt", "a storage that inflates 1000:1 to 200 MB", bomb()));
        out.add(new Case("evil_global.pt", "a pickle that calls os.system", zip(Map.of("archive/data.pkl",
                pickle(w -> w.global("os", "system").mark().unicode("echo pwned").tuple().reduce())))));
        out.add(new Case("stride_wrap.pt", "a stride of 2^40 over 2^24 + 1 elements, whose reach wraps a long to 0",
                pt(4L, 0L, tuple((1L << 24) + 1), tuple(1L << 40), 16)));
        out.add(new Case("elements_wrap.pt", "a stride-0 view of 2^24 x 2^40 elements, whose count wraps a long to 0",
                pt(4L, 0L, tuple(1L << 24, 1L << 40), tuple(0L, 0L), 16)));
        out.add(new Case("shape_wrap_2e64.safetensors", "a shape of 2^24 x 2^40 elements, whose count wraps a long to 0",
                safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[16777216,1099511627776],\"data_offsets\":[0,0]}}", 0)));
        out.add(new Case("pickle_string_2g.pt", "a pickle string declaring 2 GB in a record of a few bytes",
                zip(Map.of("archive/data.pkl", pickle(w -> w.declaring('X', 4, (1L << 31) - 1))))));
        out.add(new Case("pickle_bytes_2g.pt", "a pickle byte string declaring 2 GB (BINBYTES8)",
                zip(Map.of("archive/data.pkl", pickle(w -> w.declaring(0x8e, 8, 1L << 31))))));
        out.add(new Case("pickle_long_2g.pt", "a pickle integer declaring 2 GB of digits (LONG4)",
                zip(Map.of("archive/data.pkl", pickle(w -> w.declaring(0x8b, 4, (1L << 31) - 1))))));
        out.add(new Case("pickle_deflated.pt", "a deflated pickle record holding a 100 MB string", deflatedPickleString(100L << 20)));
        out.add(new Case("pickle_flood.pt", "a pickle of 1.1 million empty dicts", zip(Map.of("archive/data.pkl", pickle(w -> {
            for (int i = 0; i < 1_100_000; i++) w.op('}');
        })))));
        out.add(new Case("pickle_deep_key.pt", "a dict key of lists nested 300,000 deep, whose hash recurses past the stack",
                zip(Map.of("archive/data.pkl", pickle(w -> {
                    w.op('}');
                    for (int i = 0; i < 300_000; i++) w.op(']');
                    for (int i = 1; i < 300_000; i++) w.op('a');
                    w.op('N').op('s');
                })))));
        return out;
    }

    private static byte[] safetensors(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }

    private static byte[] puzzleSet(String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + 4 + h.length + 32).order(ByteOrder.LITTLE_ENDIAN).put("TRM4JSET".getBytes(StandardCharsets.US_ASCII))
                .putInt(h.length).put(h).array();
    }

    /** A torch.save archive of one tensor "w" whose storage and view the arguments give (any object where the format wants integers). */
    public static byte[] pt(Object numel, Object offset, Object size, Object stride, int storedBytes) {
        byte[] pkl = pickle(w -> w.global("collections", "OrderedDict").emptyTuple().reduce().mark().unicode("w")
                .global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().unicode("storage").global("torch", "FloatStorage").unicode("0").unicode("cpu").value(numel).tuple().persid()
                .value(offset).value(size).value(stride).newFalse().global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce()
                .setItems());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("archive/data.pkl", pkl);
        files.put("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        files.put("archive/data/0", new byte[storedBytes]);
        files.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        files.put("archive/.data/serialization_id", "1234567890".getBytes(StandardCharsets.US_ASCII));   // PyTorch 2.x writes it
        return zip(files);
    }

    private static byte[] bomb() {
        long elements = 50_000_000;   // 200 MB of zeros, deflated to about 200 KB
        byte[] pkl = pickle(w -> w.global("collections", "OrderedDict").emptyTuple().reduce().mark().unicode("w")
                .global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().unicode("storage").global("torch", "FloatStorage").unicode("0").unicode("cpu").value(elements).tuple().persid()
                .value(0L).value(tuple(elements)).value(tuple(1L)).newFalse().global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce()
                .setItems());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(pkl);
            z.putNextEntry(new ZipEntry("archive/data/0"));   // deflated, as torch.save never writes
            byte[] zeros = new byte[1 << 20];
            for (long done = 0; done < elements * 4; done += zeros.length) z.write(zeros, 0, (int) Math.min(zeros.length, elements * 4 - done));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    /** A torch.save archive whose data.pkl is deflated and holds one string of {@code length} bytes: a small file, a large record. */
    private static byte[] deflatedPickleString(long length) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(new byte[] {(byte) 0x80, 2, 'X'});
            z.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) length).array());
            byte[] chunk = "a".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (long done = 0; done < length; done += chunk.length) z.write(chunk, 0, (int) Math.min(chunk.length, length - done));
            z.write('.');
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    public static Object[] tuple(Object... items) {
        return items;
    }

    /** The entries stored uncompressed, as torch.save writes them. */
    public static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                ZipEntry e = new ZipEntry(f.getKey());
                e.setMethod(ZipEntry.STORED);
                e.setSize(f.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(f.getValue());
                e.setCrc(crc.getValue());
                z.putNextEntry(e);
                z.write(f.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    public interface Body {
        void write(Pickle w);
    }

    public static byte[] pickle(Body body) {
        Pickle w = new Pickle();
        w.out.write(0x80);
        w.out.write(2);
        body.write(w);
        w.out.write('.');
        return w.out.toByteArray();
    }

    /** The opcodes of pickle protocol 2 that torch.save's data.pkl uses. */
    public static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Pickle global(String module, String name) {
            out.writeBytes(("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        /** One opcode byte. */
        public Pickle op(int code) { out.write(code); return this; }

        /** An opcode whose {@code size}-byte little-endian length declares {@code length} bytes, with none of them following. */
        public Pickle declaring(int code, int size, long length) {
            out.write(code);
            out.writeBytes(Arrays.copyOf(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array(), size));
            return this;
        }

        public Pickle mark() { out.write('('); return this; }
        public Pickle tuple() { out.write('t'); return this; }
        public Pickle emptyTuple() { out.write(')'); return this; }
        public Pickle reduce() { out.write('R'); return this; }
        public Pickle persid() { out.write('Q'); return this; }
        public Pickle setItems() { out.write('u'); return this; }
        public Pickle newFalse() { out.write(0x89); return this; }

        public Pickle unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        public Pickle integer(long v) {
            if (v == (int) v) {
                out.write('J');
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
            } else {
                out.write(0x8a);   // LONG1: 8 little-endian bytes, two's complement
                out.write(8);
                out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            }
            return this;
        }

        /** An integer, a string, a tuple (Object[]) or a list, as the pickle would hold it. */
        public Pickle value(Object v) {
            if (v instanceof Long || v instanceof Integer) return integer(((Number) v).longValue());
            if (v instanceof String s) return unicode(s);
            if (v instanceof Object[] items) {
                mark();
                for (Object i : items) value(i);
                return tuple();
            }
            if (v instanceof List<?> items) {
                out.write(']');
                mark();
                for (Object i : items) value(i);
                out.write('e');
                return this;
            }
            throw new IllegalArgumentException(String.valueOf(v));
        }

        void write(OutputStream o) throws IOException {
            out.writeTo(o);
        }
    }
}
