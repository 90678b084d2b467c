package trm4j.engine;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.function.DoubleSupplier;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.Outputs;

/**
 * The precision a run computes in, and why. {@code auto} (every preset's default) picks bf16
 * autocast only where the CPU computes bf16 natively and a short probe finds it faster than fp32:
 * where bf16 is emulated (AVX2-only CPUs, or oneDNN capped by ONEDNN_MAX_CPU_ISA) it is 5-6x
 * slower. The probe runs once per machine (CPU model, flags, ISA cap) and is cached beside the
 * native cache. {@code bf16}, {@code fp32}, {@code fp64} force. On CUDA, auto is bf16 autocast.
 */
public record PrecisionChoice(Precision precision, String reason) {
    private static volatile PrecisionChoice autoChoice;

    /** The precision a setting resolves to on this device and machine; auto is decided once per process. */
    public static PrecisionChoice of(PrecisionSetting setting, Device device) {
        if (setting != PrecisionSetting.AUTO) return choose(setting, Cpu.current(), () -> 0);
        if (device.isCuda()) return new PrecisionChoice(Precision.BF16, "bf16 autocast on " + device);
        if (autoChoice == null) autoChoice = choose(setting, Cpu.current(), PrecisionChoice::cachedSpeedup);
        return autoChoice;
    }

    /**
     * The decision as a pure function of the setting, the CPU and the measured bf16/fp32 speed
     * ratio (asked for only when the CPU has native bf16).
     */
    static PrecisionChoice choose(PrecisionSetting setting, Cpu cpu, DoubleSupplier bf16Speedup) {
        if (setting.fixed != null) return new PrecisionChoice(setting.fixed, "as set");
        if (!cpu.hardwareBf16()) return new PrecisionChoice(Precision.FP32, "this CPU has no native bf16");
        if (cpu.oneDnnCappedBelowBf16())
            return new PrecisionChoice(Precision.FP32, "ONEDNN_MAX_CPU_ISA=" + cpu.oneDnnCap() + " keeps oneDNN from native bf16");
        double speedup = bf16Speedup.getAsDouble();
        String measured = String.format(Locale.ROOT, "a bf16 matmul measured %.1fx the speed of fp32 here", speedup);
        return speedup > 1.1 ? new PrecisionChoice(Precision.BF16, "native bf16; " + measured)
                : new PrecisionChoice(Precision.FP32, "native bf16, but " + measured);
    }

    /** The line every run prints. */
    public String line() {
        return "precision: " + precision + " (" + reason + ")";
    }

    // ---------------------------------------------------------------- the probe and its cache

    /** The probe's result for this machine, from the cache or measured now (well under a second). */
    private static double cachedSpeedup() {
        Cpu cpu = Cpu.current();
        String key = Integer.toHexString((cpu.model() + cpu.flags() + cpu.oneDnnCap() + "libtorch-2.10").hashCode());
        Path file = cacheFile();
        Properties cache = new Properties();
        try {
            if (file != null && Files.isRegularFile(file)) try (var in = Files.newInputStream(file)) { cache.load(in); }
            String v = cache.getProperty(key);
            if (v != null) return Double.parseDouble(v);
        } catch (IOException | NumberFormatException e) {
            // an unreadable cache is measured again and rewritten
        }
        double speedup = measureSpeedup();
        cache.setProperty(key, Double.toString(speedup));
        if (file != null) {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                cache.store(bytes, "trm4j: bf16/fp32 matmul speed ratio per CPU");
                Outputs.writeAtomically(file, bytes.toByteArray());
            } catch (IOException e) {
                // no cache: the next run measures again
            }
        }
        return speedup;
    }

    private static Path cacheFile() {
        try {
            File dir = Loader.getCacheDir();
            return dir == null ? null : dir.toPath().resolve("trm4j-precision.properties");
        } catch (IOException e) {
            return null;
        }
    }

    /** fp32 time over bf16-autocast time of a [2048, 256] x [256, 768] linear layer, interleaved medians. */
    static double measureSpeedup() {
        Natives.load();
        try (Scope scope = Scope.open()) {
            Tensor x = torch.randn(new long[] {2048, 256}, Device.CPU.options(ScalarType.Float));
            Tensor w = torch.randn(new long[] {768, 256}, Device.CPU.options(ScalarType.Float));
            int rounds = 7;
            double[] fp32 = new double[rounds], bf16 = new double[rounds];
            for (int i = -2; i < rounds; i++) {   // two untimed rounds
                long t0 = System.nanoTime();
                torch.linear(x, w);
                long t1 = System.nanoTime();
                try (Autocast ac = Autocast.bf16(Device.CPU)) { torch.linear(x, w); }
                long t2 = System.nanoTime();
                if (i >= 0) {
                    fp32[i] = t1 - t0;
                    bf16[i] = t2 - t1;
                }
            }
            Arrays.sort(fp32);
            Arrays.sort(bf16);
            return fp32[rounds / 2] / bf16[rounds / 2];
        }
    }
}
