package trm4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** StopSignals in a process of its own: the first SIGTERM asks the work to stop and says so, a second ends the process at once saying what is kept. */
class StopSignalsTest {
    /** A process whose work never reaches a point where it can stop, so that only the second signal can end it. */
    public static final class NeverStops {
        public static void main(String[] args) throws Exception {
            try (StopSignals signals = new StopSignals(() -> System.err.println("asked to stop"), "stopping at the next step", () -> "step 7 is kept")) {
                System.err.println("ready");
                Thread.sleep(120_000);
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
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), NeverStops.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        waitFor(log, "ready", p);
        p.destroy();   // SIGTERM
        waitFor(log, "asked to stop", p);
        assertTrue(p.isAlive(), "the first signal only asks");
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String s = Files.readString(log);
        assertEquals(128 + 15, p.exitValue(), s);
        assertEquals("ready\n\ntrm4j: SIGTERM: stopping at the next step (send it again to stop at once)\nasked to stop\n\n"
                + "trm4j: SIGTERM again: stopped at once; step 7 is kept\n", s);
    }
}
