package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import trm4j.data.Batch;
import trm4j.data.Sample;

class ImprovementPathTest {
    /** A random input/label pair over tokens 0..4 where 0 is PAD, with some padding in both. */
    private static byte[][] pair(long seed, int len) {
        Random r = new Random(seed);
        byte[] in = new byte[len], label = new byte[len];
        for (int i = 0; i < len; i++) {
            in[i] = (byte) r.nextInt(5);
            label[i] = r.nextInt(4) == 0 ? in[i] : (byte) r.nextInt(5);
        }
        return new byte[][] {in, label};
    }

    @Property(tries = 200)
    void framesGoFromInputToLabelRevealingFloorKDiffOverN(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int len,
                                                          @ForAll @IntRange(min = 1, max = 16) int nSup) {
        byte[][] p = pair(seed, len);
        long[][] f = ImprovementPath.frames(p[0], p[1], nSup, new Random(seed));
        Batch b = Batch.of(List.of(new Sample(p[0], p[1], 0)));
        long[] x0 = b.tokens(), x1 = b.labels();
        assertEquals(nSup + 1, f.length);
        assertArrayEquals(x0, f[0]);
        assertArrayEquals(x1, f[nSup]);
        int diff = 0;
        for (int i = 0; i < len; i++) if (x0[i] != x1[i]) diff++;
        int previousDistance = Integer.MAX_VALUE;
        for (int k = 0; k <= nSup; k++) {
            int revealed = 0, distance = 0;
            for (int i = 0; i < len; i++) {
                if (f[k][i] != x0[i]) {
                    revealed++;
                    assertEquals(x1[i], f[k][i], "a changed position takes the label's value");
                }
                if (f[k][i] != x1[i]) distance++;
                if (k > 0 && f[k - 1][i] != x0[i]) assertEquals(f[k - 1][i], f[k][i], "revealed positions stay revealed");
            }
            assertEquals((long) k * diff / nSup, revealed, "frame " + k);
            assertTrue(distance <= previousDistance, "the distance to the label never grows");
            previousDistance = distance;
        }
    }

    @Property(tries = 50)
    void revealedLabelPaddingIsIgnoredAndUnrevealedPaddingIsATarget(@ForAll long seed) {
        byte[] in = {0, 0, 3, 4}, label = {0, 2, 0, 4};   // positions 0 and 2 have a PAD label
        long[][] f = ImprovementPath.frames(in, label, 3, new Random(seed));
        // Diff is {0, 1, 2}: position 0 differs too, since a PAD label is IGNORE (padding included).
        assertEquals(0, f[0][0]);
        assertEquals(Batch.IGNORE, f[3][0]);
        assertEquals(Batch.IGNORE, f[3][2]);
        assertEquals(2, f[3][1]);
        assertEquals(4, f[2][3], "equal positions never change");
    }
}
