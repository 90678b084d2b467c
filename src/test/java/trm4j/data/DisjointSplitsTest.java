package trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import trm4j.config.DataConfig;

/**
 * No test puzzle is, up to the augmentations training applies, a training puzzle: the keys are
 * invariant under those augmentations (and exact for small Sudoku), and generated splits avoid
 * each other's keys.
 */
class DisjointSplitsTest {
    @Test
    void sudokuKeysAreInvariantUnderAugmentationAndExactUpTo6x6() {
        for (int n : new int[] {4, 6, 9}) {
            Sudoku s = new Sudoku(n);
            Random rnd = new Random(n);
            for (int i = 0; i < (n == 9 ? 5 : 20); i++) {
                byte[][] p = s.puzzle(rnd, 0, 0);
                String key = s.augmentationKey(p[0]);
                for (int a = 0; a < 10; a++) assertEquals(key, s.augmentationKey(Sudoku.digits(s.symmetry(rnd).apply(Sudoku.tokens(p[0])))), n + "x" + n + " augmentation " + a);
                if (n <= 6) {   // exact: moving one clue to an empty cell gives another key unless it is an augmentation
                    byte[] other = p[0].clone();
                    int clue = 0, empty = 0;
                    while (other[clue] == 0) clue++;
                    while (other[empty] != 0) empty++;
                    other[empty] = other[clue];
                    other[clue] = 0;
                    boolean isAugmentation = false;
                    for (int a = 0; a < 3000 && !isAugmentation; a++)
                        isAugmentation = Arrays.equals(other, Sudoku.digits(s.symmetry(new Random(a)).apply(Sudoku.tokens(p[0]))));
                    if (!isAugmentation) assertNotEquals(key, s.augmentationKey(other), n + "x" + n);
                }
            }
        }
    }

    @Test
    void theDemosSplitsShareNoPuzzleUpToAugmentation() {
        DataConfig c = new DataConfig.Sudoku(4, 2000, 200, 0, 0, 10, 0, true);
        Datasets.Data d = Datasets.load(c);
        Sudoku s = new Sudoku(4);
        Set<String> test = new HashSet<>();
        for (Sample x : d.test()) test.add(s.augmentationKey(Sudoku.digits(x.input())));
        for (long i = 0; i < d.train().epochSize(); i++)
            assertFalse(test.contains(s.augmentationKey(Sudoku.digits(d.train().get(i).input()))), "training sample " + i);
        assertTrue(test.size() > 50, "the test set spans " + test.size() + " classes");
    }

    @Test
    void mazeKeysAreTheSameForAllEightTransformsAndSplitsAvoidEachOther() {
        PuzzleSet test = Maze.generate(20, 1, 11, 10);
        Set<String> held = new HashSet<>();
        for (byte[] in : test.inputs()) {
            String key = Maze.augmentationKey(in, 11);
            for (int d = 0; d < 8; d++) assertEquals(key, Maze.augmentationKey(Maze.dihedral(in, 11, d), 11));
            held.add(key);
        }
        PuzzleSet train = Maze.generate(50, 1, 11, 10, held);   // the same seed would repeat the test mazes
        for (byte[] in : train.inputs()) assertFalse(held.contains(Maze.augmentationKey(in, 11)));
    }

    @Test
    void validationPuzzlesShareNoPuzzleWithTheTestOrTrainingSetsUpToAugmentation() {
        DataConfig c = new DataConfig.Sudoku(4, 1500, 150, 150, 0, 10, 0, true);
        Datasets.Data d = Datasets.load(c);
        assertEquals(150, d.validation().size());
        Sudoku s = new Sudoku(4);
        Set<String> test = new HashSet<>(), validation = new HashSet<>();
        for (Sample x : d.test()) test.add(s.augmentationKey(Sudoku.digits(x.input())));
        for (Sample x : d.validation()) {
            String k = s.augmentationKey(Sudoku.digits(x.input()));
            assertFalse(test.contains(k), "a validation puzzle is a test puzzle up to augmentation");
            validation.add(k);
        }
        for (long i = 0; i < d.train().epochSize(); i++)
            assertFalse(validation.contains(s.augmentationKey(Sudoku.digits(d.train().get(i).input()))), "training sample " + i);
    }
}
