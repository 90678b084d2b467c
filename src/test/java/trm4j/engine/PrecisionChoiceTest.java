package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;

import trm4j.UserError;

/** auto's decision from CPU flags, the oneDNN cap and the probe; explicit values win; the printed line. */
class PrecisionChoiceTest {
    private static final String ZEN3 = "model name\t: AMD EPYC 7B13\nflags\t\t: fpu sse2 avx avx2 fma bmi2\n";
    private static final String ZEN4 = "model name\t: AMD EPYC 9B14\nflags\t\t: fpu avx2 fma avx512f avx512bw avx512_bf16\n";
    private static final String SAPPHIRE = "model name\t: Intel(R) Xeon(R) Platinum 8481C\nflags\t\t: avx2 fma avx512f avx512_bf16 amx_bf16 amx_tile\n";
    private static final String GRAVITON3 = "processor\t: 0\nFeatures\t: fp asimd sve bf16 i8mm\nCPU part\t: 0xd40\n";
    private static final String GRAVITON2 = "processor\t: 0\nFeatures\t: fp asimd atomics\nCPU part\t: 0xd0c\n";

    private static Cpu cpu(String info, String arch, String cap) {
        return Cpu.parse(info, arch, cap == null ? Map.of() : Map.of("ONEDNN_MAX_CPU_ISA", cap));
    }

    private static final DoubleSupplier NEVER = () -> { throw new AssertionError("the probe must not run here"); };

    @Test
    void autoIsFp32WithoutNativeBf16AndNeverProbesThere() {
        PrecisionChoice c = PrecisionChoice.choose(PrecisionSetting.AUTO, cpu(ZEN3, "amd64", null), NEVER);
        assertEquals(Precision.FP32, c.precision());
        assertEquals("precision: fp32 (this CPU has no native bf16)", c.line());
        assertEquals(Precision.FP32, PrecisionChoice.choose(PrecisionSetting.AUTO, cpu(GRAVITON2, "aarch64", null), NEVER).precision());
    }

    @Test
    void autoIsBf16WithNativeBf16WhenTheProbeFindsItFaster() {
        AtomicInteger probes = new AtomicInteger();
        for (Cpu c : new Cpu[] {cpu(ZEN4, "amd64", null), cpu(SAPPHIRE, "amd64", null), cpu(GRAVITON3, "aarch64", null)}) {
            PrecisionChoice p = PrecisionChoice.choose(PrecisionSetting.AUTO, c, () -> { probes.incrementAndGet(); return 4.0; });
            assertEquals(Precision.BF16, p.precision(), c.describe());
            assertEquals("precision: bf16 (native bf16; a bf16 matmul measured 4.0x the speed of fp32 here)", p.line());
        }
        assertEquals(3, probes.get());
    }

    @Test
    void autoStaysFp32WhenNativeBf16MeasuresNoFaster() {
        PrecisionChoice p = PrecisionChoice.choose(PrecisionSetting.AUTO, cpu(ZEN4, "amd64", null), () -> 0.9);
        assertEquals(Precision.FP32, p.precision());
        assertEquals("precision: fp32 (native bf16, but a bf16 matmul measured 0.9x the speed of fp32 here)", p.line());
    }

    @Test
    void autoHonoursAOneDnnCapBelowBf16() {
        PrecisionChoice p = PrecisionChoice.choose(PrecisionSetting.AUTO, cpu(SAPPHIRE, "amd64", "avx2"), NEVER);
        assertEquals(Precision.FP32, p.precision());
        assertEquals("precision: fp32 (ONEDNN_MAX_CPU_ISA=AVX2 keeps oneDNN from native bf16)", p.line());
        assertEquals(Precision.FP32, PrecisionChoice.choose(PrecisionSetting.AUTO, cpu(SAPPHIRE, "amd64", "AVX512_CORE"), NEVER).precision());
        assertEquals(Precision.BF16, PrecisionChoice.choose(PrecisionSetting.AUTO, cpu(SAPPHIRE, "amd64", "AVX512_CORE_BF16"), () -> 3).precision());
        assertEquals(Precision.BF16, PrecisionChoice.choose(PrecisionSetting.AUTO, cpu(SAPPHIRE, "amd64", "AVX512_CORE_AMX"), () -> 3).precision());
    }

    @Test
    void explicitValuesWinOnEveryCpuAndWrongOnesAreRefused() {
        for (Cpu c : new Cpu[] {cpu(ZEN3, "amd64", null), cpu(SAPPHIRE, "amd64", null)}) {
            assertEquals(Precision.BF16, PrecisionChoice.choose(PrecisionSetting.BF16, c, NEVER).precision());
            assertEquals(Precision.FP32, PrecisionChoice.choose(PrecisionSetting.parse("FP32", "--precision"), c, NEVER).precision());
            assertEquals("precision: fp64 (as set)", PrecisionChoice.choose(PrecisionSetting.FP64, c, NEVER).line());
        }
        UserError e = assertThrows(UserError.class, () -> PrecisionSetting.parse("fp16", "--precision"));
        assertEquals("--precision: unknown precision 'fp16' (expected auto, bf16, fp32 or fp64)", e.getMessage());
    }

    @Test
    void oneDnnIsaIsTheBestTheFlagsAllowUnderTheCap() {
        assertEquals("avx2", cpu(ZEN3, "amd64", null).oneDnnIsa());
        assertEquals("avx512_core_bf16", cpu(ZEN4, "amd64", null).oneDnnIsa());
        assertEquals("avx512_core_amx", cpu(SAPPHIRE, "amd64", null).oneDnnIsa());
        assertEquals("avx2", cpu(SAPPHIRE, "amd64", "AVX2").oneDnnIsa());
        assertEquals("avx512_core_bf16", cpu(SAPPHIRE, "amd64", "avx512_core_bf16").oneDnnIsa());
        assertEquals("avx2", cpu(ZEN3, "amd64", "AVX512_CORE_AMX").oneDnnIsa());
        assertEquals("sve", cpu(GRAVITON3, "aarch64", null).oneDnnIsa());
    }

    @Test
    void theCpuLineNamesTheModelAndTheFlagsThatDecide() {
        String d = cpu(SAPPHIRE, "amd64", "AVX2").describe();
        assertTrue(d.startsWith("Intel(R) Xeon(R) Platinum 8481C (amd64; "), d);
        assertTrue(d.contains("amx_bf16") && d.contains("avx512_bf16") && d.contains("ONEDNN_MAX_CPU_ISA=AVX2"), d);
        assertTrue(!d.contains("fpu"), d);
    }
}
