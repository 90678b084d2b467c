package trm4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import trm4j.UserError;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.Torch;
import trm4j.eval.ArcEval;
import trm4j.eval.Submission;
import trm4j.eval.Votes;
import trm4j.model.Checkpoint;
import trm4j.model.Presets;
import trm4j.report.TaskImages;
import trm4j.train.Trainer;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained model on its run's test set, or on other data.",
                "Takes DIR/model.safetensors of a run; --set data.FIELD=VALUE changes the data (the model's fields come from "
                + "the checkpoint). Runs N_sup supervision steps and prints the accuracy after each step; for ARC, votes "
                + "over augmented versions and reports pass@k."})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "model.safetensors from 'trm4j train'") Path checkpoint;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a data or model field, e.g. --set data.test=1000")
    Map<String, String> overrides = new LinkedHashMap<>();
    @Option(names = "--versions", paramLabel = "N", description = "ARC: augmented versions voted over per test input (1, 8, 100, 1000; default: the run's)")
    int versions;
    @Option(names = "--guidance", paramLabel = "W", defaultValue = "1", description = "guided decoding weight: (1-W)*before + W*after a step; 1 = plain (default)")
    double guidance;
    @Option(names = "--pass", paramLabel = "K", split = ",", defaultValue = "1,2", description = "ARC: the k of pass@k to report (default 1,2)")
    List<Integer> ks = new ArrayList<>();
    @Option(names = "--precision", paramLabel = "P", defaultValue = "auto", description = "auto (default: bf16 where the CPU computes it natively and faster, else fp32), bf16, fp32 or fp64")
    String precision;
    @Option(names = "--batch", paramLabel = "B", description = "samples per forward pass (default: the run's micro_batch, or its batch within 64..256 when micro_batch is 0)")
    Integer batch;
    @Option(names = "--out", paramLabel = "FILE", description = "write the results as JSON (per ARC test input: attempts, votes, correct)") Path out;
    @Option(names = "--submission", paramLabel = "FILE", description = "ARC: write the ARC Prize submission file") Path submission;
    @Option(names = "--identifiers", paramLabel = "FILE", description = "ARC: a reference dataset's identifiers.json, so that a reference "
            + "checkpoint answers the very versions (dihedral, colours) and puzzle ids it was trained with") Path identifiers;
    @Option(names = "--images", paramLabel = "DIR", description = "ARC: one PNG per test input (demonstrations; test input, attempt 1, attempt 2, truth, each attempt framed green when right and red when wrong; the answer after each supervision step) and an index.html") Path images;

    @Override
    public Integer call() throws Exception {
        if (batch != null && batch < 1) throw new UserError("--batch must be at least 1");
        for (int k : ks) if (k < 1) throw new UserError("--pass " + k + ": k must be at least 1 (pass@k counts k attempts)");
        if (versions < 0) throw new UserError("--versions " + versions + ": must be at least 1 (or left out for the run's)");
        if (out != null) trm4j.Outputs.file(out, "--out");
        if (submission != null) trm4j.Outputs.file(submission, "--submission");
        if (images != null) trm4j.Outputs.folder(images, "--images");
        Torch.init();
        BenchCommand.parsePrecision(precision, "--precision");   // a wrong value stops here
        if (identifiers != null && !java.nio.file.Files.isRegularFile(identifiers)) throw new UserError("--identifiers " + identifiers + ": no such file");
        String arcOnly = submission != null ? "--submission" : images != null ? "--images" : identifiers != null ? "--identifiers" : null;
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Evaluated e;
        int status = 0;
        try (StopSignals signals = new StopSignals(() -> stop.set(true), "stopping after the current batch; what is scored is kept")) {
            e = evaluate(checkpoint, precision, overrides, versions, guidance, ks, batch, arcOnly, identifiers, stop::get);
            if (stop.get()) status = signals.status();
        }
        System.out.println(e.report());
        if (out != null) {
            trm4j.Outputs.writeAtomically(out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(e.json()));
            System.out.println("results: " + out);
        }
        if (images != null) System.out.println("images: " + writeImages(e.outcome().arc(), images));
        if (submission != null) {
            Submission.write(submission, e.outcome().arc().tests());
            System.out.println("submission: " + submission);
        }
        if (status != 0)
            throw new StopSignals.Stopped("stopped: the results above cover what was scored before the signal"
                    + (out != null || submission != null ? ", and so do the files written" : ""), status);
        return 0;
    }

    record Evaluated(Evaluation.Outcome outcome, String report, Map<String, Object> json) {}

    /** The preset whose data and method evaluate a checkpoint that has no trm4j run preset. */
    static final String REFERENCE_PRESET = "trm-arc";

    /**
     * @param arcOnly     an option that needs ARC data (checked before the work), or null
     * @param identifiers a reference dataset's identifiers.json (its versions and puzzle ids), or null
     */
    static Evaluated evaluate(Path checkpoint, String precision, Map<String, String> overrides, int versions, double guidance,
                              List<Integer> ks, Integer batch, String arcOnly, Path identifiers, java.util.function.BooleanSupplier stop) {
        // Model fields may be set only for a reference checkpoint, whose configuration comes from its shapes.
        ObjectNode base = Presets.load(REFERENCE_PRESET, Map.of());
        Map<String, String> modelSet = new LinkedHashMap<>(), rest = new LinkedHashMap<>();
        overrides.forEach((key, value) -> {
            String field = key.startsWith("model.") ? key.substring(6) : key;
            boolean model = key.startsWith("model.") || (!key.contains(".") && base.path("model").has(field) && !base.path("data").has(field));
            (model ? modelSet : rest).put(model ? field : key, value);
        });
        Checkpoint.Loaded loaded = Checkpoint.load(checkpoint, PrecisionChoice.of(precision).precision(), modelSet, true);
        if (!loaded.inferred() && !modelSet.isEmpty())
            throw new UserError("--set " + modelSet.keySet().iterator().next() + ": the model's fields come from " + checkpoint + " and cannot change at evaluation");
        String preset = loaded.metadata().get(Trainer.PRESET_KEY);
        ObjectNode doc;
        try {
            ObjectNode saved;
            if (preset != null) {
                saved = (ObjectNode) new ObjectMapper().readTree(preset);
            } else {
                // A reference checkpoint (or a converted one): the ARC preset's data and evaluation around its model.
                saved = base;
                saved.set("model", new ObjectMapper().valueToTree(loaded.network().config()));
                System.err.println("trm4j: " + checkpoint + " has no trm4j run preset: evaluated with preset " + REFERENCE_PRESET
                        + "'s data and method around its model (--set data.FIELD=VALUE changes the data)");
            }
            doc = Presets.apply(saved, checkpoint.toString(), rest);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new UserError(checkpoint + ": metadata " + Trainer.PRESET_KEY + " is not valid JSON");
        }
        RunSetup run = RunSetup.of(doc, checkpoint.toString(), null, null, identifiers);
        if (identifiers != null && run.model().puzzleIds() != loaded.network().config().puzzleIds())
            throw new UserError("--identifiers " + identifiers + ": names " + run.model().puzzleIds() + " puzzle ids, but " + checkpoint
                    + " has " + loaded.network().config().puzzleIds() + " puzzle embeddings");
        if (arcOnly != null && run.data().arc() == null)
            throw new UserError(arcOnly + ": " + checkpoint + " is a " + run.data().kind() + " model; this option is for ARC models");
        Notices.announce(precision);
        Evaluation.Settings s = TrainCommand.settings(run, guidance, versions);
        s = new Evaluation.Settings(s.dis(), s.feedPrediction(), guidance, s.versions(), batch != null ? batch : s.batch(), 0, ks);
        Evaluation.Outcome o = Evaluation.run(loaded.network(), run.data(), s, "eval", stop);
        Map<String, Object> json = new LinkedHashMap<>(o.summary());
        json.put("checkpoint", checkpoint.toString());
        json.put("guidance", guidance);
        if (o.arc() != null) json.put("tests", testsJson(o.arc()));
        if (!run.data().skipped().isEmpty()) json.put("skipped", run.data().skipped());
        String report = report(o, guidance) + (run.data().skipped().isEmpty() ? "" : "\nnot scored: " + run.data().skipped());
        return new Evaluated(o, report, json);
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

    /** A PNG per test input, and a page listing them with whether each was solved. */
    static Path writeImages(ArcEval.Result r, Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>trm4j ARC answers</title></head>"
                + "<body style=\"font-family:sans-serif\"><h1>ARC answers</h1><p>Each image: the demonstrations; the test input, "
                + "attempt 1, attempt 2 and the truth; the answer of the original version after each supervision step.</p>");
        for (ArcEval.TestResult t : r.tests()) {
            List<Votes.Candidate> c = t.ranked();
            trm4j.data.ArcTask task = r.task(t.taskId());
            String name = t.taskId() + "-" + t.test() + ".png";
            TaskImages.write(TaskImages.answer(task, task.test().get(t.test()).input(), c.isEmpty() ? null : c.get(0).grid(),
                    c.size() < 2 ? null : c.get(1).grid(), t.truth(), t.path()), dir.resolve(name));
            boolean solved = t.truth() != null && Votes.passes(c, t.truth(), 2);
            html.append("<h3>").append(t.taskId()).append(" test ").append(t.test()).append(solved ? " (solved)" : "")
                    .append("</h3><img src=\"").append(name).append("\">");
        }
        Path page = dir.resolve("index.html");
        java.nio.file.Files.writeString(page, html.append("</body></html>\n"));
        return page;
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
            for (Votes.Candidate c : t.ranked().subList(0, Math.min(5, t.ranked().size())))
                cands.add(Map.of("grid", c.grid().toArray(), "votes", c.votes(), "confidence", c.confidence()));
            m.put("candidates", cands);
            m.put("pass@1", t.truth() != null && Votes.passes(t.ranked(), t.truth(), 1));
            m.put("pass@2", t.truth() != null && Votes.passes(t.ranked(), t.truth(), 2));
            out.add(m);
        }
        return out;
    }
}
