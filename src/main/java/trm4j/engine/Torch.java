package trm4j.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.util.Arrays;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The one door to libtorch. {@link #init()} must run before any other class touches
 * {@code org.bytedeco.pytorch}: it extracts the natives whole before loading them (see below),
 * then sets the thread counts.
 */
public final class Torch {
    private static volatile boolean ready;

    private Torch() {}

    public static synchronized void init() {
        if (ready) return;
        AttentionKernel.current();   // a wrong TRM4J_ATTENTION or TRM4J_THREADS stops here, before any work
        Threads.current();
        defaultProperty("org.bytedeco.javacpp.platform", "linux-x86_64");
        defaultProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        defaultProperty("org.bytedeco.javacpp.maxBytes", "0");
        // The -Pgpu build puts bytedeco's GPU natives on the class path; they run the CPU too.
        if (gpuNatives()) defaultProperty("org.bytedeco.javacpp.platform.extension", "-gpu");
        try {
            // JavaCPP extracts and loads libraries one by one. On an empty cache libtorch.so is then
            // loaded before libtorch_cpu.so sits beside it, the dynamic linker takes another
            // libtorch_cpu.so from the system folders (Debian's python3-torch ships one) and the JVM
            // dies. Extracting the whole native folders first leaves nothing for the linker to find
            // elsewhere.
            String platform = Loader.getPlatform(), natives = platform + (gpuNatives() ? "-gpu" : "");
            Loader.cacheResources("/org/bytedeco/openblas/" + platform + "/");
            java.io.File[] torchNatives = Loader.cacheResources("/org/bytedeco/pytorch/" + natives + "/");
            if (gpuNatives()) {
                Loader.cacheResources("/org/bytedeco/cuda/" + platform + "/");
                requireCudaLibraries(torchNatives);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the libtorch natives into the JavaCPP cache", e);
        }
        Loader.load(torch.class);
        torch.set_num_interop_threads(1);
        Threads.apply(Threads.current());
        ready = true;
    }

    /**
     * The GPU natives link against the host's CUDA libraries (cuBLAS, cuDNN, NCCL...). Without them
     * the loader falls back to any libtorch.so on the system, and the JVM can die: they are asked
     * for by name first, through the dynamic linker's own answer (ldd).
     */
    private static void requireCudaLibraries(java.io.File[] folders) {
        for (java.io.File folder : folders) {
            java.io.File lib = new java.io.File(folder, "libtorch_cuda.so");
            if (!lib.isFile()) continue;
            ProcessBuilder pb = new ProcessBuilder("ldd", lib.getPath()).redirectErrorStream(true);
            pb.environment().merge("LD_LIBRARY_PATH", folder.getPath(), (a, b) -> b + ":" + a);
            String out;
            try {
                out = new String(pb.start().getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                return;   // no ldd: the loader will say what is missing
            }
            java.util.List<String> missing = out.lines().filter(l -> l.contains("not found")).map(l -> l.trim().split("\\s+")[0]).toList();
            if (!missing.isEmpty())
                throw new trm4j.UserError("the GPU build (-Pgpu) needs the host's CUDA 13.1 libraries, and these are not found: "
                        + String.join(", ", missing) + " (install them, or rebuild without -Pgpu: rm -rf target; ./trm4j ...)");
        }
    }

    /** Whether bytedeco's GPU natives (the -Pgpu build) are on the class path. */
    public static boolean gpuNatives() {
        return Torch.class.getResource("/org/bytedeco/pytorch/linux-x86_64-gpu/") != null;
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    public static void seed(long seed) {
        torch.manual_seed(seed);
    }

    // ---- small helpers that the rest of the code would otherwise repeat ----

    /** Options for a tensor of this type on the process's {@link Device}. */
    public static TensorOptions options(ScalarType type) {
        TensorOptions o = new TensorOptions(type);
        org.bytedeco.pytorch.Device d = Device.torchDevice();
        return d == null ? o : o.device(new org.bytedeco.pytorch.DeviceOptional(d));
    }

    /** Options for a tensor of this type in host memory, for data written or read through its pointer. */
    public static TensorOptions hostOptions(ScalarType type) {
        return new TensorOptions(type);
    }

    public static Scalar scalar(double v) {
        return new Scalar(v);
    }

    public static Tensor zeros(ScalarType type, long... shape) {
        return torch.zeros(shape, options(type));
    }

    public static Tensor fromDoubles(double[] values, long... shape) {
        check(values.length, shape);
        Tensor t = torch.empty(shape, hostOptions(ScalarType.Double), null);
        t.data_ptr_double().put(values);
        return Device.put(t);
    }

    public static Tensor fromLongs(long[] values, long... shape) {
        check(values.length, shape);
        Tensor t = torch.empty(shape, hostOptions(ScalarType.Long), null);
        t.data_ptr_long().put(values);
        return Device.put(t);
    }

    /**
     * Moves a tensor out of the innermost PointerScope so that it outlives it; close() frees it.
     * (PointerScope.detach releases the scope's reference, so one of our own is taken first.)
     */
    public static Tensor keep(Tensor t) {
        org.bytedeco.javacpp.PointerScope scope = org.bytedeco.javacpp.PointerScope.getInnerScope();
        if (scope != null) {
            t.retainReference();
            scope.detach(t);
        }
        return t;
    }

    public static double[] toDoubles(Tensor t) {
        Tensor c = t.detach().cpu().to(ScalarType.Double).contiguous();
        double[] out = new double[(int) c.numel()];
        c.data_ptr_double().get(out);
        return out;
    }

    /** A long tensor's values, in row-major order. */
    public static long[] toLongs(Tensor t) {
        Tensor c = t.cpu().contiguous();
        long[] out = new long[(int) c.numel()];
        c.data_ptr_long().get(out);
        return out;
    }

    /**
     * A vector's tensors as handles of their own. {@code get(i)} points into the vector's memory,
     * and outside a PointerScope the collector may free the vector while that handle is in use.
     */
    public static Tensor[] parts(TensorVector v) {
        Tensor[] out = new Tensor[(int) v.size()];
        for (int i = 0; i < out.length; i++) out[i] = new Tensor(v.get(i));
        Reference.reachabilityFence(v);
        return out;
    }

    public static long[] shape(Tensor t) {
        return t.sizes().vec().get();
    }

    private static void check(int length, long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        if (n != length) throw new IllegalArgumentException(length + " values for shape " + Arrays.toString(shape));
    }
}
