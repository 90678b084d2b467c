package trm4j.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * (plain or OrderedDict), lists, numbers, strings and tensors are accepted, and any other object it
 * names is refused in one line. Each storage streams from the zip into its tensor, so files over
 * 2 GB load without being read whole.
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

    static {
        Map<String, StorageType> storages = Map.of("FloatStorage", new StorageType(ScalarType.Float, 4),
                "DoubleStorage", new StorageType(ScalarType.Double, 8), "HalfStorage", new StorageType(ScalarType.Half, 2),
                "BFloat16Storage", new StorageType(ScalarType.BFloat16, 2), "LongStorage", new StorageType(ScalarType.Long, 8),
                "IntStorage", new StorageType(ScalarType.Int, 4), "ShortStorage", new StorageType(ScalarType.Short, 2),
                "CharStorage", new StorageType(ScalarType.Char, 1), "ByteStorage", new StorageType(ScalarType.Byte, 1),
                "BoolStorage", new StorageType(ScalarType.Bool, 1));
        storages.forEach((name, type) -> Unpickler.registerConstructor("torch", name, type));
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
                    String bo = new String(in.readAllBytes()).trim();
                    if (!bo.equals("little")) throw new CheckpointException(file + ": byteorder " + bo + " is not supported (little-endian only)");
                }
            }
            Object root;
            try (InputStream in = zip.getInputStream(zip.getEntry(prefix + "data.pkl"))) {
                root = new Unpickler() {
                    @Override protected Object persistentLoad(Object pid) {
                        Object[] t = pid instanceof Object[] a ? a : null;
                        if (t == null || t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type) || !(t[2] instanceof String key))
                            throw new PickleException("an object other than a tensor storage");
                        return new StorageRef(type, key, count(t[4], "storage size"));
                    }
                }.load(in);
            } catch (PickleException e) {
                Matcher named = Pattern.compile("\\(for ([\\w.]+)\\)").matcher(String.valueOf(e.getMessage()));
                throw new CheckpointException(file + ": data.pkl is not a plain state dict of tensors ("
                        + (named.find() ? "it names " + named.group(1) + ", which is refused: a pickle is read as data, never run" : oneLine(e.getMessage())) + ")");
            } catch (RuntimeException e) {   // the unpickler's own failure on damaged opcodes
                throw new CheckpointException(file + ": data.pkl is damaged (" + e.getClass().getSimpleName() + " while reading it)");
            }
            if (!(root instanceof Map<?, ?> dict))
                throw new CheckpointException(file + ": data.pkl holds a " + typeName(root) + ", not a state dict");
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                String name = String.valueOf(e.getKey());
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

    /** Streams a storage from the zip into a tensor and views it as the pickle says. */
    private static Tensor tensor(ZipFile zip, String prefix, TensorRef ref, Path file, String name) throws IOException {
        StorageRef s = ref.storage();
        ZipEntry entry = zip.getEntry(prefix + "data/" + s.key());
        if (entry == null) throw new CheckpointException(file + ": tensor " + name + ": storage data/" + s.key() + " is missing");
        String where = file + ": tensor " + name;
        long bytes = s.numel() * s.type().bytes();   // both bounded by MAX_ELEMENTS: no overflow
        if (entry.getSize() < bytes)
            throw new CheckpointException(where + ": storage data/" + s.key() + " has " + entry.getSize() + " bytes, " + bytes + " expected");
        // torch.save stores its storages uncompressed; a compressed one may not expand beyond what a weight file holds.
        if (entry.getMethod() != ZipEntry.STORED && (entry.getCompressedSize() < 0 || bytes > 16 * Math.max(1, entry.getCompressedSize())))
            throw new CheckpointException(where + ": storage data/" + s.key() + " is compressed " + (bytes / Math.max(1, entry.getCompressedSize()))
                    + ":1; torch.save writes storages uncompressed");
        if (ref.size().length > 8) throw new CheckpointException(where + ": " + ref.size().length + " dimensions (at most 8)");
        long elements = 1, extent = ref.offset();
        for (int i = 0; i < ref.size().length; i++) {
            if (ref.size()[i] > MAX_ELEMENTS || (elements *= Math.max(1, ref.size()[i])) > MAX_ELEMENTS)
                throw new CheckpointException(where + ": size " + Arrays.toString(ref.size()) + " is larger than any tensor");
            if (ref.size().length != ref.stride().length) throw new CheckpointException(where + ": size and stride differ in length");
            if (ref.size()[i] > 0) extent += (ref.size()[i] - 1) * ref.stride()[i];   // stride <= MAX_ELEMENTS: no overflow
        }
        boolean empty = Arrays.stream(ref.size()).anyMatch(x -> x == 0);
        // A view may not hold more elements than its storage: a state dict's tensors never do, and a crafted
        // stride-0 view of one element would otherwise make gigabytes of one value.
        if (!empty && (extent >= s.numel() || elements > s.numel()))
            throw new CheckpointException(where + " reaches past its storage, or holds more elements than it (size " + Arrays.toString(ref.size())
                    + ", stride " + Arrays.toString(ref.stride()) + ", offset " + ref.offset() + ", storage of " + s.numel() + ")");
        Tensor raw = torch.empty(new long[] {s.numel()}, Torch.hostOptions(s.type().type()), null);
        BytePointer p = new BytePointer(raw.data_ptr());
        byte[] buf = new byte[1 << 20];
        try (InputStream in = zip.getInputStream(entry)) {
            for (long done = 0; done < bytes; ) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, bytes - done));
                if (n < 0) throw new CheckpointException(file + ": tensor " + name + ": storage data/" + s.key() + " is truncated");
                p.position(done).put(buf, 0, n);
                done += n;
            }
        }
        return raw.as_strided(ref.size(), ref.stride(), new LongOptional(ref.offset())).contiguous();
    }

    /** Elements a storage or a view may have (2^40): beyond any model, and far from overflowing a byte count. */
    private static final long MAX_ELEMENTS = 1L << 40;

    /** A size, stride or offset of the pickle: an integer in 0..2^40, else refused (a pickle's values are data to check). */
    private static long count(Object o, String what) {
        if (!(o instanceof Integer || o instanceof Long)) throw new PickleException(what + " is a " + typeName(o) + ", not an integer");
        long v = ((Number) o).longValue();
        if (v < 0 || v > MAX_ELEMENTS) throw new PickleException(what + " " + v + " is out of range");
        return v;
    }

    private static long[] longs(Object tuple, String what) {
        if (!(tuple instanceof Object[] a)) throw new PickleException(what + " is a " + typeName(tuple) + ", not a tuple");
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
