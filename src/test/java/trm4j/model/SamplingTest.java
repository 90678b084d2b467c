package trm4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import trm4j.UserError;
import trm4j.config.Method;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.engine.Torch;

/** Sampled trajectories on a small random network: one sample without noise is the deterministic pass, a seed repeats, noise is Gaussian. */
class SamplingTest {
    private static final Method DIS = new Method.Dis(Method.Feed.PREDICTION, Method.StepWeights.EQUAL, 0);
    private static final long[] TOKENS = {1, 2, 3, 4, 1, 2, 4, 3, 2, 1, 1, 2}, IDS = {1, 2};

    private static Network net() {
        Torch.seed(3);
        return Network.init(Tiny.attention(1, 2, true), Precision.FP64);
    }

    @Test
    void oneSampleWithoutNoiseIsTheDeterministicPassBitForBit() {
        Natives.load();
        Network net = net();
        Inference.Answer plain = Inference.run(net, TOKENS, IDS, DIS, 1.0, true);
        Inference.Answer one = Inference.run(net, TOKENS, IDS, 0, DIS, 1.0, true, new Sampling(1, 0, false, false, 99));
        assertArrayEquals(plain.cells(), one.cells(), 0.0);
        for (int s = 0; s < plain.predictions().length; s++) assertArrayEquals(plain.predictions()[s], one.predictions()[s]);
        // K copies without noise: every copy answers as the puzzle alone does
        Inference.Answer four = Inference.run(net, TOKENS, IDS, 0, DIS, 1.0, true, new Sampling(4, 0, false, false, 99));
        for (int i = 0; i < IDS.length; i++)
            for (int k = 0; k < 4; k++) assertArrayEquals(plain.predictions()[3][i], four.predictions()[3][i * 4 + k], "puzzle " + i + " copy " + k);
    }

    @Test
    void theSameSeedGivesTheSameSamplesAndAnotherSeedOthers() {
        Natives.load();
        Network net = net();
        Sampling s = new Sampling(8, 2.0, true, false, 7);
        Inference.Answer a = Inference.run(net, TOKENS, IDS, 0, DIS, 1.0, true, s), b = Inference.run(net, TOKENS, IDS, 0, DIS, 1.0, true, s);
        assertArrayEquals(a.cells(), b.cells(), 0.0);
        Inference.Answer c = Inference.run(net, TOKENS, IDS, 0, DIS, 1.0, true, new Sampling(8, 2.0, true, false, 8));
        assertFalse(Arrays.equals(a.cells(), c.cells()), "another seed, other noise");
        // the copies of one puzzle differ from each other under noise
        assertFalse(Arrays.equals(Arrays.copyOfRange(a.cells(), 0, 6), Arrays.copyOfRange(a.cells(), 6, 12)));
    }

    @Test
    void aCopysNoiseIsItsOwnInAnyBatchOrSplitAndForAnyK() {
        Natives.load();
        Network net = net();
        Sampling s = new Sampling(2, 0.5, true, false, 5);
        // the draws: rows 2..3 of a batch starting at puzzle 0 are the rows of a batch starting at puzzle 1 (2 copies each)
        Carry four = net.initialCarry(4), two = net.initialCarry(2);
        Carry all = Inference.noised(four, s, 3, slots(0, 4, 2)), tail = Inference.noised(two, s, 3, slots(1, 2, 2));
        for (Tensor[] t : new Tensor[][] {{all.z(), four.z(), tail.z(), two.z()}, {all.y(), four.y(), tail.y(), two.y()}})
            assertArrayEquals(Torch.toDoubles(t[0].sub(t[1]).narrow(0, 2, 2)), Torch.toDoubles(t[2].sub(t[3])), 0.0);
        // the answers: puzzle 1 of three answered at index 5, alone or with another after it, the same samples
        long[] three = {1, 2, 3, 4, 1, 2, 4, 3, 2, 1, 1, 2, 3, 4, 2, 1, 4, 3};
        Sampling noisy = new Sampling(3, 2.0, true, false, 11);
        Inference.Answer together = Inference.run(net, three, new long[] {1, 2, 1}, 4, DIS, 1.0, true, noisy);
        Inference.Answer alone = Inference.run(net, Arrays.copyOfRange(three, 6, 12), new long[] {2}, 5, DIS, 1.0, true, noisy);
        Inference.Answer shifted = Inference.run(net, Arrays.copyOfRange(three, 6, 18), new long[] {2, 1}, 5, DIS, 1.0, true, noisy);
        for (Inference.Answer other : new Inference.Answer[] {alone, shifted}) {
            assertArrayEquals(Arrays.copyOfRange(together.cells(), 3 * 6, 6 * 6), Arrays.copyOfRange(other.cells(), 0, 3 * 6), 1e-12);
            for (int k = 0; k < 3; k++) assertArrayEquals(together.predictions()[3][3 + k], other.predictions()[3][k], "copy " + k);
        }
        Inference.Answer elsewhere = Inference.run(net, Arrays.copyOfRange(three, 6, 12), new long[] {2}, 6, DIS, 1.0, true, noisy);
        assertFalse(Arrays.equals(alone.cells(), elsewhere.cells()), "another index, other noise");
        // more samples add to the first ones: K = 5's first 3 samples of each puzzle are K = 3's
        Inference.Answer five = Inference.run(net, three, new long[] {1, 2, 1}, 4, DIS, 1.0, true, new Sampling(5, 2.0, true, false, 11));
        for (int i = 0; i < 3; i++)
            assertArrayEquals(Arrays.copyOfRange(together.cells(), i * 3 * 6, (i * 3 + 3) * 6), Arrays.copyOfRange(five.cells(), i * 5 * 6, (i * 5 + 3) * 6), 1e-12, "puzzle " + i);
    }

    private static Tensor slots(long first, int rows, int k) {
        return Torch.fromLongs(Device.CPU, Inference.slots(first, rows, k), rows);
    }

    @Test
    void theNoiseIsGaussianOfTheGivenScaleOnZAndOnYWhenAsked() {
        Natives.load();
        Network net = net();
        Carry carry = net.initialCarry(64);
        Carry zOnly = Inference.noised(carry, new Sampling(1, 0.5, false, false, 1), 1, slots(0, 64, 1)), both = Inference.noised(carry, new Sampling(1, 0.5, true, false, 1), 1, slots(0, 64, 1));
        double[] dz = Torch.toDoubles(zOnly.z().sub(carry.z())), dy = Torch.toDoubles(both.y().sub(carry.y()));
        assertEquals(0.0, Torch.item(zOnly.y().sub(carry.y()).abs().max()), 0.0, "y untouched unless asked");
        for (double[] d : new double[][] {dz, dy}) {
            double mean = Arrays.stream(d).average().orElseThrow(), var = Arrays.stream(d).map(x -> (x - mean) * (x - mean)).sum() / d.length;
            assertEquals(0, mean, 0.02);
            assertEquals(0.25, var, 0.02, "variance sigma^2");
        }
        Tensor other = Inference.noised(carry, new Sampling(1, 0.5, false, false, 1), 2, slots(0, 64, 1)).z();
        assertFalse(Arrays.equals(Torch.toDoubles(other), Torch.toDoubles(zOnly.z())), "every step draws anew");
    }

    @Test
    void samplesAndNoiseAreBounded() {
        assertEquals("samples 65: must be in 1..64", assertThrows(UserError.class, () -> new Sampling(65, 0, false, false, 0)).getMessage());
        assertThrows(UserError.class, () -> new Sampling(2, -1, false, false, 0));
        assertThrows(UserError.class, () -> new Sampling(2, Double.NaN, false, false, 0));
    }
}
