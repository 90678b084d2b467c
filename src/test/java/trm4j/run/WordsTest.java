package trm4j.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The commands a run's messages give on the command line paste as one word a path, spaces and all; the library's name its methods. */
class WordsTest {
    @Test
    void theCommandsQuoteTheirPaths() {
        Path out = Path.of("/tmp/my runs/demo");
        assertEquals("trm4j train --resume --out '/tmp/my runs/demo'", Words.CLI.resumes(out));
        assertEquals("trm4j train ... --force --out '/tmp/my runs/demo'", Words.CLI.startsOver(out));
        assertEquals("trm4j train --preset demo --init '/tmp/my runs/demo' --out NEW_FOLDER", Words.CLI.newRunFrom("demo", out));
        assertEquals("the same TrainingSpec with resuming(true)", Words.LIBRARY.resumes(out));
        assertEquals("trm4j demo --out '/tmp/my runs/demo'", Words.DEMO.resumes(out));
        assertEquals("--set hidden_size", Words.DEMO.setting("hidden_size"));
    }
}
