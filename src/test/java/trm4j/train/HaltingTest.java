package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class HaltingTest {
    @Test
    void rowsHaltAtNSupOrWhenQHaltIsPositiveAfterTheirMinimum() {
        assertTrue(TrmSupervision.halts(16, 16, -3, 0), "N_sup reached");
        assertFalse(TrmSupervision.halts(15, 16, -3, 0));
        assertTrue(TrmSupervision.halts(1, 16, 0.1, 0), "q_halt > 0");
        assertFalse(TrmSupervision.halts(1, 16, 0.0, 0), "q_halt must be strictly positive");
        assertFalse(TrmSupervision.halts(3, 16, 5, 4), "exploration minimum not reached");
        assertTrue(TrmSupervision.halts(4, 16, 5, 4));
    }

    @Test
    void explorationDrawsAMinimumUniformInTwoToNSupWithItsProbability() {
        Random rnd = new Random(1);
        int draws = 200_000, nSup = 16, explored = 0;
        int[] counts = new int[nSup + 1];
        for (int i = 0; i < draws; i++) {
            int m = TrmSupervision.minimumSteps(rnd, 0.1, nSup);
            if (m == 0) continue;
            explored++;
            counts[m]++;
        }
        assertEquals(0.1, explored / (double) draws, 0.005);
        assertEquals(0, counts[1]);
        for (int m = 2; m <= nSup; m++) assertEquals(1.0 / (nSup - 1), counts[m] / (double) explored, 0.01, "minimum " + m);
    }
}
