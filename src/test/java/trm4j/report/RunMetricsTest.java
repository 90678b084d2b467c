package trm4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The method a report names for a run: from the method object runs write now, and from the plain string of older folders. */
class RunMetricsTest {
    private static String methodOf(Path dir, String presetJson) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metrics.jsonl"), "");
        Files.writeString(dir.resolve("preset.json"), presetJson);
        return RunMetrics.read(dir).method();
    }

    @Test
    void theMethodIsNamedFromEitherFormOfThePreset(@TempDir Path tmp) throws Exception {
        assertEquals("dis", methodOf(tmp.resolve("new"), "{\"train\": {\"method\": {\"kind\": \"dis\", \"feed\": \"prediction\"}, \"batch\": 64}}"));
        assertEquals("trm", methodOf(tmp.resolve("old"), "{\"train\": {\"method\": \"trm\", \"batch\": 64}}"));
    }
}
