package trm4j.engine;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.bytedeco.pytorch.global.torch;

import trm4j.UserError;

/**
 * Loading libtorch. {@link #load()} must run before any other class touches
 * {@code org.bytedeco.pytorch}; every entry point (the command line, the library API, the tests)
 * calls it first, and it is safe to call from any thread, any number of times. It changes no
 * process-wide setting; {@link #tuneProcess()} does, for a process that trm4j owns (the command
 * line).
 *
 * <p>The natives are JavaCPP's for the platform it detects ({@code Loader.getPlatform()}:
 * linux-x86_64, macosx-arm64, macosx-x86_64, windows-x86_64); the build puts the host's on the
 * class path.
 */
public final class Natives {
    private static volatile boolean loaded, tuned;

    private Natives() {}

    public static void load() {
        if (loaded) return;
        synchronized (Natives.class) {
            if (loaded) return;
            defaultProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
            defaultProperty("org.bytedeco.javacpp.maxBytes", "0");
            // The -Pgpu build puts bytedeco's GPU natives on the class path; they run the CPU too.
            if (gpuNatives()) defaultProperty("org.bytedeco.javacpp.platform.extension", "-gpu");
            String platform = Loader.getPlatform();
            if (Natives.class.getResource("/org/bytedeco/pytorch/" + platform + (gpuNatives() ? "-gpu" : "") + "/") == null)
                throw new UserError("no libtorch natives for this platform (" + platform + ") on the class path: build trm4j on this machine, "
                        + "or add org.bytedeco:pytorch:2.10.0-1.5.13:" + platform + " (supported: linux-x86_64, macosx-arm64, macosx-x86_64, windows-x86_64)");
            try {
                // JavaCPP extracts and loads libraries one by one. On an empty cache libtorch is then
                // loaded before libtorch_cpu sits beside it, the dynamic linker takes another
                // libtorch_cpu from the system folders (Debian's python3-torch ships one) and the JVM
                // dies. Extracting the whole native folders first leaves nothing for the linker to
                // find elsewhere.
                String natives = platform + (gpuNatives() ? "-gpu" : "");
                if (openblas()) Loader.cacheResources("/org/bytedeco/openblas/" + platform + "/");
                File[] torchNatives = Loader.cacheResources("/org/bytedeco/pytorch/" + natives + "/");
                if (gpuNatives()) {
                    Loader.cacheResources("/org/bytedeco/cuda/" + platform + "/");
                    requireCudaLibraries(jniLibrary(natives, torchNatives));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract the libtorch natives into the JavaCPP cache", e);
            }
            Loader.load(torch.class);
            torch.initLogging();   // libtorch's log level from TORCH_CPP_LOG_LEVEL, as PyTorch reads it (the launcher sets it)
            // OpenBLAS (which trm4j loads, for fp32 products) starts a thread per core that would fight
            // libtorch's OpenMP threads; it stays on one unless the environment lets the two share.
            if (openblas() && !Threads.blasMayThread(System.getenv())) openblas_nolapack.blas_set_num_threads(1);
            loaded = true;
            for (String w : environmentWarnings(System.getenv(), Path.of("/proc/self/maps"))) System.getLogger("trm4j").log(System.Logger.Level.WARNING, w);
        }
    }

    /**
     * What the process's environment costs in speed, one line each: settings only the environment
     * of a JVM can make (the launcher makes them; a program embedding trm4j may not have).
     */
    static List<String> environmentWarnings(Map<String, String> env, Path maps) {
        List<String> out = new ArrayList<>();
        if (!Threads.blasMayThread(env))
            out.add("trm4j: fp32 matrix products run on one OpenBLAS thread: start the JVM with OPENBLAS_THREAD_TIMEOUT=4 and "
                    + "GOMP_SPINCOUNT=10000 to use every core (the trm4j launcher does; docs/ENGINE.md)");
        String lib = TCMALLOC.stream().filter(f -> Files.isRegularFile(Path.of(f))).findFirst().orElse(null);
        try {
            if (lib != null && !Files.readString(maps).contains("tcmalloc"))
                out.add("trm4j: glibc's malloc returns libtorch's large buffers to the system after every call: LD_PRELOAD=" + lib
                        + " made training steps up to twice as fast (the trm4j launcher preloads it; docs/ENGINE.md)");
        } catch (IOException e) {
            // no /proc/self/maps (not Linux): nothing to say
        }
        return out;
    }

    private static final List<String> TCMALLOC = List.of("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4", "/usr/lib64/libtcmalloc_minimal.so.4",
            "/usr/lib/libtcmalloc_minimal.so.4");

    /**
     * The process-wide settings of a process that trm4j owns (the command line), or that trains
     * through trm4j ({@code TrainingSpec.tuneThreads}): one inter-op thread (trm4j never runs ops in
     * parallel with each other) and the intra-op threads of {@link Threads}, applied on the calling
     * thread (OpenMP's count belongs to the thread that computes) and followed from then on
     * ({@link Threads#adapt}). Any other library user's process is left alone. Returns whether this
     * call took the settings over (false: they already were trm4j's).
     */
    public static synchronized boolean tuneProcess() {
        load();
        AttentionKernel.current();   // a wrong TRM4J_ATTENTION or TRM4J_THREADS stops here, before any work
        Threads.current();
        boolean first = !tuned;
        if (first) {
            try {
                torch.set_num_interop_threads(1);
            } catch (RuntimeException e) {
                // the host process ran inter-op work already; trm4j runs none, so the size of its pool does not matter
            }
        }
        Threads.apply(Threads.current());
        tuned = true;
        return first;
    }

    /** Whether {@link #tuneProcess} ran: trm4j owns the process's settings. */
    static boolean tuned() {
        return tuned;
    }

    /**
     * The JNI library of the natives: in the folder on the class path when they are files there (JavaCPP
     * loads them in place), else where JavaCPP extracted them from their jar.
     */
    private static File jniLibrary(String natives, File[] cached) {
        URL u = Natives.class.getResource("/org/bytedeco/pytorch/" + natives + "/libjnitorch.so");
        if (u != null && u.getProtocol().equals("file")) {
            try {
                return new File(u.toURI());
            } catch (URISyntaxException e) {
                return null;
            }
        }
        for (File folder : cached) if (new File(folder, "libjnitorch.so").isFile()) return new File(folder, "libjnitorch.so");
        return null;
    }

    /**
     * The GPU natives link against the host's CUDA libraries (cuBLAS, cuDNN, NCCL...). Without them
     * the loader falls back to any libtorch on the system, or the JVM dies: they are asked for by
     * name first, through the dynamic linker's own answer (ldd on every library of the natives' folder).
     */
    static void requireCudaLibraries(File jni) {
        File[] libraries = jni == null ? null : jni.getParentFile().listFiles((d, name) -> name.contains(".so"));
        if (libraries == null) return;   // the loader will say what is missing
        List<String> command = new ArrayList<>(List.of("ldd"));
        for (File f : libraries) command.add(f.getPath());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().merge("LD_LIBRARY_PATH", jni.getParent(), (a, b) -> b + ":" + a);
        String out;
        try {
            out = new String(pb.start().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return;   // no ldd: the loader will say what is missing
        }
        List<String> missing = out.lines().filter(l -> l.contains("not found")).map(l -> l.trim().split("\\s+")[0]).distinct().toList();
        if (!missing.isEmpty())
            throw new UserError("the GPU build (-Pgpu) needs the host's CUDA 13 libraries and an NVIDIA driver for CUDA 13 (580 or later), and these "
                    + "are not found: " + String.join(", ", missing) + " (install them or put their folders on LD_LIBRARY_PATH, or rebuild "
                    + "without -Pgpu: rm -rf target; ./trm4j ...)");
    }

    /** Whether OpenBLAS's natives for this platform are on the class path (libtorch's fp32 BLAS where it has them). */
    static boolean openblas() {
        return Natives.class.getResource("/org/bytedeco/openblas/" + Loader.getPlatform() + "/") != null;
    }

    /** Whether bytedeco's GPU natives (the -Pgpu build) are on the class path. */
    public static boolean gpuNatives() {
        return Natives.class.getResource("/org/bytedeco/pytorch/linux-x86_64-gpu/") != null;
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
