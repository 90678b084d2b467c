package trm4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import trm4j.config.Method;
import trm4j.config.ModelConfig;
import trm4j.data.ArcCanvas;
import trm4j.data.ArcEvalSet;
import trm4j.data.ArcTask;
import trm4j.data.ArcVersions;
import trm4j.data.Grid;
import trm4j.data.PuzzleKinds;
import trm4j.data.Sample;
import trm4j.engine.Device;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.metrics.PuzzleScores;
import trm4j.model.Network;

/** An evaluation stopped between batches scores exactly what it finished: whole ARC tasks, or the samples done. */
class StoppedEvaluationTest {
    /** A DIS model fed its own predictions, plain decoding, 3 rows per batch. */
    private static final Answering DIS = new Answering(new Method.Dis(Method.Feed.PREDICTION, Method.StepWeights.EQUAL, 0), 1.0, 3);

    private static Network net(int seq, int vocab, int ids) {
        Natives.load();
        Torch.seed(0);
        return Network.init(ModelConfig.builder().hiddenSize(16).heads(2).layers(1).seqLen(seq).vocabSize(vocab)
                .puzzleEmbLen(1).puzzleIds(ids).T(1).n(1).nSup(2).build(), Precision.FP32);
    }

    /** Three held-out 2x2 tasks of one pair each, 4 versions of each, on a 3x3 canvas. */
    static ArcEvalSet threeTasks() {
        List<ArcTask> tasks = new ArrayList<>();
        List<List<ArcTask.Pair>> tests = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            ArcTask.Pair p = new ArcTask.Pair(Grid.of(new int[][] {{t, 1}, {2, 3}}), Grid.of(new int[][] {{3, 2}, {1, t}}));
            tasks.add(new ArcTask("task" + t, "test", List.of(p), List.of()));
            tests.add(List.of(p));
        }
        return new ArcEvalSet(tasks, new int[] {0, 1, 2}, tests, ArcVersions.build(tasks, 4, 0), 3, 3);
    }

    @Test
    void arcKeepsTheTasksWhoseVersionsWereAllAnswered() {
        ArcEvalSet set = threeTasks();
        Network net = net(9, ArcCanvas.VOCAB, set.versions().size() + 1);
        // 4 versions per task, batches of 3 queries: after 2 batches (6 answers) only task 0 is whole.
        AtomicInteger batches = new AtomicInteger();
        ArcEval.Result r = ArcEval.run(net, set, 4, List.of(2), DIS, n -> batches.incrementAndGet(), () -> batches.get() >= 2);
        assertEquals(1, r.tasks());
        assertEquals(List.of("task0"), r.tests().stream().map(ArcEval.TestResult::taskId).toList());
        ArcEval.Result whole = ArcEval.run(net, set, 4, List.of(2), DIS, n -> {}, () -> false);
        assertEquals(3, whole.tasks());
        assertEquals(whole.tests().get(0).ranked(), r.tests().get(0).ranked(), "task 0 got the same votes either way");
    }

    @Test
    void puzzlesCountOnlyTheSamplesDone() {
        List<Sample> test = new ArrayList<>();
        for (int i = 0; i < 10; i++) test.add(new Sample(new byte[] {1, 2, 1, 2}, new byte[] {2, 2, 1, 1}, 0));
        AtomicInteger batches = new AtomicInteger();
        PuzzleScores r = PuzzleEval.run(net(4, 3, 1), test, PuzzleKinds.SUDOKU, new Answering(DIS.method(), 1.0, 4), n -> batches.incrementAndGet(), () -> batches.get() >= 1);
        assertEquals(4, r.count());
    }

    /** Two ranks, only rank 0 told to stop after its first batch: both stop after that round, and score the same 4 samples. */
    @Test
    void ranksAgreeOnAStopOnlyOneOfThemWasTold() throws Exception {
        List<Sample> test = new ArrayList<>();
        for (int i = 0; i < 10; i++) test.add(new Sample(new byte[] {1, 2, 1, 2}, new byte[] {2, 2, 1, 1}, 0));
        Network net = net(4, 3, 1);
        Answering twoRows = new Answering(DIS.method(), 1.0, 2);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<PuzzleScores>> ranks = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int rank = r;
                ranks.add(pool.submit(() -> {
                    Group g = Group.join(rank, 2, "127.0.0.1", port, 30_000, null, Device.CPU);
                    AtomicInteger batches = new AtomicInteger();
                    return PuzzleEval.run(net, test, PuzzleKinds.SUDOKU, twoRows, n -> batches.incrementAndGet(), () -> rank == 0 && batches.get() >= 1, g);
                }));
            }
            assertEquals(4, ranks.get(0).get(60, TimeUnit.SECONDS).count());
            assertEquals(4, ranks.get(1).get(60, TimeUnit.SECONDS).count());
        } finally {
            pool.shutdownNow();
        }
    }
}
