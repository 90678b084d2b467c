package trm4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import trm4j.data.Batch;
import trm4j.data.NQueens;
import trm4j.data.Sample;
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
    public static Result run(RecursiveModel net, List<Sample> test, String kind, int batch, boolean feedPrediction,
                             double guidance, LongConsumer progress, BooleanSupplier stop) {
        int nSup = net.config().nSup();
        long[] exactPerStep = new long[nSup];
        long[] tokens = new long[2];
        long valid = 0;
        int done = 0;
        for (int from = 0; from < test.size() && !stop.getAsBoolean(); from += batch) {
            List<Sample> part = test.subList(from, Math.min(test.size(), from + batch));
            Batch rows = Batch.of(part);
            Inference.Answer a = Inference.run(net, rows.tokens(), rows.puzzleIds(), feedPrediction, guidance);
            a.logits().close();
            for (int i = 0; i < part.size(); i++) {
                for (int s = 0; s < nSup; s++) if (rows.exact(i, a.predictions().get(s)[i])) exactPerStep[s]++;
                byte[] last = a.predictions().get(nSup - 1)[i];
                rows.countTokens(i, last, tokens);
                if (kind.equals("nqueens") && NQueens.isValidCompletion(part.get(i).input(), last)) valid++;
            }
            done = from + part.size();
            progress.accept(done);
        }
        List<Double> curve = new ArrayList<>();
        for (long e : exactPerStep) curve.add((double) e / Math.max(1, done));
        return new Result(done, curve.get(nSup - 1), (double) tokens[0] / Math.max(1, tokens[1]), curve,
                kind.equals("nqueens") ? (double) valid / Math.max(1, done) : null);
    }
}
