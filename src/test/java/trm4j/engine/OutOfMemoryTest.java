package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

/** The wants of memory that end a command in one line: libtorch's allocator refusing, and a full Java heap. */
class OutOfMemoryTest {
    @Test
    void libtorchsRefusalNamesTheSizeItWanted() {
        Natives.load();
        RuntimeException e = assertThrows(RuntimeException.class, () -> Torch.zeros(Device.CPU, ScalarType.Float, 1L << 48));
        assertEquals("libtorch could not allocate 1048576.0 GiB", OutOfMemory.describe(new IllegalStateException("while training", e)), e.getMessage());
    }

    @Test
    void aFullJavaHeapIsSaidAndOtherFailuresAreNot() {
        OutOfMemoryError heap = assertThrows(OutOfMemoryError.class, () -> {
            long[] tooMany = new long[Integer.MAX_VALUE];
            tooMany[0] = 1;
        });
        assertTrue(OutOfMemory.describe(heap).startsWith("the Java heap is full ("), OutOfMemory.describe(heap));
        assertNull(OutOfMemory.describe(new IOException("Broken pipe")));
        assertNull(OutOfMemory.describe(new RuntimeException((String) null)));
    }
}
