package trm4j.eval;

import java.util.Random;

import trm4j.UserError;
import trm4j.config.Method;
import trm4j.data.Boards;
import trm4j.data.PuzzleKind;
import trm4j.data.Symmetry;
import trm4j.engine.Draws;
import trm4j.model.Inference;
import trm4j.model.RecursiveModel;
import trm4j.model.Sampling;

/**
 * Puzzles answered over sampled trajectories (docs/METHOD.md section 6). With {@link Sampling#augment}
 * copy 0 of a puzzle is the puzzle and every other copy the puzzle under its own symmetry of the kind,
 * drawn from the seed and the puzzle's index; each copy's answers (every step's, and its cells'
 * confidences) are mapped back, so that the rules choose among answers to the same puzzle.
 */
public final class Trajectories {
    private Trajectories() {}

    /** @param first the index of the first puzzle in its set: the same puzzle gets the same symmetries and noise in any batch */
    public static Inference.Answer run(RecursiveModel net, long[] tokens, long[] puzzleIds, long first, PuzzleKind<?> kind, Method method,
                                       double guidance, boolean cellProbabilities, Sampling s) {
        if (!s.augment() || s.samples() == 1) return Inference.run(net, tokens, puzzleIds, first, method, guidance, cellProbabilities, s);
        int seq = net.config().seqLen(), k = s.samples(), side = Boards.side(seq);
        if (side == 0) throw new UserError("augment: the model's " + seq + " cells are no square board");
        Symmetry[] symmetries = new Symmetry[puzzleIds.length * k];
        long[] copies = new long[symmetries.length * seq];
        byte[] board = new byte[seq];
        for (int i = 0; i < puzzleIds.length; i++) {
            for (int j = 0; j < seq; j++) board[j] = (byte) tokens[i * seq + j];
            Symmetry[] own = symmetries(kind, side, k, s.seed(), first + i);
            for (int c = 0; c < k; c++) {
                symmetries[i * k + c] = own[c];
                byte[] copy = own[c].apply(board);
                for (int j = 0; j < seq; j++) copies[(i * k + c) * seq + j] = copy[j];
            }
        }
        Inference.Answer a = Inference.runCopies(net, copies, Inference.copies(puzzleIds, 1, k), first, method, guidance, cellProbabilities, s);
        for (int r = 0; r < symmetries.length; r++) {
            for (byte[][] step : a.predictions()) step[r] = symmetries[r].invert(step[r]);
            if (a.cells() != null) {
                double[] cells = new double[seq];
                for (int j = 0; j < seq; j++) cells[symmetries[r].from()[j]] = a.cells()[r * seq + j];
                System.arraycopy(cells, 0, a.cells(), r * seq, seq);
            }
        }
        return a;
    }

    /** The symmetries of the copies of puzzle {@code index}: the identity, then k - 1 drawn from the seed and the index. */
    public static Symmetry[] symmetries(PuzzleKind<?> kind, int side, int k, long seed, long index) {
        Random rnd = new Random(Draws.key(seed, 0x5A5L, index));
        Symmetry[] out = new Symmetry[k];
        out[0] = Symmetry.identity(side * side);
        for (int c = 1; c < k; c++) out[c] = kind.symmetry(side, rnd);
        return out;
    }
}
