package trm4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The device's draws are SplitMix64's finaliser, bit for bit: the tensor ops against the hash on the host (long arithmetic). */
class DrawsTest {
    @Test
    void theTensorOpsComputeTheHashOfEachCounter() {
        Natives.load();
        long key = Draws.key(42, 0x7A17L, 1000);
        double[] device = Torch.toDoubles(Draws.uniform(Device.CPU, key, 1L << 40, 4096));
        for (int i = 0; i < device.length; i++) assertEquals(Draws.uniform(key, (1L << 40) + i), device[i], 0.0, "draw " + i);
    }

    /** SplitMix64 of the counter 0 under key 0 (its well-known first output for seed 0 is 0xE220A8397B1DCDAF). */
    @Test
    void theHashIsSplitMix64() {
        assertEquals((0xE220A8397B1DCDAFL >>> 11) * 0x1.0p-53, Draws.uniform(0x9E3779B97F4A7C15L, 0), 0.0);
    }

    @Test
    void keysOfNearbyStepsAreUnrelated() {
        assertNotEquals(Draws.uniform(Draws.key(0, 1, 2), 0), Draws.uniform(Draws.key(0, 1, 3), 0));
        double mean = 0;
        for (int i = 0; i < 100_000; i++) mean += Draws.uniform(Draws.key(0, 1, i), 0);
        assertEquals(0.5, mean / 100_000, 0.005);
    }
}
