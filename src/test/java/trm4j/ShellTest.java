package trm4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ShellTest {
    /** The paths a printed command holds read back as the same words in a POSIX shell. */
    @Test
    void aPrintedCommandQuotesWhatTheShellWouldSplit() {
        assertEquals("runs/demo/model.safetensors", Shell.word("runs/demo/model.safetensors"));
        assertEquals("'/tmp/my dir/model.safetensors'", Shell.word("/tmp/my dir/model.safetensors"));
        assertEquals("'it'\\''s'", Shell.word("it's"));
        assertEquals("'a$b'", Shell.word("a$b"));
    }
}
