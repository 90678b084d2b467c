package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The thread count follows the cores other processes leave idle. */
class ThreadsTest {
    @Test
    void takesTheIdleCoresAndAtLeastOne() {
        assertEquals(2, Threads.choose(2, 0.0));
        assertEquals(2, Threads.choose(2, 0.2));    // background noise keeps both cores
        assertEquals(1, Threads.choose(2, 0.67));   // `yes` sharing 2 cores with 2 threads of ours
        assertEquals(1, Threads.choose(2, 1.0));    // `yes` alone on a core
        assertEquals(1, Threads.choose(2, 2.0));
        assertEquals(1, Threads.choose(2, 5.0));
        assertEquals(61, Threads.choose(64, 3.0));
        assertEquals(1, Threads.choose(1, 0.0));
    }
}
