package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.UserError;

/**
 * The GPU natives' folder is checked with the dynamic linker before anything loads: a library its
 * libraries need and the host lacks is named in one line, for natives in a folder on the class path
 * as for natives extracted from their jar. The folder here is made with gcc: a JNI library and a
 * CUDA library that links a library which is then removed.
 */
class CudaLibrariesTest {
    @Test
    void aLibraryTheNativesNeedAndTheHostLacksIsNamedInOneLine(@TempDir Path dir) throws Exception {
        assumeTrue(gcc(dir, "libmissing_cuda.so", "int missing(void) { return 1; }"), "no gcc here to build the libraries");
        assumeTrue(gcc(dir, "libjnitorch.so", "int jni(void) { return 2; }"), "no gcc");
        assumeTrue(gcc(dir, "libtorch_cuda.so", "int missing(void); int cuda(void) { return missing(); }", "-L" + dir, "-lmissing_cuda"), "no gcc");
        assertDoesNotThrow(() -> Natives.requireCudaLibraries(dir.resolve("libjnitorch.so").toFile()), "everything is there");
        Files.delete(dir.resolve("libmissing_cuda.so"));
        UserError e = assertThrows(UserError.class, () -> Natives.requireCudaLibraries(dir.resolve("libjnitorch.so").toFile()));
        assertEquals(1, e.getMessage().lines().count());
        assertEquals(true, e.getMessage().contains("these are not found: libmissing_cuda.so "), e.getMessage());
    }

    private static boolean gcc(Path dir, String library, String source, String... link) throws Exception {
        Path c = dir.resolve(library + ".c");
        Files.writeString(c, source);
        var cmd = new java.util.ArrayList<>(java.util.List.of("gcc", "-shared", "-fPIC", "-o", dir.resolve(library).toString(), c.toString()));
        cmd.addAll(java.util.List.of(link));
        try {
            return new ProcessBuilder(cmd).inheritIO().start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
