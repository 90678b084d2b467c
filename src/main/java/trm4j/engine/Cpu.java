package trm4j.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The processor as libtorch will use it: model name, the flags that matter for its kernels, and
 * the ceiling {@code ONEDNN_MAX_CPU_ISA} puts on oneDNN (which runs the bf16 matmuls). Read from
 * {@code /proc/cpuinfo}; everything else is a pure function of what was read, so tests can hand it
 * any CPU.
 */
public record Cpu(String model, String arch, Set<String> flags, String oneDnnCap) {
    /** Flags that decide the kernels: vector width, native bf16, AMX. */
    private static final Set<String> RELEVANT = Set.of("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "avx512_fp16",
            "avx_vnni", "amx_bf16", "amx_tile", "bf16", "sve", "asimd");
    /**
     * oneDNN ISA names (ONEDNN_MAX_CPU_ISA) at or above the first with native bf16 matmuls.
     * Below them (AVX2, AVX512_CORE, ...) oneDNN emulates bf16, 5-6x slower than fp32.
     */
    private static final Set<String> ONEDNN_BF16_ISAS = Set.of("AVX512_CORE_BF16", "AVX512_CORE_FP16", "AVX10_1_512",
            "AVX512_CORE_AMX", "AVX10_1_512_AMX", "AVX512_CORE_AMX_FP16", "AVX10_1_512_AMX_FP16", "AVX10_2_512",
            "AVX10_2_512_AMX_2", "ALL");

    private static volatile Cpu current;

    /** This machine, read once: /proc/cpuinfo on Linux, sysctl on macOS, else the JVM's os.arch alone (no flags: fp32). */
    public static Cpu current() {
        if (current == null) current = read(Path.of("/proc"), System.getProperty("os.name", ""), System.getProperty("os.arch"), System.getenv(), Cpu::sysctl);
        return current;
    }

    /**
     * The CPU from where this OS tells it. {@code procRoot} absent (macOS, Windows, a container
     * without /proc) is no error: macOS answers through {@code sysctl}; elsewhere the model is
     * unknown and no flags are known, so nothing assumes native bf16.
     */
    static Cpu read(Path procRoot, String os, String arch, Map<String, String> env, Function<String, String> sysctl) {
        try {
            return parse(Files.readString(procRoot.resolve("cpuinfo")), arch, env);
        } catch (IOException e) {
            // no /proc here
        }
        if (os.toLowerCase(Locale.ROOT).startsWith("mac")) {
            String out = sysctl.apply("-a");
            if (out != null) return parseSysctl(out, arch, env);
        }
        String model = env.getOrDefault("PROCESSOR_IDENTIFIER", "unknown CPU");   // Windows names it; flags it does not tell
        return parse("model name: " + model + "\n", arch, env);
    }

    /** From {@code sysctl -a} on macOS: machdep.cpu.brand_string, Intel's feature lists, Apple's hw.optional.arm.FEAT_* flags. */
    static Cpu parseSysctl(String out, String arch, Map<String, String> env) {
        String model = "unknown CPU";
        Set<String> flags = new TreeSet<>();
        for (String line : out.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim(), value = line.substring(colon + 1).trim();
            if (key.equals("machdep.cpu.brand_string")) model = value;
            if (key.equals("machdep.cpu.features") || key.equals("machdep.cpu.leaf7_features"))
                for (String f : value.split("\\s+")) flags.add(f.toLowerCase(Locale.ROOT).replace('.', '_'));
            if (key.startsWith("hw.optional.arm.FEAT_") && value.equals("1")) flags.add(key.substring("hw.optional.arm.FEAT_".length()).toLowerCase(Locale.ROOT));
            if (key.equals("hw.optional.neon") && value.equals("1")) flags.add("asimd");
        }
        String cap = env.getOrDefault("ONEDNN_MAX_CPU_ISA", "").trim().toUpperCase(Locale.ROOT);
        return new Cpu(model, arch, flags, cap.isEmpty() ? null : cap);
    }

    private static String sysctl(String args) {
        try {
            Process p = new ProcessBuilder("sysctl", args).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** From the text of /proc/cpuinfo, the JVM's os.arch and the environment. */
    static Cpu parse(String cpuinfo, String arch, Map<String, String> env) {
        String model = "unknown CPU";
        Set<String> flags = new TreeSet<>();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim(), value = line.substring(colon + 1).trim();
            if (key.equals("model name") || (key.equals("CPU part") && model.equals("unknown CPU"))) model = value;
            if ((key.equals("flags") || key.equals("Features")) && flags.isEmpty())
                flags.addAll(Arrays.asList(value.split("\\s+")));
        }
        String cap = env.getOrDefault("ONEDNN_MAX_CPU_ISA", "").trim().toUpperCase(Locale.ROOT);
        return new Cpu(model, arch, flags, cap.isEmpty() ? null : cap);
    }

    /** Whether the hardware computes bf16 natively (x86: AVX-512 BF16 or AMX; aarch64: the bf16 feature). */
    public boolean hardwareBf16() {
        return isArm() ? flags.contains("bf16") : flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    }

    /** Whether ONEDNN_MAX_CPU_ISA keeps oneDNN below its native bf16 kernels (x86 only). */
    public boolean oneDnnCappedBelowBf16() {
        return !isArm() && oneDnnCap != null && !ONEDNN_BF16_ISAS.contains(oneDnnCap);
    }

    /** oneDNN's x86 ISAs from the lowest, in ONEDNN_MAX_CPU_ISA's spelling. */
    private static final List<String> ISAS = List.of("SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX512_CORE",
            "AVX512_CORE_VNNI", "AVX512_CORE_BF16", "AVX512_CORE_FP16", "AVX512_CORE_AMX");

    /**
     * The ISA oneDNN dispatches its kernels to: the best the flags allow, capped by
     * ONEDNN_MAX_CPU_ISA (libtorch does not report oneDNN's own choice; ONEDNN_VERBOSE=1 shows it).
     */
    public String oneDnnIsa() {
        if (isArm()) return flags.contains("sve") ? "sve" : "asimd";
        int best = flags.contains("amx_bf16") && flags.contains("amx_tile") ? 8 : flags.contains("avx512_fp16") ? 7
                : flags.contains("avx512_bf16") ? 6 : flags.contains("avx512_vnni") ? 5
                : flags.contains("avx512f") && flags.contains("avx512bw") ? 4 : flags.contains("avx_vnni") ? 3
                : flags.contains("avx2") ? 2 : flags.contains("avx") ? 1 : 0;
        if (oneDnnCap != null && !oneDnnCap.equals("ALL")) {
            String cap = oneDnnCap.replace("AVX10_1_512_AMX", "AVX512_CORE_AMX").replace("AVX10_1_512", "AVX512_CORE_FP16");
            int at = ISAS.indexOf(cap.replace("_FP16_AMX", "_AMX").replace("AVX512_CORE_AMX_FP16", "AVX512_CORE_AMX"));
            if (at >= 0) best = Math.min(best, at);
        }
        return ISAS.get(best).toLowerCase(Locale.ROOT);
    }

    public boolean isArm() {
        return arch != null && (arch.equals("aarch64") || arch.equals("arm64"));
    }

    /** One line for benchmarks and logs: the model and the flags that decide the kernels. */
    public String describe() {
        TreeSet<String> shown = new TreeSet<>(flags);
        shown.retainAll(RELEVANT);
        return model + " (" + arch + "; " + (shown.isEmpty() ? "no AVX2/AVX-512/bf16 flags" : String.join(" ", shown))
                + (oneDnnCap == null ? "" : "; ONEDNN_MAX_CPU_ISA=" + oneDnnCap) + ")";
    }
}
