package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import trm4j.engine.Device;
import trm4j.engine.Draws;
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
        Natives.load();
        int rows = 200_000, nSup = 16;
        long[] m = Torch.toLongs(TrmSupervision.minima(Device.CPU, Draws.key(1, 2, 3), new RankSlice(rows, rows, 0), 0.1, nSup));
        int explored = 0;
        int[] counts = new int[nSup + 1];
        for (long v : m) {
            if (v == 0) continue;
            explored++;
            counts[(int) v]++;
        }
        assertEquals(0.1, explored / (double) rows, 0.005);
        assertEquals(0, counts[1]);
        for (int k = 2; k <= nSup; k++) assertEquals(1.0 / (nSup - 1), counts[k] / (double) explored, 0.01, "minimum " + k);
    }

    @Test
    void eachRankDrawsItsOwnRowsOfTheWholeBatch() {
        Natives.load();
        long key = Draws.key(7, 0x7A17L, 5);
        long[] whole = Torch.toLongs(TrmSupervision.minima(Device.CPU, key, new RankSlice(8, 8, 0), 0.5, 6));
        long[] second = Torch.toLongs(TrmSupervision.minima(Device.CPU, key, new RankSlice(8, 4, 4), 0.5, 6));
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, 4, 8), second);
    }
}
