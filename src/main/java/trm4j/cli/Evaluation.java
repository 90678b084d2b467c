package trm4j.cli;

import java.util.List;
import java.util.Map;

import trm4j.data.ArcEvalSet;
import trm4j.data.Datasets;
import trm4j.data.Sample;
import trm4j.eval.ArcEval;
import trm4j.eval.PuzzleEval;
import trm4j.model.Network;

/** Evaluates a model on a run's test data with a progress bar: puzzles or ARC with voting. */
final class Evaluation {
    /** How to answer: which method trained the model decides the input feed and the tie-break. */
    record Settings(boolean dis, boolean feedPrediction, double guidance, int versions, int batch, int limit, List<Integer> ks) {}

    /** The result as the metrics and JSON fields, plus the ARC result for submissions and reports. */
    record Outcome(Map<String, Object> summary, ArcEval.Result arc, PuzzleEval.Result puzzles) {}

    private Evaluation() {}

    static Outcome run(Network net, Datasets.Data data, Settings s, String label) {
        return run(net, data, s, label, () -> false);
    }

    /** The evaluation; when {@code stop} says so, it ends at the next batch with what it has scored. */
    static Outcome run(Network net, Datasets.Data data, Settings s, String label, java.util.function.BooleanSupplier stop) {
        if (data.arc() != null) {
            ArcEvalSet set = data.arc().first(s.limit());
            long total = set.queries(s.versions()).size();
            ProgressBar bar = new ProgressBar(label, total, "answers");
            ArcEval.Result r = ArcEval.run(net, set, s.versions(), s.batch(), s.feedPrediction(), s.guidance(),
                    !s.dis(), s.ks(), done -> bar.update(done, ""), stop);
            return new Outcome(r.toMap(), r, null);
        }
        List<Sample> test = s.limit() > 0 && s.limit() < data.test().size() ? data.test().subList(0, s.limit()) : data.test();
        ProgressBar bar = new ProgressBar(label, test.size(), "puzzles");
        PuzzleEval.Result r = PuzzleEval.run(net, test, data.kind(), s.batch(), s.feedPrediction(), s.guidance(),
                done -> bar.update(done, ""), stop);
        return new Outcome(r.toMap(), null, r);
    }
}
