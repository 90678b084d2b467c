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
import trm4j.eval.Selection;
import trm4j.metrics.MetricsLine;
import trm4j.metrics.Scores;
import trm4j.model.RecursiveModel;
import trm4j.model.Sampling;

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
     * @param sampling sampled trajectories per puzzle (one without noise: the deterministic pass)
     * @param select   how a puzzle's answer is chosen among its samples
     */
    public record Settings(Method method, double guidance, int versions, int batch, int limit, List<Integer> ks, Sampling sampling, Selection select) {
        /** A run's own: plain decoding, its eval_versions, its eval_samples, pass@1 and pass@2, one trajectory. */
        public static Settings of(RunSetup run) {
            return new Settings(run.train().method(), 1.0, versionsOf(run), batchOf(run.train()), run.train().evalSamples(), List.of(1, 2),
                    Sampling.NONE, Selection.VOTE);
        }

        /** The same voting over {@code v} ARC versions (a run's evaluations before its last step vote over fewer). */
        public Settings withVersions(int v) { return new Settings(method, guidance, v, batch, limit, ks, sampling, select); }

        Answering answering() { return new Answering(method, guidance, batch, sampling, select); }
    }

    /** The ARC versions a run's final evaluation votes over (eval_versions); 1 for puzzles. */
    static int versionsOf(RunSetup run) {
        return run.dataConfig() instanceof DataConfig.Arc a ? a.evalVersions() : 1;
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

    /** Whether the data holds validation puzzles (ARC: tasks), which a run's evaluations during training then use instead of the test set. */
    public static boolean validates(Datasets.Data data) {
        return !data.validation().isEmpty();
    }

    /**
     * The evaluation of one split of the data (the test or the validation puzzles; for ARC the tasks
     * kept apart for it), sharded over the group's ranks (rank 0 reports the progress); when
     * {@code stop} says so, it ends at the next batch with what it has scored.
     */
    public static Outcome run(RecursiveModel net, Datasets.Data data, MetricsLine.Split split, Settings s, String label, BooleanSupplier stop,
                              Group group, Reporter reporter) {
        boolean test = split == MetricsLine.Split.TEST;
        if (data.arc() != null) {
            ArcEvalSet set = (test ? data.arc() : data.arcValidation()).first(s.limit());
            LongConsumer progress = progress(group, reporter, label, set.queries(s.versions()).size(), "answers");
            ArcEval.Result r = ArcEval.run(net, set, s.versions(), s.ks(), s.answering(), progress, stop, group);
            return new Outcome(r.scores(), r);
        }
        List<Sample> puzzles = test ? data.test() : data.validation();
        List<Sample> scored = s.limit() > 0 && s.limit() < puzzles.size() ? puzzles.subList(0, s.limit()) : puzzles;
        return new Outcome(PuzzleEval.run(net, scored, PuzzleKinds.of(data.kind(), "data.kind"), s.answering(), progress(group, reporter, label, scored.size(), "puzzles"), stop, group), null);
    }

    /** Rank 0's progress, told 0 at once: the bar's clock starts with the evaluation, not with its first batch. */
    private static LongConsumer progress(Group group, Reporter reporter, String label, long total, String unit) {
        if (!group.isMain()) return done -> {};
        reporter.progress(label, 0, total, unit, "");
        return done -> reporter.progress(label, done, total, unit, "");
    }
}
