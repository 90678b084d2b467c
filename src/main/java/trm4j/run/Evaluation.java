package trm4j.run;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import trm4j.config.DataConfig;
import trm4j.config.Method;
import trm4j.config.TrainConfig;
import trm4j.data.ArcEvalSet;
import trm4j.data.Datasets;
import trm4j.data.PuzzleKinds;
import trm4j.data.Sample;
import trm4j.engine.Group;
import trm4j.eval.Answering;
import trm4j.eval.ArcEval;
import trm4j.eval.PuzzleEval;
import trm4j.metrics.Scores;
import trm4j.model.RecursiveModel;

/** Evaluates a model on a run's test data with a progress bar: puzzles or ARC with voting. */
public final class Evaluation {
    /**
     * How to answer: which method trained the model decides the input feed and the ARC tie-break.
     *
     * @param guidance guided decoding weight (1 = plain)
     * @param versions ARC: augmented versions voted over per test input
     * @param batch    rows per forward pass
     * @param limit    test puzzles (ARC: held-out tasks) evaluated, 0 = all
     * @param ks       ARC: the k of pass@k
     */
    public record Settings(Method method, double guidance, int versions, int batch, int limit, List<Integer> ks) {
        /** A run's own: plain decoding, its eval_versions, its eval_samples, pass@1 and pass@2. */
        public static Settings of(RunSetup run) {
            int versions = run.dataConfig() instanceof DataConfig.Arc a ? a.evalVersions() : 1;
            return new Settings(run.train().method(), 1.0, versions, batchOf(run.train()), run.train().evalSamples(), List.of(1, 2));
        }

        public Settings withGuidance(double w) { return new Settings(method, w, versions, batch, limit, ks); }
        public Settings withVersions(int v) { return new Settings(method, guidance, v, batch, limit, ks); }
        public Settings withBatch(int b) { return new Settings(method, guidance, versions, b, limit, ks); }
        public Settings withLimit(int l) { return new Settings(method, guidance, versions, batch, l, ks); }
        public Settings withKs(List<Integer> k) { return new Settings(method, guidance, versions, batch, limit, k); }

        Answering answering() { return new Answering(method, guidance, batch); }
    }

    /**
     * Rows per evaluation batch: the training chunk (micro_batch) when the preset sets one, since a
     * row without gradient needs less memory than one with it; else the batch, within 64..256
     * (at ARC's sequence length more rows cost memory and gain no speed).
     */
    static int batchOf(TrainConfig c) {
        return c.microBatch() > 0 ? c.microBatch() : Math.min(256, Math.max(c.batch(), 64));
    }

    /** The scores, plus the ARC result (answers and votes) for submissions and reports; null for puzzles. */
    public record Outcome(Scores scores, ArcEval.Result arc) {}

    private Evaluation() {}

    /** The validation puzzles a run's evaluations during training use, or null when it has none (they use the test set). */
    public static List<Sample> validation(Datasets.Data data) {
        return data.validation().isEmpty() ? null : data.validation();
    }

    /**
     * The evaluation of some puzzles (the test or the validation set; for ARC the held-out tasks),
     * sharded over the group's ranks (rank 0 reports the progress); when {@code stop} says so, it
     * ends at the next batch with what it has scored.
     */
    public static Outcome run(RecursiveModel net, Datasets.Data data, List<Sample> puzzles, Settings s, String label, BooleanSupplier stop,
                              Group group, Reporter reporter) {
        if (data.arc() != null) {
            ArcEvalSet set = data.arc().first(s.limit());
            LongConsumer progress = progress(group, reporter, label, set.queries(s.versions()).size(), "answers");
            ArcEval.Result r = ArcEval.run(net, set, s.versions(), s.ks(), s.answering(), progress, stop, group);
            return new Outcome(r.scores(), r);
        }
        List<Sample> test = s.limit() > 0 && s.limit() < puzzles.size() ? puzzles.subList(0, s.limit()) : puzzles;
        return new Outcome(PuzzleEval.run(net, test, PuzzleKinds.of(data.kind(), "data.kind"), s.answering(), progress(group, reporter, label, test.size(), "puzzles"), stop, group), null);
    }

    private static LongConsumer progress(Group group, Reporter reporter, String label, long total, String unit) {
        return group.isMain() ? done -> reporter.progress(label, done, total, unit, "") : done -> {};
    }
}
