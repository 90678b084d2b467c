package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import trm4j.engine.Natives;
import trm4j.engine.Torch;

class HaltingTest {
    @Test
    void rowsHaltAtNSupOrWhenQHaltIsPositiveAfterTheirMinimum() {
        Natives.load();
        // Rows: N_sup reached; not yet; q_halt > 0; q_halt = 0 (must be strictly positive); minimum not reached; reached.
        Tensor steps = Torch.fromLongs(new long[] {16, 15, 1, 1, 3, 4}, 6);
        Tensor q = Torch.fromDoubles(new double[] {-3, -3, 0.1, 0.0, 5, 5}, 6);
        Tensor minimum = Torch.fromLongs(new long[] {0, 0, 0, 0, 4, 4}, 6);
        long[] halted = Torch.toLongs(TrmSupervision.halts(steps, q, minimum, 16).to(ScalarType.Long));
        assertArrayEquals(new long[] {1, 0, 1, 0, 0, 1}, halted);
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
