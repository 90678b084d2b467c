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
        OutOfMemoryError beyond = assertThrows(OutOfMemoryError.class, () -> {
            long[] tooMany = new long[Integer.MAX_VALUE];
            tooMany[0] = 1;
        });
        assertEquals("Java could not allocate memory (Requested array size exceeds VM limit)", OutOfMemory.describe(beyond));
        assertEquals("the Java heap is full (a larger one: TRM4J_JAVA_OPTS=-Xmx...)", OutOfMemory.describe(new OutOfMemoryError("Java heap space")));
        assertEquals("libtorch could not allocate 48.0 MiB", OutOfMemory.describe(new RuntimeException("[enforce fail at alloc_cpu.cpp:127] data. "
                + "DefaultCPUAllocator: not enough memory: you tried to allocate 50331648 bytes.")));
        assertNull(OutOfMemory.describe(new IOException("Broken pipe")));
        assertNull(OutOfMemory.describe(new RuntimeException((String) null)));
    }
}
