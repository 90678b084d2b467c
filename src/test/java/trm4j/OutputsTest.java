package trm4j;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class OutputsTest {
    /** A folder on no disk (/proc: 0 bytes of 0) refuses the write for its own reason, not as a full disk. */
    @Test
    void aFolderOnNoDiskIsNotAFullDisk() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc here");
        IOException e = assertThrows(IOException.class, () -> Outputs.writeAtomically(Path.of("/proc/trm4j-never.json"), new byte[10]));
        assertFalse(String.valueOf(e.getMessage()).contains("no space"), e.getMessage());
    }
}
