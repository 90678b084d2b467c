package trm4j.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.UserError;
import trm4j.config.Json;
import trm4j.config.Presets;
import trm4j.engine.Group;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.PrecisionSetting;
import trm4j.eval.ArcEval;
import trm4j.eval.Votes;
import trm4j.model.Checkpoint;
import trm4j.train.RunFolder;

/**
 * Evaluating a checkpoint: its run's preset gives the data and the method (a reference checkpoint,
 * which has none, gets the ARC preset's around its model), {@code --set} may change the data, and
 * the result comes as metrics, a printable report and JSON.
 */
public final class EvalRun {
    /** The preset whose data and method evaluate a checkpoint that has no trm4j run preset. */
    public static final String REFERENCE_PRESET = "trm-arc";

    /**
     * What to evaluate and how.
     *
     * @param precision   auto, bf16, fp32 or fp64
     * @param device      where to compute
     * @param overrides   {@code --set} fields: data fields, or model fields of a reference checkpoint
     * @param versions    ARC versions voted over (0: the run's)
     * @param batch       rows per forward pass (0: the run's)
     * @param identifiers a reference dataset's identifiers.json (its versions and puzzle ids), or null
     * @param arcOnly     the name of an option that needs ARC data (refused before the work otherwise), or null
     */
    public record Request(Path checkpoint, PrecisionSetting precision, Device device, Map<String, String> overrides, int versions, double guidance,
                          List<Integer> ks, int batch, Path identifiers, String arcOnly) {
        public static Request of(Path checkpoint) {
            return new Request(checkpoint, PrecisionSetting.AUTO, Device.CPU, Map.of(), 0, 1.0, List.of(1, 2), 0, null, null);
        }

        public Request withPrecision(PrecisionSetting p) { return new Request(checkpoint, p, device, overrides, versions, guidance, ks, batch, identifiers, arcOnly); }
        public Request on(Device d) { return new Request(checkpoint, precision, d, overrides, versions, guidance, ks, batch, identifiers, arcOnly); }
        public Request withOverrides(Map<String, String> o) { return new Request(checkpoint, precision, device, o, versions, guidance, ks, batch, identifiers, arcOnly); }
        public Request withVersions(int v) { return new Request(checkpoint, precision, device, overrides, v, guidance, ks, batch, identifiers, arcOnly); }
        public Request withGuidance(double g) { return new Request(checkpoint, precision, device, overrides, versions, g, ks, batch, identifiers, arcOnly); }
        public Request withKs(List<Integer> k) { return new Request(checkpoint, precision, device, overrides, versions, guidance, k, batch, identifiers, arcOnly); }
        public Request withBatch(int b) { return new Request(checkpoint, precision, device, overrides, versions, guidance, ks, b, identifiers, arcOnly); }
        public Request withIdentifiers(Path i) { return new Request(checkpoint, precision, device, overrides, versions, guidance, ks, batch, i, arcOnly); }
        public Request needingArc(String option) { return new Request(checkpoint, precision, device, overrides, versions, guidance, ks, batch, identifiers, option); }
    }

    /** The evaluation, the lines to print and the JSON to write. */
    public record Outcome(Evaluation.Outcome result, String report, Map<String, Object> json) {}

    private EvalRun() {}

    /** Evaluates; when {@code stop} says so, it ends at the next batch with what it has scored. */
    public static Outcome run(Request r, BooleanSupplier stop) {
        if (r.batch() < 0) throw new UserError("--batch must be at least 1 (0: the run's)");
        for (int k : r.ks()) if (k < 1) throw new UserError("--pass " + k + ": k must be at least 1 (pass@k counts k attempts)");
        if (r.versions() < 0) throw new UserError("--versions " + r.versions() + ": must be at least 1 (or left out for the run's)");
        if (r.identifiers() != null && !Files.isRegularFile(r.identifiers())) throw new UserError("--identifiers " + r.identifiers() + ": no such file");
        Natives.load();
        // Model fields may be set only for a reference checkpoint, whose configuration comes from its shapes.
        ObjectNode base = Presets.load(REFERENCE_PRESET, Map.of());
        Map<String, String> modelSet = new LinkedHashMap<>(), rest = new LinkedHashMap<>();
        r.overrides().forEach((key, value) -> {
            String field = key.startsWith("model.") ? key.substring(6) : key;
            boolean model = key.startsWith("model.") || (!key.contains(".") && base.path("model").has(field) && !base.path("data").has(field));
            (model ? modelSet : rest).put(model ? field : key, value);
        });
        Checkpoint.Loaded loaded = Checkpoint.load(r.checkpoint(), PrecisionChoice.of(r.precision(), r.device()).precision(), r.device(), modelSet, true);
        if (!loaded.inferred() && !modelSet.isEmpty())
            throw new UserError("--set " + modelSet.keySet().iterator().next() + ": the model's fields come from " + r.checkpoint()
                    + " and cannot change at evaluation");
        String preset = loaded.metadata().get(RunFolder.PRESET_KEY);
        ObjectNode saved;
        if (preset != null) {
            try {
                saved = Presets.upgrade((ObjectNode) Json.MAPPER.readTree(preset));
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                throw new UserError(r.checkpoint() + ": metadata " + RunFolder.PRESET_KEY + " is not valid JSON");
            }
        } else {
            saved = base;
            saved.set("model", Json.MAPPER.valueToTree(loaded.network().config()));
            System.err.println("trm4j: " + r.checkpoint() + " has no trm4j run preset: evaluated with preset " + REFERENCE_PRESET
                    + "'s data and method around its model (--set data.FIELD=VALUE changes the data)");
        }
        ObjectNode doc = Presets.apply(saved, r.checkpoint().toString(), rest);
        RunSetup run = RunSetup.of(doc, r.checkpoint().toString(), null, null, r.identifiers());
        if (r.identifiers() != null && run.model().puzzleIds() != loaded.network().config().puzzleIds())
            throw new UserError("--identifiers " + r.identifiers() + ": names " + run.model().puzzleIds() + " puzzle ids, but " + r.checkpoint()
                    + " has " + loaded.network().config().puzzleIds() + " puzzle embeddings");
        if (r.arcOnly() != null && run.data().arc() == null)
            throw new UserError(r.arcOnly() + ": " + r.checkpoint() + " is a " + run.data().kind() + " model; this option is for ARC models");
        Notices.announce(r.precision(), r.device());
        Evaluation.Settings s = Evaluation.Settings.of(run).withGuidance(r.guidance()).withKs(r.ks()).withLimit(0);
        if (r.versions() > 0) s = s.withVersions(r.versions());
        if (r.batch() > 0) s = s.withBatch(r.batch());
        Evaluation.Outcome o = Evaluation.run(loaded.network(), run.data(), s, "eval", stop, Group.current(r.device()));
        Map<String, Object> json = new LinkedHashMap<>(o.summary());
        json.put("checkpoint", r.checkpoint().toString());
        json.put("guidance", r.guidance());
        if (o.arc() != null) json.put("tests", testsJson(o.arc()));
        if (!run.data().skipped().isEmpty()) json.put("skipped", run.data().skipped());
        String report = report(o, r.guidance()) + (run.data().skipped().isEmpty() ? "" : "\nnot scored: " + run.data().skipped());
        return new Outcome(o, report, json);
    }

    static String report(Evaluation.Outcome o, double guidance) {
        StringBuilder b = new StringBuilder();
        if (o.arc() != null) {
            ArcEval.Result r = o.arc();
            b.append(String.format("ARC: %d tasks, %d test inputs, %d versions each, guidance %s%n", r.tasks(), r.tests().size(), r.versions(), guidance));
            r.passAtK().forEach((k, v) -> b.append(String.format("pass@%d: %.4f%n", k, v)));
            b.append("pass@2 after each step: ").append(format(r.stepPass2()));
        } else {
            var p = o.puzzles();
            b.append(String.format("%d puzzles, guidance %s%nexact accuracy: %.4f%ntoken accuracy: %.4f%n", p.count(), guidance, p.exact(), p.tokens()));
            if (p.valid() != null) b.append(String.format("valid completions (N-Queens): %.4f%n", p.valid()));
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
