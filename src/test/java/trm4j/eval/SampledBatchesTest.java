package trm4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import trm4j.config.Method;
import trm4j.config.ModelConfig;
import trm4j.data.ArcCanvas;
import trm4j.data.ArcEvalSet;
import trm4j.data.PuzzleKinds;
import trm4j.data.Sample;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.metrics.PuzzleScores;
import trm4j.model.Network;
import trm4j.model.Sampling;

/**
 * A sampled evaluation scores the same however its puzzles are batched: each copy's noise (and symmetry) is its
 * puzzle's, whichever batch the puzzle lands in. Random fp64 networks, so that answers depend on the noise.
 */
class SampledBatchesTest {
    private static final Method DIS = new Method.Dis(Method.Feed.PREDICTION, Method.StepWeights.EQUAL, 0);

    private static Network net(int seq, int vocab, int ids) {
        Natives.load();
        Torch.seed(7);
        Network net = Network.init(ModelConfig.builder().hiddenSize(16).heads(2).layers(1).seqLen(seq).vocabSize(vocab)
                .puzzleEmbLen(1).puzzleIds(ids).T(1).n(1).nSup(2).build(), Precision.FP64);
        try (NoGradGuard g = new NoGradGuard()) {
            for (Tensor w : net.weights().values()) w.normal_(0, 0.5, null);   // the output head starts at zero
        }
        return net;
    }

    @Test
    void puzzlesScoreTheSameAtAnyBatchSize() {
        Random rnd = new Random(1);
        List<Sample> test = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            byte[] in = new byte[16], out = new byte[16];
            for (int j = 0; j < 16; j++) {
                in[j] = (byte) (1 + rnd.nextInt(5));
                out[j] = (byte) (2 + rnd.nextInt(4));
            }
            test.add(new Sample(in, out, 0));
        }
        Network net = net(16, 6, 1);
        for (boolean augment : new boolean[] {false, true}) {
            Sampling s = new Sampling(4, 1.0, true, augment, 3);
            PuzzleScores one = PuzzleEval.run(net, test, PuzzleKinds.SUDOKU, new Answering(DIS, 1.0, 1, s, Selection.CONFIDENCE), n -> {}, () -> false);
            for (int batch : new int[] {3, 7})
                assertEquals(one, PuzzleEval.run(net, test, PuzzleKinds.SUDOKU, new Answering(DIS, 1.0, batch, s, Selection.CONFIDENCE), n -> {}, () -> false),
                        "batch " + batch + (augment ? ", augmented" : ""));
            PuzzleScores quiet = PuzzleEval.run(net, test, PuzzleKinds.SUDOKU, new Answering(DIS, 1.0, 3, new Sampling(4, 0, false, augment, 3),
                    Selection.CONFIDENCE), n -> {}, () -> false);
            assertNotEquals(quiet.tokens(), one.tokens(), "the noise changes the answers");
        }
    }

    @Test
    void arcVotesAreTheSameAtAnyBatchSize() {
        ArcEvalSet set = StoppedEvaluationTest.threeTasks();
        Network net = net(9, ArcCanvas.VOCAB, set.versions().size() + 1);
        Sampling s = new Sampling(3, 1.0, false, false, 2);
        ArcEval.Result one = ArcEval.run(net, set, 4, List.of(2), new Answering(DIS, 1.0, 1, s, Selection.VOTE), n -> {}, () -> false);
        ArcEval.Result five = ArcEval.run(net, set, 4, List.of(2), new Answering(DIS, 1.0, 5, s, Selection.VOTE), n -> {}, () -> false);
        for (int i = 0; i < one.tests().size(); i++)
            assertEquals(one.tests().get(i).ranked(), five.tests().get(i).ranked(), "test input " + i + ": the same votes");
    }
}
