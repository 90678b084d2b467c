package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the code reads /proc, other systems have a fallback: macOS answers through sysctl, and
 * without either the CPU is unknown (so nothing assumes native bf16) and the threads stay at all
 * the cores.
 */
class PlatformFallbacksTest {
    /** What `sysctl -a` prints on an Apple M2 (the lines that matter, from its documented keys). */
    private static final String M2 = "machdep.cpu.brand_string: Apple M2\nhw.optional.neon: 1\nhw.optional.arm.FEAT_BF16: 1\n"
            + "hw.optional.arm.FEAT_I8MM: 1\nhw.ncpu: 8\n";
    private static final String M1 = "machdep.cpu.brand_string: Apple M1\nhw.optional.neon: 1\nhw.optional.arm.FEAT_BF16: 0\n";
    private static final String INTEL_MAC = "machdep.cpu.brand_string: Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz\n"
            + "machdep.cpu.features: FPU VME SSE SSE2 AVX1.0 FMA\nmachdep.cpu.leaf7_features: SMEP BMI1 AVX2 BMI2\n";

    @Test
    void withoutProcTheCpuIsUnknownAndAutoStaysFp32(@TempDir Path empty) {
        Path absent = empty.resolve("proc");
        Cpu linux = Cpu.read(absent, "Linux", "amd64", Map.of(), args -> { throw new AssertionError("no sysctl on Linux"); });
        assertEquals("unknown CPU", linux.model());
        assertTrue(linux.flags().isEmpty());
        assertEquals(Precision.FP32, PrecisionChoice.choose(PrecisionSetting.AUTO, linux, () -> { throw new AssertionError("no probe"); }).precision());
        Cpu windows = Cpu.read(absent, "Windows 11", "amd64", Map.of("PROCESSOR_IDENTIFIER", "Intel64 Family 6 Model 154"), args -> null);
        assertEquals("Intel64 Family 6 Model 154", windows.model());
        assertFalse(windows.hardwareBf16());
    }

    @Test
    void macOsAnswersThroughSysctl(@TempDir Path empty) {
        Cpu m2 = Cpu.read(empty.resolve("proc"), "Mac OS X", "aarch64", Map.of(), args -> M2);
        assertEquals("Apple M2", m2.model());
        assertTrue(m2.hardwareBf16(), "FEAT_BF16");
        assertEquals("asimd", m2.oneDnnIsa());
        assertFalse(Cpu.parseSysctl(M1, "aarch64", Map.of()).hardwareBf16(), "the M1 has no bf16");
        Cpu intel = Cpu.parseSysctl(INTEL_MAC, "x86_64", Map.of());
        assertTrue(intel.flags().contains("avx2") && intel.flags().contains("fma"), intel.flags().toString());
        assertEquals("avx2", intel.oneDnnIsa());
        Cpu noSysctl = Cpu.read(empty.resolve("proc"), "Mac OS X", "aarch64", Map.of(), args -> null);
        assertEquals("unknown CPU", noSysctl.model());
    }

    @Test
    void theLoadOfOtherProcessesIsReadFromProcOrNotAtAll(@TempDir Path dir) throws Exception {
        assertNull(Threads.readTicks(dir.resolve("absent")), "no /proc: the count stays");
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Files.writeString(proc.resolve("stat"), "cpu  300 0 100 600 0 0 0 0\ncpu0 150 0 50 300 0 0 0 0\ncpu1 150 0 50 300 0 0 0 0\n");
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/stat"), "42 (java) S 1 2 3 4 5 6 7 8 9 10 120 30 0 0\n");
        Files.writeString(proc.resolve("self/status"), "Name:\tjava\nCpus_allowed_list:\t0-1\n");
        long[] ticks = Threads.readTicks(proc);
        assertNotNull(ticks);
        assertEquals(400, ticks[0], "busy: user + system of both CPUs");
        assertEquals(1000, ticks[1], "all ticks of both CPUs");
        assertEquals(150, ticks[2], "this process: utime + stime");
        assertEquals(2, ticks[3]);
    }
}
