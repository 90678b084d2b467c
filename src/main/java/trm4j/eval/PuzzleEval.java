package trm4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import trm4j.config.TaskKind;
import trm4j.data.Batch;
import trm4j.data.NQueens;
import trm4j.data.Sample;
import trm4j.engine.Group;
import trm4j.model.Inference;
import trm4j.model.RecursiveModel;

/**
 * Exact accuracy on a puzzle test set (SPEC.md section 6), after every supervision step: the
 * curve DIS is built to improve. For N-Queens also the valid-completion accuracy (any solution
 * that keeps the given queens counts, not only the label's).
 */
public final class PuzzleEval {
    private PuzzleEval() {}

    /** @param stepAccuracy exact accuracy after step s = 1..N_sup; the last is the answer's */
    public record Result(int count, double exact, double tokens, List<Double> stepAccuracy, Double valid) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", count);
            m.put("exact_acc", exact);
            m.put("token_acc", tokens);
            m.put("step_acc", stepAccuracy);
            if (valid != null) m.put("valid_acc", valid);
            return m;
        }
    }

    /** Scores the test samples; when {@code stop} says so between batches, the result covers the samples done. */
    public static Result run(RecursiveModel net, List<Sample> test, TaskKind kind, Answering a, LongConsumer progress, BooleanSupplier stop) {
        return run(net, test, kind, a, progress, stop, Group.SINGLE);
    }

    /** Sharded over a group's ranks: rank r scores batches r, r + size, ...; the counts are summed at the end. */
    public static Result run(RecursiveModel net, List<Sample> test, TaskKind kind, Answering a, LongConsumer progress, BooleanSupplier stop,
                             Group group) {
        int batch = a.batch();
        int nSup = net.config().nSup();
        // Summed over the ranks: exact answers after each step, correct and counted tokens, valid completions, samples.
        double[] counts = new double[nSup + 4];
        for (int from = group.rank() * batch; from < test.size() && !stop.getAsBoolean(); from += group.size() * batch) {
            List<Sample> part = test.subList(from, Math.min(test.size(), from + batch));
            Batch rows = Batch.of(part);
            Inference.Answer answer = Inference.run(net, rows.tokens(), rows.puzzleIds(), a.method(), a.guidance(), false);
            long[] tokens = new long[2];
            for (int i = 0; i < part.size(); i++) {
                for (int s = 0; s < nSup; s++) if (rows.exact(i, answer.predictions()[s][i])) counts[s]++;
                byte[] last = answer.predictions()[nSup - 1][i];
                rows.countTokens(i, last, tokens);
                if (kind == TaskKind.NQUEENS && NQueens.isValidCompletion(part.get(i).input(), last)) counts[nSup + 2]++;
            }
            counts[nSup] += tokens[0];
            counts[nSup + 1] += tokens[1];
            counts[nSup + 3] += part.size();
            progress.accept(Math.min(test.size(), (long) counts[nSup + 3] * group.size()));
        }
        double[] total = group.allReduceSum(counts);
        double done = Math.max(1, total[nSup + 3]);
        List<Double> curve = new ArrayList<>();
        for (int s = 0; s < nSup; s++) curve.add(total[s] / done);
        return new Result((int) total[nSup + 3], curve.get(nSup - 1), total[nSup] / Math.max(1, total[nSup + 1]), curve,
                kind == TaskKind.NQUEENS ? total[nSup + 2] / done : null);
    }
}
