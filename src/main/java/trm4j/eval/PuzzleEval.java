package trm4j.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import trm4j.config.TaskKind;
import trm4j.data.Batch;
import trm4j.data.NQueens;
import trm4j.data.Sample;
import trm4j.engine.Group;
import trm4j.metrics.PuzzleScores;
import trm4j.model.Inference;
import trm4j.model.RecursiveModel;

/**
 * Exact accuracy on a puzzle test set (docs/METHOD.md section 6), after every supervision step: the
 * curve DIS is built to improve. For N-Queens also the valid-completion accuracy (any solution
 * that keeps the given queens counts, not only the label's).
 */
public final class PuzzleEval {
    private PuzzleEval() {}

    /** What the ranks sum: counts by name, not by place in an array. */
    private static final class Tally {
        final double[] exactAfter;
        double correctTokens, tokens, valid, samples, haltExact, haltSteps;

        Tally(int nSup) {
            exactAfter = new double[nSup];
        }

        double[] flat() {
            double[] f = Arrays.copyOf(exactAfter, exactAfter.length + 6);
            int n = exactAfter.length;
            f[n] = correctTokens;
            f[n + 1] = tokens;
            f[n + 2] = valid;
            f[n + 3] = samples;
            f[n + 4] = haltExact;
            f[n + 5] = haltSteps;
            return f;
        }

        static Tally of(double[] f, int nSup) {
            Tally t = new Tally(nSup);
            System.arraycopy(f, 0, t.exactAfter, 0, nSup);
            t.correctTokens = f[nSup];
            t.tokens = f[nSup + 1];
            t.valid = f[nSup + 2];
            t.samples = f[nSup + 3];
            t.haltExact = f[nSup + 4];
            t.haltSteps = f[nSup + 5];
            return t;
        }
    }

    /** Scores the test samples; when {@code stop} says so between batches, the result covers the samples done. */
    public static PuzzleScores run(RecursiveModel net, List<Sample> test, TaskKind kind, Answering a, LongConsumer progress, BooleanSupplier stop) {
        return run(net, test, kind, a, progress, stop, Group.SINGLE);
    }

    /** Sharded over a group's ranks: rank r scores batches r, r + size, ...; the counts are summed at the end. */
    public static PuzzleScores run(RecursiveModel net, List<Sample> test, TaskKind kind, Answering a, LongConsumer progress, BooleanSupplier stop,
                             Group group) {
        int batch = a.batch(), nSup = net.config().nSup();
        Tally t = new Tally(nSup);
        for (int from = group.rank() * batch; from < test.size() && !stop.getAsBoolean(); from += group.size() * batch) {
            List<Sample> part = test.subList(from, Math.min(test.size(), from + batch));
            Batch rows = Batch.of(part);
            Inference.Answer answer = Inference.run(net, rows.tokens(), rows.puzzleIds(), a.method(), a.guidance(), false);
            long[] tokens = new long[2];
            for (int i = 0; i < part.size(); i++) {
                for (int s = 0; s < nSup; s++) if (rows.exact(i, answer.predictions()[s][i])) t.exactAfter[s]++;
                byte[] last = answer.predictions()[nSup - 1][i];
                rows.countTokens(i, last, tokens);
                if (kind == TaskKind.NQUEENS && NQueens.isValidCompletion(part.get(i).input(), last)) t.valid++;
                int halt = haltingStep(answer.qHalt(), i);
                t.haltSteps += halt + 1;
                if (rows.exact(i, answer.predictions()[halt][i])) t.haltExact++;
            }
            t.correctTokens += tokens[0];
            t.tokens += tokens[1];
            t.samples += part.size();
            progress.accept(Math.min(test.size(), (long) t.samples * group.size()));
        }
        Tally total = Tally.of(group.allReduceSum(t.flat()), nSup);
        double done = Math.max(1, total.samples);
        List<Double> curve = new ArrayList<>();
        for (int s = 0; s < nSup; s++) curve.add(total.exactAfter[s] / done);
        boolean halting = a.method().trainsHalting();
        return new PuzzleScores((int) total.samples, curve.get(nSup - 1), total.correctTokens / Math.max(1, total.tokens), curve,
                kind == TaskKind.NQUEENS ? total.valid / done : null, halting ? total.haltExact / done : null, halting ? total.haltSteps / done : null);
    }

    /** The step (0-based) a sample halts at: the first whose q_halt is positive, else the last. */
    static int haltingStep(double[][] qHalt, int row) {
        for (int s = 0; s < qHalt.length; s++) if (qHalt[s][row] > 0) return s;
        return qHalt.length - 1;
    }
}
