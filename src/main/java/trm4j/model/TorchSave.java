package trm4j.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

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
        public void __setstate__(java.util.HashMap<?, ?> state) {}
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
            return new TensorRef(s, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
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
                        if (t == null || t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type))
                            throw new PickleException("an object other than a tensor storage");
                        return new StorageRef(type, String.valueOf(t[2]), ((Number) t[4]).longValue());
                    }
                }.load(in);
            } catch (PickleException e) {
                java.util.regex.Matcher named = java.util.regex.Pattern.compile("\\(for ([\\w.]+)\\)").matcher(String.valueOf(e.getMessage()));
                throw new CheckpointException(file + ": data.pkl is not a plain state dict of tensors ("
                        + (named.find() ? "it names " + named.group(1) + ", which is refused: a pickle is read as data, never run" : e.getMessage()) + ")");
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
            throw new CheckpointException(file + ": not a readable zip archive (truncated or damaged: " + e.getMessage() + ")");
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Streams a storage from the zip into a tensor and views it as the pickle says. */
    private static Tensor tensor(ZipFile zip, String prefix, TensorRef ref, Path file, String name) throws IOException {
        StorageRef s = ref.storage();
        ZipEntry entry = zip.getEntry(prefix + "data/" + s.key());
        if (entry == null) throw new CheckpointException(file + ": tensor " + name + ": storage data/" + s.key() + " is missing");
        long bytes = s.numel() * s.type().bytes();
        if (entry.getSize() >= 0 && entry.getSize() < bytes)
            throw new CheckpointException(file + ": tensor " + name + ": storage data/" + s.key() + " has " + entry.getSize() + " bytes, " + bytes + " expected");
        long extent = ref.offset();
        for (int i = 0; i < ref.size().length; i++) extent += (ref.size()[i] - 1) * ref.stride()[i];
        if (ref.offset() < 0 || (ref.size().length > 0 && extent >= s.numel()))
            throw new CheckpointException(file + ": tensor " + name + " reaches past its storage");
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
        return raw.as_strided(ref.size(), ref.stride(), new org.bytedeco.pytorch.LongOptional(ref.offset())).contiguous();
    }

    private static long[] longs(Object tuple) {
        Object[] a = (Object[]) tuple;
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) out[i] = ((Number) a[i]).longValue();
        return out;
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o instanceof net.razorvine.pickle.objects.ClassDict c ? c.getClassName() : o.getClass().getSimpleName();
    }
}
