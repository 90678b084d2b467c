package trm4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import trm4j.UserError;
import trm4j.config.Method;
import trm4j.config.ModelConfig;
import trm4j.data.PuzzleKinds;
import trm4j.data.Symmetry;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.model.Inference;
import trm4j.model.Network;
import trm4j.model.Sampling;

/**
 * Sampled answering with a symmetry per copy, on a small random fp64 network over 4x4 Sudoku boards: each copy answers as
 * its transformed puzzle does alone, turned back; copy 0 is the puzzle; without augment nothing changes.
 */
class TrajectoriesTest {
    private static final Method DIS = new Method.Dis(Method.Feed.PREDICTION, Method.StepWeights.EQUAL, 0);
    private static final int SEQ = 16, K = 4;
    private static final long FIRST = 10;
    // two 4x4 Sudoku puzzles as tokens: 1 blank, digit d is d + 1
    private static final long[] TOKENS = {
            2, 1, 1, 5, 1, 5, 2, 1, 1, 2, 5, 1, 5, 1, 1, 2,
            1, 3, 4, 1, 4, 1, 1, 3, 3, 1, 1, 4, 1, 4, 3, 1};
    private static final long[] IDS = {0, 0};

    private static Network net() {
        Natives.load();
        Torch.seed(5);
        ModelConfig c = ModelConfig.builder().hiddenSize(16).heads(2).seqLen(SEQ).vocabSize(6).puzzleEmbLen(0).puzzleIds(1).nSup(3).build();
        Network net = Network.init(c, Precision.FP64);
        // Random weights all through (the output head starts at zero): answers that depend on the board, cell by cell.
        try (NoGradGuard g = new NoGradGuard()) {
            for (Tensor w : net.weights().values()) w.normal_(0, 0.5, null);
        }
        return net;
    }

    @Test
    void eachCopyAnswersAsItsTransformedPuzzleDoesTurnedBack() {
        Network net = net();
        Inference.Answer a = Trajectories.run(net, TOKENS, IDS, FIRST, PuzzleKinds.SUDOKU, DIS, 1.0, true, new Sampling(K, 0, false, true, 3));
        // The copies made here from the documented symmetries, each answered as a puzzle of its own in one deterministic batch
        // of the same shape (so that the arithmetic is the same): Trajectories' answers are theirs, turned back.
        Symmetry[] syms = new Symmetry[IDS.length * K];
        long[] copies = new long[syms.length * SEQ];
        boolean moved = false;
        for (int i = 0; i < IDS.length; i++) {
            byte[] board = new byte[SEQ];
            for (int j = 0; j < SEQ; j++) board[j] = (byte) TOKENS[i * SEQ + j];
            Symmetry[] own = Trajectories.symmetries(PuzzleKinds.SUDOKU, 4, K, 3, FIRST + i);
            assertEquals(Arrays.toString(board), Arrays.toString(own[0].apply(board)), "copy 0 is the puzzle");
            for (int c = 0; c < K; c++) {
                syms[i * K + c] = own[c];
                byte[] copy = own[c].apply(board);
                moved |= !Arrays.equals(copy, board);
                for (int j = 0; j < SEQ; j++) copies[(i * K + c) * SEQ + j] = copy[j];
            }
        }
        assertEquals(true, moved, "the other copies are transformed");
        Inference.Answer each = Inference.run(net, copies, new long[syms.length], DIS, 1.0, true);
        int last = each.predictions().length - 1, differ = 0;
        for (int r = 1; r < K; r++) if (!Arrays.equals(each.predictions()[last][0], each.predictions()[last][r])) differ++;
        assertEquals(true, differ > 0, "the copies answer differently before they are turned back");
        for (int r = 0; r < syms.length; r++) {
            for (int s = 0; s < each.predictions().length; s++)
                assertArrayEquals(syms[r].invert(each.predictions()[s][r]), a.predictions()[s][r], "row " + r + " step " + s);
            for (int j = 0; j < SEQ; j++)
                assertEquals(each.cells()[r * SEQ + j], a.cells()[r * SEQ + syms[r].from()[j]], 0.0, "cell confidence, row " + r);
        }
    }

    @Test
    void withoutAugmentOrWithOneSampleNothingChanges() {
        Network net = net();
        Inference.Answer plain = Inference.run(net, TOKENS, IDS, DIS, 1.0, true);
        Inference.Answer one = Trajectories.run(net, TOKENS, IDS, FIRST, PuzzleKinds.SUDOKU, DIS, 1.0, true, new Sampling(1, 0, false, true, 3));
        Inference.Answer copies = Trajectories.run(net, TOKENS, IDS, FIRST, PuzzleKinds.SUDOKU, DIS, 1.0, true, new Sampling(K, 0, false, false, 3));
        Inference.Answer sampled = Inference.run(net, TOKENS, IDS, FIRST, DIS, 1.0, true, new Sampling(K, 0, false, false, 3));
        assertArrayEquals(plain.cells(), one.cells(), 0.0);
        assertArrayEquals(sampled.cells(), copies.cells(), 0.0);
        for (int s = 0; s < sampled.predictions().length; s++) assertArrayEquals(sampled.predictions()[s], copies.predictions()[s]);
        for (int s = 0; s < plain.predictions().length; s++) assertArrayEquals(plain.predictions()[s], one.predictions()[s]);
    }

    @Test
    void theSameSeedAndIndexGiveTheSameSymmetriesAndOthersOthers() {
        Symmetry[] a = Trajectories.symmetries(PuzzleKinds.SUDOKU, 4, 8, 3, 7), b = Trajectories.symmetries(PuzzleKinds.SUDOKU, 4, 8, 3, 7);
        Symmetry[] other = Trajectories.symmetries(PuzzleKinds.SUDOKU, 4, 8, 3, 8);
        for (int c = 0; c < 8; c++) {
            assertArrayEquals(a[c].from(), b[c].from());
            assertArrayEquals(a[c].tokens(), b[c].tokens());
        }
        boolean differ = false;
        for (int c = 1; c < 8; c++) differ |= !Arrays.equals(a[c].from(), other[c].from()) || !Arrays.equals(a[c].tokens(), other[c].tokens());
        assertFalse(!differ, "another puzzle, other symmetries");
    }

    @Test
    void boardsThatAreNotSquareAreRefused() {
        Natives.load();
        Torch.seed(5);
        ModelConfig c = ModelConfig.builder().hiddenSize(16).heads(2).seqLen(6).vocabSize(6).puzzleEmbLen(0).puzzleIds(1).nSup(2).build();
        Network net = Network.init(c, Precision.FP64);
        UserError e = assertThrows(UserError.class, () -> Trajectories.run(net, new long[6], new long[] {0}, 0, PuzzleKinds.SUDOKU, DIS, 1.0, false,
                new Sampling(2, 0, false, true, 0)));
        assertEquals("augment: the model's 6 cells are no square board", e.getMessage());
    }
}
