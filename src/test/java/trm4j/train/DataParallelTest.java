package trm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.data.NQueens;
import trm4j.data.PuzzleTraining;
import trm4j.engine.Device;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.metrics.MetricsLine;
import trm4j.model.Network;

/**
 * Data-parallel training on c10d (Gloo over loopback, two ranks as two threads of this JVM): two
 * ranks with half the batch each take the optimiser steps of one process with the whole batch.
 */
class DataParallelTest {
    private static final PuzzleTraining DATA = new PuzzleTraining(NQueens.generate(256, 4, Set.of()), false, 5);

    private static ObjectNode doc(String method, long steps) {
        Map<String, String> set = new LinkedHashMap<>();
        String[] kv = {"hidden_size", "16", "heads", "2", "N_sup", "3", "steps", String.valueOf(steps), "batch", "8", "lr", "3e-3",
                "warmup", "2", "precision", "fp64", "log_every", "2", "checkpoint_every", "6", "eval_every", "0",
                "ema", method.equals("trm") ? "0.9" : "0"};
        for (int i = 0; i < kv.length; i += 2) set.put(kv[i], kv[i + 1]);
        return Presets.load(method + "-nqueens-cpu", set);
    }

    private static Network fresh(ObjectNode doc, long seed) {
        Torch.seed(seed);
        return Network.init(Presets.modelOf(doc, "test"), Precision.FP64);
    }

    /** The training lines a trainer logs, as loss values. */
    private static final class Losses implements Trainer.Listener {
        final List<Double> values = new ArrayList<>();

        @Override public void logged(MetricsLine line, long total) {
            if (line instanceof MetricsLine.Training t) values.add(t.loss());
        }
    }

    /** Runs two ranks, each on its own thread; returns rank 0's losses. */
    private static List<Double> twoRanks(BiFunction<Integer, Group, Trainer> trainerOfRank) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Double>>> ranks = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int rank = r, p = port;
                ranks.add(pool.submit(() -> {
                    Group g = Group.join(rank, 2, "127.0.0.1", p, 60_000, null, Device.CPU);
                    Losses l = new Losses();
                    trainerOfRank.apply(rank, g).listen(l).run();
                    return l.values;
                }));
            }
            List<Double> zero = ranks.get(0).get();
            ranks.get(1).get();
            return zero;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSameWeights(Network expected, Network got, double tolerance, String what) {
        expected.tensors().forEach((k, w) -> assertArrayEquals(Torch.toDoubles(w), Torch.toDoubles(got.tensors().get(k)), tolerance, what + " " + k));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dis", "trm"})
    void twoRanksWithHalfTheBatchEachTakeTheStepsOfOneProcess(String method) throws Exception {
        Natives.load();
        ObjectNode doc = doc(method, 12);
        TrainConfig c = Presets.trainOf(doc, "test");
        Network single = fresh(doc, 0);
        Losses one = new Losses();
        new Trainer(single, c, DATA).listen(one).run();

        Network[] nets = {fresh(doc, 0), fresh(doc, 1)};   // rank 1 starts elsewhere: rank 0's weights are broadcast
        List<Double> two = twoRanks((rank, g) -> new Trainer(nets[rank], c, DATA, g));
        assertEquals(one.values.size(), two.size());
        for (int i = 0; i < two.size(); i++) assertEquals(one.values.get(i), two.get(i), 1e-9, method + " loss line " + i);
        assertSameWeights(single, nets[0], 1e-9, method + " rank 0 against one process:");
        assertSameWeights(nets[0], nets[1], 0, method + " rank 1 against rank 0:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dis", "trm"})
    void aRunCheckpointedInOneProcessResumesOnTwoRanksAsIfUninterrupted(String method, @TempDir Path dir) throws Exception {
        Natives.load();
        ObjectNode whole = doc(method, 12), half = doc(method, 6);
        Network uninterrupted = fresh(whole, 0);
        Losses one = new Losses();
        new Trainer(uninterrupted, Presets.trainOf(whole, "test"), DATA).listen(one).run();

        new Trainer(fresh(half, 0), Presets.trainOf(half, "test"), DATA).listen(new RunFolder(dir, half, 0)).run();
        TrainState.Saved[] saved = {TrainState.load(dir.resolve(TrainState.FILE)), TrainState.load(dir.resolve(TrainState.FILE))};
        List<Double> two = twoRanks((rank, g) -> {
            Trainer t = new Trainer(saved[rank].network(), Presets.trainOf(whole, "test"), DATA, g);
            t.restore(saved[rank]);
            return t;
        });
        List<Double> after = one.values.subList(one.values.size() - two.size(), one.values.size());
        for (int i = 0; i < two.size(); i++) assertEquals(after.get(i), two.get(i), 1e-9, method + " loss line " + i + " after resuming");
        assertSameWeights(uninterrupted, saved[0].network(), 1e-9, method + " resumed on two ranks:");
    }
}
