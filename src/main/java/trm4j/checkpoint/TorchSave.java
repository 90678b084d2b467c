package trm4j.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDict;

import trm4j.engine.Torch;

/**
 * Reads a state dict written by PyTorch's {@code torch.save} (the zip format of PyTorch 1.6 and
 * later: {@code NAME/data.pkl} plus one entry per storage, {@code NAME/data/KEY}), as the reference
 * trainers write their checkpoints. The pickle is read as data, never executed: only dicts
 * (plain or OrderedDict), lists, numbers, strings and tensors are accepted, and any other class it
 * names is refused in one line. Nothing a file declares is allocated before it is checked: the
 * pickle record against its bounds (4 MB, 16:1 when compressed, 2^20 opcodes), each length in it
 * against the bytes left, and every size, stride and offset in exact arithmetic. Each storage
 * streams from the zip into its tensor, so files over 2 GB load without being read whole.
 */
public final class TorchSave {
    /** torch storage classes: element type and size. */
    private record StorageType(ScalarType type, int bytes) implements IObjectConstructor {
        @Override public Object construct(Object[] args) {
            throw new PickleException("a storage class is not called by a state dict");
        }
    }

    /** A storage named by the pickle: its type, its entry in the zip and its element count. */
    private record StorageRef(StorageType type, String key, long numel) {}

    /** A tensor as the pickle describes it, built once its storage is read. */
    private record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** collections.OrderedDict, with the {@code _metadata} a state dict carries ignored. */
    public static final class StateDict extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<?, ?> state) {}
    }

    /** A pickle record in memory: what is left of it bounds every length an opcode declares. */
    private static final class Record extends ByteArrayInputStream {
        Record(byte[] bytes) {
            super(bytes);
        }

        /** The unsigned little-endian number of {@code size} bytes after the opcode, or -1 past the end. */
        long declared(int size) {
            if (pos + size > count) return -1;
            long v = 0;
            for (int i = size - 1; i >= 0; i--) v = v << 8 | (buf[pos + i] & 0xff);
            return size == 8 && v < 0 ? Long.MAX_VALUE : v;
        }

        /** The text line {@code skip} bytes after the read position, or null when none ends within {@link #MAX_LINE} bytes. */
        String line(int skip) {
            int from = pos + skip;
            for (int i = from; i < Math.min(count, from + MAX_LINE); i++)
                if (buf[i] == '\n') return new String(buf, from, i - from, StandardCharsets.US_ASCII);
            return null;
        }
    }

    /**
     * The unpickler, bounded: every length an opcode declares must fit in what is left of the
     * record before anything is allocated for it, text lines are short, the opcodes are counted,
     * and only the classes of a state dict may be named.
     */
    private static final class RecordReader extends Unpickler {
        private int opcodes;

        @Override protected Object dispatch(short key) throws IOException {
            if (++opcodes > MAX_OPCODES) throw new PickleException("more than " + MAX_OPCODES + " opcodes, more than a state dict has");
            Record r = (Record) input;
            long declared = switch (key) {
                case 'T', 'B', 'X', 0x8b -> r.declared(4);   // BINSTRING, BINBYTES, BINUNICODE, LONG4
                case 0x8d, 0x8e, 0x96 -> r.declared(8);       // BINUNICODE8, BINBYTES8, BYTEARRAY8
                default -> 0;
            };
            if (declared < 0 || declared > r.available())
                throw new PickleException("opcode 0x" + Integer.toHexString(key) + " declares " + declared + " bytes, and " + r.available() + " are left of the record");
            if ("IFLSVPgpci".indexOf(key) >= 0) {   // opcodes followed by text lines
                String first = r.line(0);
                String second = first == null || (key != 'c' && key != 'i') ? "" : r.line(first.length() + 1);
                if (first == null || second == null) throw new PickleException("a text line of opcode " + (char) key + " is longer than " + MAX_LINE + " bytes");
                if (key == 'c' || key == 'i') named(first, second);
            }
            if (key == 0x93 && stack.size() >= 2) {   // STACK_GLOBAL: the names are on the stack
                Object name = stack.pop(), module = stack.peek();
                stack.add(name);
                named(String.valueOf(module), String.valueOf(name));
            }
            return super.dispatch(key);
        }

        @Override protected Object persistentLoad(Object pid) {
            Object[] t = pid instanceof Object[] a ? a : null;
            if (t == null || t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type) || !(t[2] instanceof String key))
                throw new PickleException("an object other than a tensor storage");
            return new StorageRef(type, key, count(t[4], "storage size"));
        }

        private static void named(String module, String name) {
            String full = module + "." + name;
            if (!CLASSES.contains(full) && !(module.equals("torch") && STORAGES.containsKey(name)))
                throw new PickleException("a class outside a state dict (for " + full + ")");
        }
    }

    private static final Map<String, StorageType> STORAGES = Map.of("FloatStorage", new StorageType(ScalarType.Float, 4),
            "DoubleStorage", new StorageType(ScalarType.Double, 8), "HalfStorage", new StorageType(ScalarType.Half, 2),
            "BFloat16Storage", new StorageType(ScalarType.BFloat16, 2), "LongStorage", new StorageType(ScalarType.Long, 8),
            "IntStorage", new StorageType(ScalarType.Int, 4), "ShortStorage", new StorageType(ScalarType.Short, 2),
            "CharStorage", new StorageType(ScalarType.Char, 1), "ByteStorage", new StorageType(ScalarType.Byte, 1),
            "BoolStorage", new StorageType(ScalarType.Bool, 1));

    static {
        STORAGES.forEach((name, type) -> Unpickler.registerConstructor("torch", name, type));
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new StateDict());
        // _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks[, metadata])
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", args -> {
            if (args.length < 4 || !(args[0] instanceof StorageRef s)) throw new PickleException("_rebuild_tensor_v2 without a storage");
            return new TensorRef(s, count(args[1], "storage offset"), longs(args[2], "size"), longs(args[3], "stride"));
        });
        // a Parameter saved as such: (tensor, requires_grad, backward_hooks)
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
    }

    private TorchSave() {}

    /** Whether a file starts like a zip archive (torch.save's format) rather than like safetensors. */
    public static boolean looksLikeZip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }

    /** The tensors of a torch.save'd state dict by name, in the file's order; anything else is one line. */
    public static Map<String, Tensor> read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = null;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.endsWith("data.pkl") && (name.equals("data.pkl") || name.endsWith("/data.pkl"))) {
                    prefix = name.substring(0, name.length() - "data.pkl".length());
                    break;
                }
            }
            if (prefix == null) throw new CheckpointException(file + ": a zip file without data.pkl is not a torch.save checkpoint");
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                try (InputStream in = zip.getInputStream(order)) {
                    String bo = new String(in.readNBytes(16)).trim();
                    if (!bo.equals("little")) throw new CheckpointException(file + ": byteorder " + oneLine(bo) + " is not supported (little-endian only)");
                }
            }
            Record record = new Record(pickle(zip, zip.getEntry(prefix + "data.pkl"), file));
            Object root;
            try {
                root = new RecordReader().load(record);
            } catch (PickleException e) {
                Matcher named = Pattern.compile("\\(for ([\\w.]+)\\)").matcher(String.valueOf(e.getMessage()));
                throw new CheckpointException(file + ": data.pkl is not a plain state dict of tensors ("
                        + (named.find() ? "it names " + named.group(1) + ", which is refused: a pickle is read as data, never run" : oneLine(e.getMessage())) + ")");
            } catch (RuntimeException | StackOverflowError e) {   // the unpickler's own failure on damaged opcodes, or objects nested beyond the stack
                throw new CheckpointException(file + ": data.pkl is damaged (" + e.getClass().getSimpleName() + " while reading it)");
            }
            if (!(root instanceof Map<?, ?> dict))
                throw new CheckpointException(file + ": data.pkl holds a " + typeName(root) + ", not a state dict");
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                if (!(e.getKey() instanceof String name)) throw new CheckpointException(file + ": data.pkl has a key that is a " + typeName(e.getKey()) + ", not a name");
                if (!(e.getValue() instanceof TensorRef ref))
                    throw new CheckpointException(file + ": entry " + name + " is a " + typeName(e.getValue()) + ", not a tensor");
                out.put(name, tensor(zip, prefix, ref, file, name));
            }
            return out;
        } catch (ZipException e) {
            throw new CheckpointException(file + ": not a readable zip archive (truncated or damaged: " + oneLine(e.getMessage()) + ")");
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * The pickle record, read whole: at most {@link #MAX_PICKLE} bytes, and no more than
     * {@link #MAX_RATIO} times what it takes in the zip, like a storage.
     */
    private static byte[] pickle(ZipFile zip, ZipEntry entry, Path file) throws IOException {
        long limit = Math.min(MAX_PICKLE, expansionLimit(entry));
        byte[] record;
        try (InputStream in = zip.getInputStream(entry)) {
            record = in.readNBytes((int) limit + 1);
        }
        if (record.length > limit)
            throw new CheckpointException(file + ": data.pkl is " + (limit < MAX_PICKLE ? "compressed more than " + MAX_RATIO + ":1; torch.save writes it uncompressed"
                    : "larger than " + (MAX_PICKLE >> 20) + " MB, more than a state dict's pickle (about 100 bytes a tensor)"));
        return record;
    }

    /** The most bytes a zip entry may expand to: what it takes, or {@link #MAX_RATIO} times that when it is compressed (torch.save never compresses). */
    private static long expansionLimit(ZipEntry e) {
        if (e.getMethod() == ZipEntry.STORED) return Math.max(0, e.getSize());
        return e.getCompressedSize() < 0 ? 0 : MAX_RATIO * Math.min(Math.max(1, e.getCompressedSize()), Long.MAX_VALUE / MAX_RATIO);
    }

    /** Streams a storage from the zip into a tensor and views it as the pickle says. */
    private static Tensor tensor(ZipFile zip, String prefix, TensorRef ref, Path file, String name) throws IOException {
        StorageRef s = ref.storage();
        ZipEntry entry = zip.getEntry(prefix + "data/" + s.key());
        if (entry == null) throw new CheckpointException(file + ": tensor " + name + ": storage data/" + s.key() + " is missing");
        String where = file + ": tensor " + name;
        long bytes = s.numel() * s.type().bytes();   // both bounded (MAX_ELEMENTS, 8 bytes): no overflow
        if (entry.getSize() < bytes)
            throw new CheckpointException(where + ": storage data/" + s.key() + " has " + entry.getSize() + " bytes, " + bytes + " expected");
        if (entry.getCompressedSize() > Files.size(file))
            throw new CheckpointException(where + ": storage data/" + s.key() + " says it takes " + entry.getCompressedSize() + " bytes of a file of " + Files.size(file));
        if (bytes > expansionLimit(entry))
            throw new CheckpointException(where + ": storage data/" + s.key() + " is compressed " + (bytes / Math.max(1, entry.getCompressedSize()))
                    + ":1; torch.save writes storages uncompressed");
        if (ref.size().length != ref.stride().length) throw new CheckpointException(where + ": size and stride differ in length");
        long elements = 1, extent = ref.offset();   // the elements of the view, and the last storage element it reaches
        try {
            for (int i = 0; i < ref.size().length; i++) {
                elements = Math.multiplyExact(elements, Math.max(1, ref.size()[i]));
                if (ref.size()[i] > 0) extent = Math.addExact(extent, Math.multiplyExact(ref.size()[i] - 1, ref.stride()[i]));
            }
        } catch (ArithmeticException e) {
            elements = extent = Long.MAX_VALUE;   // past any storage: refused below
        }
        boolean empty = Arrays.stream(ref.size()).anyMatch(x -> x == 0);
        // A view may not hold more elements than its storage: a state dict's tensors never do, and a crafted
        // stride-0 view of one element would otherwise make gigabytes of one value.
        if (!empty && (extent >= s.numel() || elements > s.numel()))
            throw new CheckpointException(where + " reaches past its storage, or holds more elements than it (size " + Arrays.toString(ref.size())
                    + ", stride " + Arrays.toString(ref.stride()) + ", offset " + ref.offset() + ", storage of " + s.numel() + ")");
        try {
            Tensor raw = torch.empty(new long[] {s.numel()}, Torch.hostOptions(s.type().type()), null);
            BytePointer p = new BytePointer(raw.data_ptr());
            byte[] buf = new byte[1 << 20];
            try (InputStream in = zip.getInputStream(entry)) {
                for (long done = 0; done < bytes; ) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, bytes - done));
                    if (n < 0) throw new CheckpointException(where + ": storage data/" + s.key() + " is truncated");
                    p.position(done).put(buf, 0, n);
                    done += n;
                }
            }
            return raw.as_strided(ref.size(), ref.stride(), new LongOptional(ref.offset())).contiguous();
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {   // libtorch's refusal of what passed the checks above
            throw CheckpointException.fromLibtorch(where, e);
        }
    }

    /** Elements a storage or a view may have (2^40): beyond any model, and far from overflowing a byte count. */
    private static final long MAX_ELEMENTS = 1L << 40;
    private static final int MAX_DIMS = 8;
    /** How much more a compressed entry may hold than it takes in the zip (torch.save stores its entries uncompressed). */
    private static final int MAX_RATIO = 16;
    /** The largest pickle record read: a state dict's pickle takes about 100 bytes a tensor, so some 40,000 tensors. */
    private static final int MAX_PICKLE = 4 << 20;
    /** The most opcodes a pickle record may run: about 25 a tensor. Each makes at most one small object. */
    private static final int MAX_OPCODES = 1 << 20;
    /** The longest text line of a pickle opcode (a number, a module or class name). */
    private static final int MAX_LINE = 256;
    /** The classes a state dict's pickle names; any other is refused before the unpickler looks it up. */
    private static final Set<String> CLASSES = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter");

    /** A size, stride or offset of the pickle: an integer in 0..2^40, else refused (a pickle's values are data to check). */
    private static long count(Object o, String what) {
        if (!(o instanceof Integer || o instanceof Long)) throw new PickleException(what + " is a " + typeName(o) + ", not an integer");
        long v = ((Number) o).longValue();
        if (v < 0 || v > MAX_ELEMENTS) throw new PickleException(what + " " + v + " is out of range");
        return v;
    }

    private static long[] longs(Object tuple, String what) {
        if (!(tuple instanceof Object[] a)) throw new PickleException(what + " is a " + typeName(tuple) + ", not a tuple");
        if (a.length > MAX_DIMS) throw new PickleException(what + " has " + a.length + " dimensions (at most " + MAX_DIMS + ")");
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) out[i] = count(a[i], what);
        return out;
    }

    /** A library's message as one line. */
    private static String oneLine(String message) {
        return String.valueOf(message).replaceAll("\\s+", " ").trim();
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o instanceof ClassDict c ? c.getClassName() : o.getClass().getSimpleName();
    }
}
