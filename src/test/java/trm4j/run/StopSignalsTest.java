package trm4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.engine.Device;
import trm4j.engine.Natives;

/** StopSignals in a process of its own: the first SIGTERM asks the work to stop and says so, a second ends the process at once saying what is kept. */
class StopSignalsTest {
    /**
     * A process whose work never reaches a point where it can stop, so that only the second signal can end it; the work is
     * libtorch's, with gradients, on the main thread, as training's is, and the process must end without a JVM crash report.
     */
    public static final class NeverStops {
        public static void main(String[] args) {
            Natives.load();
            try (StopSignals signals = new StopSignals(() -> System.err.println("asked to stop"), "stopping at the next step", () -> "step 7 is kept")) {
                System.err.println("ready");
                Tensor w = torch.randn(new long[] {512, 512}, Device.CPU.options(ScalarType.Float)).requires_grad_(true);
                long end = System.nanoTime() + 120_000_000_000L;
                while (System.nanoTime() < end)
                    try (PointerScope scope = new PointerScope()) {
                        Tensor x = torch.randn(new long[] {2048, 512}, Device.CPU.options(ScalarType.Float));
                        x.matmul(w).tanh().matmul(w).sum().backward();
                    }
            }
        }
    }

    private static String waitFor(Path log, String text, Process p) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        String s = "";
        while (p.isAlive() && System.currentTimeMillis() < deadline && !(s = Files.readString(log)).contains(text)) Thread.sleep(5);
        assertTrue(s.contains(text), s);
        return s;
    }

    @Test
    void aSecondSignalEndsTheProcessAtOnceAndSaysWhatIsKept(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("child.log");
        ProcessBuilder b = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), NeverStops.class.getName())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("OPENBLAS_NUM_THREADS", "1");
        Process p = b.start();
        try {
            secondSignal(p, log, dir);
        } finally {
            p.destroyForcibly();
        }
    }

    private static void secondSignal(Process p, Path log, Path dir) throws Exception {
        waitFor(log, "ready", p);
        p.destroy();   // SIGTERM
        waitFor(log, "asked to stop", p);
        assertTrue(p.isAlive(), "the first signal only asks");
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String s = Files.readString(log);
        assertEquals(128 + 15, p.exitValue(), s);
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err")), s);
        }
        assertEquals("ready\n\ntrm4j: SIGTERM: stopping at the next step (send it again to stop at once)\nasked to stop\n\n"
                + "trm4j: SIGTERM again: stopped at once; step 7 is kept\n", s.substring(s.indexOf("ready\n")));
    }
}
