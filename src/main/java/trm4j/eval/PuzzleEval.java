package trm4j.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import trm4j.data.Batch;
import trm4j.data.PuzzleKind;
import trm4j.data.Sample;
import trm4j.engine.Group;
import trm4j.metrics.PuzzleScores;
import trm4j.model.Inference;
import trm4j.model.RecursiveModel;

/**
 * Exact accuracy on a puzzle test set (docs/METHOD.md section 6), after every supervision step: the
 * curve DIS is built to improve. For a kind that checks answers (any solution counts, not only the
 * label's: N-Queens' completions, a maze's other shortest paths) also the share of valid answers.
 */
public final class PuzzleEval {
    private PuzzleEval() {}

    /** What a tally counts besides the exact answers after each step. */
    private enum Count { CHOSEN_EXACT, CORRECT_TOKENS, TOKENS, VALID, SAMPLES, HALT_EXACT, HALT_STEPS, AGREE }

    /** What the ranks sum: the exact answers after each supervision step, and the {@link Count}s. */
    private record Tally(double[] exactAfter, double[] counts) {
        Tally(int nSup) {
            this(new double[nSup], new double[Count.values().length]);
        }

        void add(Count c, double v) { counts[c.ordinal()] += v; }

        double get(Count c) { return counts[c.ordinal()]; }

        /** Summed over the ranks in one all-reduce. */
        Tally sum(Group group) {
            double[] flat = Arrays.copyOf(exactAfter, exactAfter.length + counts.length);
            System.arraycopy(counts, 0, flat, exactAfter.length, counts.length);
            double[] total = group.allReduceSum(flat);
            return new Tally(Arrays.copyOf(total, exactAfter.length), Arrays.copyOfRange(total, exactAfter.length, total.length));
        }
    }

    /** Scores the test samples; when {@code stop} says so between batches, the result covers the samples done. */
    public static PuzzleScores run(RecursiveModel net, List<Sample> test, PuzzleKind<?> kind, Answering a, LongConsumer progress, BooleanSupplier stop) {
        return run(net, test, kind, a, progress, stop, Group.SINGLE);
    }

    /**
     * Sharded over a group's ranks: in round j, rank r scores batch j x size + r; the counts are summed at the end. A stop
     * is agreed between the ranks at the start of a round, so that they score the same rounds whoever was told.
     */
    public static PuzzleScores run(RecursiveModel net, List<Sample> test, PuzzleKind<?> kind, Answering a, LongConsumer progress, BooleanSupplier stop,
                             Group group) {
        int batch = a.batch(), nSup = net.config().nSup();
        BiPredicate<byte[], byte[]> valid = kind.validity();
        Tally t = new Tally(nSup);
        int batches = (test.size() + batch - 1) / batch;
        for (int round = 0; round * group.size() < batches; round++) {
            if (group.allReduceSum(stop.getAsBoolean() ? 1 : 0)[0] > 0) break;   // with ranks: one number per round, a host sync
            int from = (round * group.size() + group.rank()) * batch;
            if (from >= test.size()) continue;
            List<Sample> part = test.subList(from, Math.min(test.size(), from + batch));
            Batch rows = Batch.of(part);
            int k = a.sampling().samples();
            Inference.Answer answer = Trajectories.run(net, rows.tokens(), rows.puzzleIds(), from, kind, a.method(), a.guidance(),
                    a.select().needsCells(a.method(), k), a.sampling());
            long[] tokens = new long[2];
            for (int i = 0; i < part.size(); i++) {
                Selection.Choice c = a.select().pick(answer, i, k, a.method());
                int r = i * k + c.sample();   // the chosen trajectory's row
                for (int s = 0; s < nSup; s++) if (rows.exact(i, answer.predictions()[s][r])) t.exactAfter()[s]++;
                byte[] last = answer.predictions()[c.step()][r];
                if (rows.exact(i, last)) t.add(Count.CHOSEN_EXACT, 1);
                rows.countTokens(i, last, tokens);
                if (valid != null && valid.test(part.get(i).input(), last)) t.add(Count.VALID, 1);
                int halt = Selection.haltingStep(answer.qHalt(), r);
                t.add(Count.HALT_STEPS, halt + 1);
                if (rows.exact(i, answer.predictions()[halt][r])) t.add(Count.HALT_EXACT, 1);
                t.add(Count.AGREE, (double) c.agree() / k);
            }
            t.add(Count.CORRECT_TOKENS, tokens[0]);
            t.add(Count.TOKENS, tokens[1]);
            t.add(Count.SAMPLES, part.size());
            progress.accept(Math.min(test.size(), (long) t.get(Count.SAMPLES) * group.size()));
        }
        Tally total = t.sum(group);
        double done = Math.max(1, total.get(Count.SAMPLES));
        List<Double> curve = new ArrayList<>();
        for (int s = 0; s < nSup; s++) curve.add(total.exactAfter()[s] / done);
        boolean halting = a.method().trainsHalting();
        return new PuzzleScores((int) total.get(Count.SAMPLES), total.get(Count.CHOSEN_EXACT) / done,
                total.get(Count.CORRECT_TOKENS) / Math.max(1, total.get(Count.TOKENS)), curve, valid != null ? total.get(Count.VALID) / done : null,
                halting ? total.get(Count.HALT_EXACT) / done : null, halting ? total.get(Count.HALT_STEPS) / done : null,
                a.sampling().samples() > 1 ? total.get(Count.AGREE) / done : null);
    }
}
