package trm4j.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.UserError;
import trm4j.data.Sample;
import trm4j.engine.Group;
import trm4j.eval.ArcEval;
import trm4j.eval.Selection;
import trm4j.eval.Votes;
import trm4j.metrics.MetricsFile;
import trm4j.metrics.MetricsLine;
import trm4j.metrics.PuzzleScores;
import trm4j.model.Sampling;

/**
 * Evaluating a model on its run's data (a reference checkpoint: the ARC preset's), or on data
 * changed by data overrides; the result comes as metrics, a printable report and JSON.
 */
public final class EvalRun {
    /**
     * How to evaluate: the API's {@code EvalOptions}, which checks the ranges.
     *
     * @param overrides   data fields, e.g. data.test=1000 (model fields are the model file's)
     * @param versions    ARC versions voted over (0: the run's)
     * @param guidance    guided-decoding weight w (1: plain)
     * @param ks          ARC: the k of pass@k
     * @param batch       rows per forward pass (0: the run's)
     * @param identifiers a reference dataset's identifiers.json (its versions and puzzle ids), or null
     * @param sampling    sampled trajectories per puzzle (one without noise: the deterministic pass)
     * @param select      how a puzzle's answer is chosen among its samples
     * @param validation  score the validation puzzles instead of the test set (where choices are made: docs/REPRODUCTION.md)
     */
    public record Request(Map<String, String> overrides, int versions, double guidance, List<Integer> ks, int batch, Path identifiers,
                          Sampling sampling, Selection select, boolean validation) {}

    /** The evaluation, the lines to print and the JSON to write. */
    public record Outcome(Evaluation.Outcome result, String report, Map<String, Object> json) {}

    private EvalRun() {}

    /** Evaluates; when {@code stop} says so, it ends at the next batch with what it has scored. */
    public static Outcome run(ModelFile m, Request r, BooleanSupplier stop, Reporter reporter) {
        if (r.identifiers() != null && !Files.isRegularFile(r.identifiers())) throw new UserError("identifiers " + r.identifiers() + ": no such file");
        Path file = m.file();
        ObjectNode doc = m.evaluated(r.overrides());
        if (doc.path("data").path("kind").asText().equals("arc") && !m.reference())   // the tasks held out are drawn from these: others would include tasks the run trained on
            for (String field : List.of("seed", "holdout", "validation")) {
                JsonNode trained = m.preset().path("data").path(field), asked = doc.path("data").path(field);
                if (trained.isNumber() && asked.isNumber() && trained.asDouble() != asked.asDouble())
                    throw new UserError("data." + field + " " + asked.asText() + ": " + file + " held its test and validation tasks out with data." + field + " "
                            + trained.asText() + "; another would score tasks it trained on");
            }
        RunSetup run = RunSetup.of(doc, file.toString(), null, r.identifiers());
        int table = m.network().config().puzzleIds();
        if (run.model().puzzleIds() != table)   // each task version answers with its own row of the table: other data would read other rows, or none
            throw new UserError(r.identifiers() != null ? "identifiers " + r.identifiers() + ": names " + run.model().puzzleIds() + " puzzle ids, but " + file
                    + " has " + table + " puzzle embeddings"
                    : file + ": its puzzle table has " + table + " rows, but the data to evaluate gives " + run.model().puzzleIds() + " puzzle ids: a model answers "
                    + "with the rows of the tasks and versions it was trained on, so evaluate it on its run's data (data.set, data.root, data.versions as trained)"
                    + (m.reference() ? ", or give --identifiers, its dataset's identifiers.json" : ""));
        r.select().checkFor(run.train().method(), "select");
        if (run.data().arc() != null) r.select().checkForArc(r.sampling().augment());
        if (r.validation() && !Evaluation.validates(run.data()))
            throw new UserError("validation: this data keeps no validation " + (run.data().arc() != null ? "tasks" : "puzzles")
                    + " (set data.validation=N to keep them apart from the test set)");
        Evaluation.Settings s = new Evaluation.Settings(run.train().method(), r.guidance(), r.versions() > 0 ? r.versions() : Evaluation.versionsOf(run),
                r.batch() > 0 ? r.batch() : Evaluation.batchOf(run.train()), 0, r.ks(), r.sampling(), r.select());
        long t0 = System.nanoTime();
        Evaluation.Outcome o = Evaluation.run(m.network(), run.data(), r.validation() ? MetricsLine.Split.VALIDATION : MetricsLine.Split.TEST, s, "eval",
                stop, Group.current(m.network().device()), reporter);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> json = new LinkedHashMap<>();
        MetricsFile.scores(o.scores()).fields().forEachRemaining(f -> json.put(f.getKey(), f.getValue()));
        json.put("checkpoint", file.toString());
        json.put("guidance", r.guidance());
        json.put("split", r.validation() ? "validation" : "test");
        json.put("stopped", stop.getAsBoolean());   // true: the scores cover what was answered before the stop, not the whole split
        json.put("seconds", seconds);   // the answering alone, without start-up and data
        json.put("calls_per_answer", (long) r.sampling().samples() * m.network().config().nSup() * m.network().config().callsPerStep());
        json.put("samples", r.sampling().samples());
        boolean sampling = r.sampling().samples() > 1 || r.sampling().noisy() || r.sampling().augment();   // else the deterministic pass, said as such
        if (sampling) {
            json.put("noise", r.sampling().noise());
            json.put("noise_y", r.sampling().noiseY());
            json.put("augment", r.sampling().augment());
            json.put("select", r.select().toString());
            json.put("seed", r.sampling().seed());
        }
        if (o.arc() != null) json.put("tests", testsJson(o.arc()));
        if (!run.data().skipped().isEmpty()) json.put("skipped", run.data().skipped());
        String sampled = !sampling ? "" : String.format("%n%d sample%s per puzzle, noise %s%s%s, chosen by %s (seed %d)",
                r.sampling().samples(), r.sampling().samples() == 1 ? "" : "s", r.sampling().noise(), r.sampling().noiseY() ? " on z and y" : " on z",
                !r.sampling().augment() ? "" : r.sampling().samples() == 1 ? ", no symmetry (the one sample is the puzzle itself)" : ", each but the first under its own symmetry", r.select(), r.sampling().seed());
        String report = report(o, r.guidance()) + sampled + (r.validation() ? "\n(the validation puzzles, not the test set)" : "")
                + (run.data().skipped().isEmpty() ? "" : "\nnot scored: " + run.data().skipped());
        return new Outcome(o, report, json);
    }

    static String report(Evaluation.Outcome o, double guidance) {
        StringBuilder b = new StringBuilder();
        if (o.arc() != null) {
            ArcEval.Result r = o.arc();
            b.append(String.format("ARC: %d tasks, %d test inputs, %d version%s each, guidance %s%n", r.tasks(), r.tests().size(), r.versions(), r.versions() == 1 ? "" : "s", guidance));
            r.passAtK().forEach((k, v) -> b.append(String.format("pass@%d: %.4f%n", k, v)));
            b.append("pass@2 after each step: ").append(format(r.stepPass2()));
        } else {
            PuzzleScores p = (PuzzleScores) o.scores();
            b.append(String.format("%d puzzles, guidance %s%nexact accuracy: %.4f%ntoken accuracy: %.4f%n", p.count(), guidance, p.exact(), p.tokens()));
            if (p.valid() != null) b.append(String.format("valid answers (any that solves the puzzle): %.4f%n", p.valid()));
            if (p.agree() != null) b.append(String.format("samples ending with the chosen answer: %.3f%n", p.agree()));
            b.append("exact accuracy after each step: ").append(format(p.stepAccuracy()));
        }
        return b.toString();
    }

    private static String format(List<Double> v) {
        return v.stream().map(x -> String.format("%.3f", x)).reduce((a, c) -> a + " " + c).orElse("");
    }

    private static List<Map<String, Object>> testsJson(ArcEval.Result r) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ArcEval.TestResult t : r.tests()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("task", t.taskId());
            m.put("test", t.test());
            List<Map<String, Object>> cands = new ArrayList<>();
            for (Votes.Candidate c : t.ranked().subList(0, Math.min(5, t.ranked().size()))) {
                Map<String, Object> candidate = new LinkedHashMap<>();   // a fixed key order: the same results, the same file
                candidate.put("grid", c.grid().toArray());
                candidate.put("votes", c.votes());
                candidate.put("confidence", c.confidence());
                cands.add(candidate);
            }
            m.put("candidates", cands);
            m.put("pass@1", t.truth() != null && Votes.passes(t.ranked(), t.truth(), 1));
            m.put("pass@2", t.truth() != null && Votes.passes(t.ranked(), t.truth(), 2));
            out.add(m);
        }
        return out;
    }
}
