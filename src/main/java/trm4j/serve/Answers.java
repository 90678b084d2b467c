package trm4j.serve;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.DidYouMean;
import trm4j.api.AdaptOptions;
import trm4j.api.ArcSolution;
import trm4j.api.ArcTask;
import trm4j.api.InvalidInputException;
import trm4j.api.Model;
import trm4j.api.ModelInfo;
import trm4j.api.Progress;
import trm4j.api.Puzzle;
import trm4j.api.Solution;
import trm4j.api.SolveOptions;
import trm4j.api.TaskKind;
import trm4j.config.Json;
import trm4j.data.ArcCanvas;
import trm4j.data.BoardLook;
import trm4j.data.PuzzleKinds;

/**
 * The service's JSON: requests read into the API's types (every mistake one line, as a
 * {@link BadRequest}), the API's answers written out. Nothing here computes.
 */
final class Answers {
    static final ObjectMapper JSON = Json.strict(new ObjectMapper()).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A request the service refuses: an HTTP status and one line. */
    static class BadRequest extends RuntimeException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** What {@code /v1/solve} is asked: a board, or an ARC task with its versions; the guidance weight. */
    record Solve(int[][] grid, ArcTask task, int versions, double guidance, SolveOptions options) {}

    /** The most sampled trajectories one request may ask per puzzle (each is a row of the model's batch). */
    static final int MAX_SAMPLES = 16;

    /** What {@code /v1/adapt} is asked. */
    record Adapt(ArcTask task, AdaptOptions options, double guidance) {}

    private Answers() {}

    /** A name a request gave, as a message quotes it: its first 40 characters. */
    static String shortened(String name) {
        return name.length() > 40 ? name.substring(0, 40) + "..." : name;
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) throw new BadRequest(400, "the body must be a JSON object");
            return n;
        } catch (StreamConstraintsException e) {   // valid JSON past the reader's bounds (a number of 1,000+ digits, nesting past 1,000): said as such
            throw new BadRequest(413, "the body is beyond what this service reads: " + String.valueOf(e.getOriginalMessage()).replaceAll(", from `[^`]*`", ""));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String what = Json.duplicateKey(e) != null ? Json.problem(e)
                    : String.valueOf(e.getOriginalMessage()).startsWith("Trailing token") ? "something follows the JSON object" : null;
            throw new BadRequest(400, "the body is not valid JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + (what == null ? "" : ": " + what));
        } catch (IOException e) {
            throw new BadRequest(400, "the body cannot be read: " + e.getMessage());
        }
    }

    /** The fields of each request: a name not among them (a typo, "sampels") is refused, naming the near ones. */
    private static final List<String> SOLVE_FIELDS = List.of("grid", "task", "id", "versions", "guidance", "samples", "noise", "noise_y", "augment",
            "select", "seed"), ADAPT_FIELDS = List.of("task", "id", "steps", "versions", "batch", "weights", "seconds", "guidance");

    private static void known(JsonNode body, List<String> fields) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f))
                throw new BadRequest(400, shortened(f) + ": no such field" + DidYouMean.of(f, fields)
                        + " (the fields: " + String.join(", ", fields) + ")");
        }
    }

    static Solve solve(JsonNode body, ModelInfo model, int maxVersions, int maxAnswers) {
        known(body, SOLVE_FIELDS);
        double guidance = number(body, "guidance", 1.0, -100, 100);
        SolveOptions options = options(body);
        if (model.kind() == TaskKind.ARC) {
            if (body.has("grid")) throw new BadRequest(400, "this is an ARC model: send {\"task\": {\"train\": [...], \"test\": [...]}, \"versions\": N}");
            int versions = (int) whole(body, "versions", 8, 1, maxVersions);
            return new Solve(null, bounded(task(body), versions, options.samples(), maxAnswers), versions, guidance, options);
        }
        if (body.has("task")) throw new BadRequest(400, "this is a " + model.kind() + " model: send {\"grid\": [[...]]}, 0 for an empty cell");
        for (String arcOnly : List.of("versions", "id"))
            if (body.has(arcOnly)) throw new BadRequest(400, arcOnly + ": for an ARC task; a " + model.kind() + " model answers {\"grid\": [[...]]}");
        JsonNode g = body.get("grid");
        if (g == null) throw new BadRequest(400, "a " + model.kind() + " model needs {\"grid\": [[...]]}, a " + model.rows() + "x" + model.cols() + " board");
        return new Solve(grid(g, "grid", Math.max(model.rows(), 30)), null, 0, guidance, options);
    }

    /**
     * Sampled trajectories (docs/SERVE.md): "samples" (1..16; more is 413), "noise", "noise_y", "augment", "select" and "seed";
     * a rule the model cannot follow is the model's refusal.
     */
    private static SolveOptions options(JsonNode body) {
        JsonNode k = body.get("samples");
        if (k != null && k.isIntegralNumber() && k.bigIntegerValue().compareTo(BigInteger.valueOf(MAX_SAMPLES)) > 0)
            throw new BadRequest(413, "samples: " + k + " trajectories per puzzle, more than the " + MAX_SAMPLES + " one request may ask");
        int samples = (int) whole(body, "samples", 1, 1, MAX_SAMPLES);
        double noise = number(body, "noise", 0, 0, 100);
        JsonNode s = body.get("select");
        if (s != null && !s.isNull() && !s.isTextual()) throw new BadRequest(400, "select: " + s + " is not one of \"vote\", \"halt\", \"first-halt\", \"confidence\"");
        SolveOptions.Select select;   // one the model cannot follow (halting rules of a DIS model, any but vote for ARC) is the model's 400
        try {
            select = SolveOptions.Select.parse(s == null || s.isNull() ? "vote" : s.asText(), "select");
        } catch (InvalidInputException e) {
            throw new BadRequest(400, e.getMessage());
        }
        return SolveOptions.defaults().withSamples(samples).withNoise(noise).withNoiseY(flag(body, "noise_y")).withAugment(flag(body, "augment"))
                .withSelect(select).withSeed(whole(body, "seed", 0, 0, Long.MAX_VALUE));
    }

    static Adapt adapt(JsonNode body, ModelInfo model, int maxVersions, int maxAnswers) {
        if (model.kind() != TaskKind.ARC) throw new BadRequest(400, "adaptation is for ARC models; this is a " + model.kind() + " model");
        known(body, ADAPT_FIELDS);
        AdaptOptions o = AdaptOptions.defaults().withSteps((int) whole(body, "steps", 60, 0, 10_000)).withVersions((int) whole(body, "versions", 8, 1, maxVersions))
                .withBatch((int) whole(body, "batch", 16, 1, 256)).withWeights(flag(body, "weights"))
                .withBudget(Duration.ofMillis((long) (1000 * number(body, "seconds", 60, 0.001, 3600))));
        return new Adapt(bounded(task(body), o.versions(), 1, maxAnswers), o, number(body, "guidance", 1.0, -100, 100));
    }

    /**
     * The work a task asks is bounded before any starts: a task larger than one answer may be
     * (its test inputs, its cells) is 413, and more versions x test inputs than a request may
     * ask is 422, saying how many versions it may have.
     */
    private static ArcTask bounded(ArcTask task, int versions, int samples, int maxAnswers) {
        if (task.tooLarge() != null) throw new BadRequest(413, task.tooLarge());
        int inputs = task.test().size();
        long answers = (long) versions * samples * inputs;
        if (answers > maxAnswers)
            throw new BadRequest(422, versions + " versions x " + (samples > 1 ? samples + " samples x " : "") + inputs + " test inputs = " + answers
                    + " answers, more than the " + maxAnswers + " one request may ask"
                    + (maxAnswers >= (long) samples * inputs ? "; ask for at most " + maxAnswers / (samples * inputs) + " versions" + (samples > 1 ? " (or fewer samples)" : "") : ""));
        return task;
    }

    private static ArcTask task(JsonNode body) {
        JsonNode t = body.get("task");
        if (t == null || !t.isObject()) throw new BadRequest(400, "an ARC model needs {\"task\": {\"train\": [...], \"test\": [...]}}");
        String id = body.path("id").asText("task");
        try {
            return ArcTask.parse(t.toString(), id.length() > 64 ? id.substring(0, 64) : id);
        } catch (InvalidInputException e) {
            throw new BadRequest(400, e.getMessage());
        }
    }

    /** A JSON board: a list of equal rows of whole numbers, checked for shape here and for values by the model. */
    private static int[][] grid(JsonNode g, String field, int maxSide) {
        if (!g.isArray()) throw new BadRequest(400, field + ": expected a list of rows");
        if (g.isEmpty()) throw new BadRequest(400, field + ": no rows");
        if (g.size() > maxSide) throw new BadRequest(400, field + ": " + g.size() + " rows, more than any model's " + maxSide);
        int[][] out = new int[g.size()][];
        for (int r = 0; r < g.size(); r++) {
            JsonNode row = g.get(r);
            if (!row.isArray()) throw new BadRequest(400, field + ": row " + (r + 1) + " is not a list");
            if (row.size() > maxSide) throw new BadRequest(400, field + ": row " + (r + 1) + " has " + row.size() + " cells, more than any model's " + maxSide);
            out[r] = new int[row.size()];
            for (int c = 0; c < row.size(); c++) {
                JsonNode v = row.get(c);
                if (!v.isIntegralNumber() || !v.canConvertToInt())
                    throw new BadRequest(400, field + ": row " + (r + 1) + ", column " + (c + 1) + ": " + v + (v.isIntegralNumber() ? " is out of range" : " is not a whole number"));
                out[r][c] = v.asInt();
            }
        }
        return out;
    }

    /** A count or a seed: a whole number within min..max (2.9 is refused, not cut to 2). */
    private static long whole(JsonNode body, String field, long otherwise, long min, long max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return otherwise;
        if (!v.isIntegralNumber()) throw new BadRequest(400, field + ": " + v + " is not a whole number");
        BigInteger b = v.bigIntegerValue();
        if (b.compareTo(BigInteger.valueOf(min)) < 0 || b.compareTo(BigInteger.valueOf(max)) > 0)
            throw new BadRequest(400, field + ": " + v + " is outside " + min + ".." + max);
        return b.longValue();
    }

    private static boolean flag(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !v.isBoolean()) throw new BadRequest(400, field + ": " + v + " is not true or false");
        return v != null && v.asBoolean();
    }

    private static double number(JsonNode body, String field, double otherwise, double min, double max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return otherwise;
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) throw new BadRequest(400, field + ": " + v + " is not a number");
        double d = v.asDouble();
        if (d < min || d > max) throw new BadRequest(400, field + ": " + v + " is outside " + fmt(min) + ".." + fmt(max));
        return d;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    // ---------------------------------------------------------------- answers

    static Map<String, Object> model(ModelInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", i.file().getFileName().toString());
        m.put("kind", i.kind().name());
        m.put("description", i.kind().description(i.rows()));
        m.put("method", i.method().name().toLowerCase());
        m.put("parameters", i.parameters());
        m.put("hidden_size", i.hiddenSize());
        m.put("heads", i.heads());
        m.put("layers", i.layers());
        m.put("T", i.T());
        m.put("n", i.n());
        m.put("N_sup", i.nSup());
        m.put("calls_per_step", i.callsPerStep());
        m.put("max_samples", MAX_SAMPLES);   // the page's samples control stays within it
        m.put("seq_len", i.seqLen());
        m.put("vocab_size", i.vocabSize());
        m.put("rows", i.rows());
        m.put("cols", i.cols());
        BoardLook look = i.kind() == TaskKind.ARC ? ArcCanvas.LOOK : PuzzleKinds.of(i.kind().name(), "kind").look(i.rows());
        m.put("cell_max", look.maxGiven());
        Map<String, Object> drawn = new LinkedHashMap<>();   // what the page draws a cell of each value with
        drawn.put("cells", look.cells());
        drawn.put("boxes", look.boxRows() == 0 ? List.of() : List.of(look.boxRows(), look.boxCols()));
        drawn.put("paint", look.paint());
        m.put("look", drawn);
        m.put("precision", i.precision().name().toLowerCase());
        m.put("precision_reason", i.precisionReason());
        m.put("device", i.device());
        m.put("reference", i.reference());
        return m;
    }

    static Map<String, Object> solution(Solution s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", s.steps());
        m.put("answer", s.answer());
        if (s.halting().length > 0) m.put("halting", s.halting());   // a TRM model's; DIS has no halting head
        if (s.valid() != null) m.put("valid", s.valid());   // by the kind's rules: a kind added without them has none
        m.put("millis", s.millis());
        if (s.samples().size() > 1) {   // sampled trajectories: every one, which was chosen and how many agree with it
            m.put("samples", s.samples());
            m.put("chosen", s.chosen());
            m.put("agree", s.agree());
        }
        return m;
    }

    static Map<String, Object> solution(ArcSolution s) {
        List<Map<String, Object>> tests = new ArrayList<>();
        for (ArcSolution.TestAnswer t : s.tests()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attempts", List.of(t.attempt1(), t.attempt2()));
            m.put("votes", t.votes());
            m.put("versions", t.versions());
            m.put("steps", t.steps());
            if (t.halting().length > 0) m.put("halting", t.halting());
            m.put("correct", t.correct());
            tests.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", s.taskId());
        m.put("tests", tests);
        m.put("millis", s.millis());
        return m;
    }

    static Map<String, Object> puzzle(Puzzle p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("grid", p.board());
        m.put("answer", p.answer());
        return m;
    }

    static byte[] bytes(Object o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] error(String message) {
        ObjectNode n = JSON.createObjectNode().put("error", message.replace('\n', ' '));
        return bytes(n);
    }

    /** The model's answer to a solve request; {@code stop} ends an ARC answer between batches (a board is one batch). */
    static Map<String, Object> answer(Model model, Solve s, BooleanSupplier stop) {
        return s.task() != null ? solution(model.solve(s.task(), s.versions(), s.guidance(), s.options(), Progress.NONE, stop))
                : solution(model.solve(s.grid(), s.guidance(), s.options()));
    }
}
