package trm4j.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.UserError;
import trm4j.config.Json;

/**
 * The one place {@link MetricsLine}s and {@link Scores} become JSON and back (docs/METRICS.md).
 * Reading is lenient where older runs wrote less (a missing optional field is null) and strict
 * where a line cannot mean anything without a field; unknown fields are ignored.
 */
public final class MetricsFile {
    private MetricsFile() {}

    /** One line of {@code metrics.jsonl}, without its newline. */
    public static String write(MetricsLine line) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("step", line.step());
        if (line instanceof MetricsLine.Engine e) {
            ObjectNode g = o.putObject("engine").put("precision", e.precision()).put("precision_reason", e.precisionReason())
                    .put("device", e.device());
            if (e.threads() != null) g.put("threads", e.threads());
            g.put("threads_adapt", e.threadsAdapt()).put("cpu", e.cpu()).put("ranks", e.ranks());
        } else if (line instanceof MetricsLine.Training t) {
            o.put("position", t.position()).put("loss", t.loss()).put("ce", t.ce());
            putIf(o, "token_acc", t.tokenAcc());
            putIf(o, "exact_acc", t.exactAcc());
            putIf(o, "halt_steps", t.haltSteps());
            putIf(o, "q_halt_acc", t.qHaltAcc());
            if (!t.stepAcc().isEmpty()) numbers(o.putArray("step_acc"), t.stepAcc());
            o.put("lr", t.lr()).put("calls_grad", t.callsGrad()).put("calls_nograd", t.callsNograd()).put("samples", t.samples())
                    .put("calls_per_sample", t.callsPerSample()).put("samples_per_s", t.samplesPerS());
            if (t.threads() != null) o.put("threads", t.threads());
            o.put("wall_s", t.wallS());
        } else if (line instanceof MetricsLine.Evaluation v) {
            ObjectNode e = scores(v.scores());
            if (v.split() == MetricsLine.Split.VALIDATION) e.put("split", "validation");
            if (v.test() != null) e.set("test", scores(v.test()));
            o.set("eval", e);
            o.put("calls", v.calls()).put("wall_s", v.wallS());
        }
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);   // a tree of numbers and strings always writes
        }
    }

    /** Scores as the JSON object an evaluation line and {@code eval --out} hold. */
    public static ObjectNode scores(Scores s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        if (s instanceof PuzzleScores p) {
            o.put("count", p.count()).put("exact_acc", p.exact()).put("token_acc", p.tokens());
            numbers(o.putArray("step_acc"), p.stepAccuracy());
            putIf(o, "valid_acc", p.valid());
            putIf(o, "halt_exact_acc", p.haltExact());
            putIf(o, "halt_step", p.haltStep());
            putIf(o, "agree", p.agree());
        } else if (s instanceof ArcScores a) {
            o.put("tasks", a.tasks()).put("test_inputs", a.testInputs()).put("versions", a.versions());
            a.passAtK().forEach((k, v) -> o.put("pass@" + k, v));
            numbers(o.putArray("step_pass@2"), a.stepPass2());
        }
        return o;
    }

    /** Every line of a {@code metrics.jsonl}; a line that is not one is a {@link UserError} naming the file and line. */
    public static List<MetricsLine> read(Path file) {
        List<String> text;
        try {
            text = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
        List<MetricsLine> out = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            if (text.get(i).isBlank()) continue;
            out.add(parse(text.get(i), file + ": line " + (i + 1)));
        }
        return out;
    }

    /** One line; {@code where} names it in an error. */
    public static MetricsLine parse(String json, String where) {
        JsonNode j;
        try {
            j = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UserError(where + " is not JSON");
        }
        Fields f = new Fields(j, where);
        long step = f.count("step");
        if (j.has("engine")) {
            Fields e = f.object("engine");
            return new MetricsLine.Engine(step, e.text("precision"), e.optText("precision_reason"), e.optText("device"),
                e.optInt("threads"), j.path("engine").path("threads_adapt").asBoolean(false), e.optText("cpu"), (int) e.optCount("ranks", 1));
        }
        if (j.has("eval")) {
            Fields e = f.object("eval");
            MetricsLine.Split split = "validation".equals(j.path("eval").path("split").asText()) ? MetricsLine.Split.VALIDATION : MetricsLine.Split.TEST;
            Scores test = j.path("eval").has("test") ? scores(e.object("test")) : null;
            return new MetricsLine.Evaluation(step, split, scores(e), test, f.count("calls"), f.number("wall_s"));
        }
        return new MetricsLine.Training(step, f.count("position"), f.number("loss"), f.number("ce"), f.optNumber("token_acc"),
            f.optNumber("exact_acc"), f.optNumbers("step_acc"), f.optNumber("halt_steps"), f.optNumber("q_halt_acc"), f.number("lr"),
            f.count("calls_grad"), f.count("calls_nograd"), f.count("samples"), f.optNumber("calls_per_sample"),
            f.number("samples_per_s"), f.optInt("threads"), f.number("wall_s"));
    }

    private static Scores scores(Fields f) {
        if (f.node.has("tasks")) {
            Map<Integer, Double> pass = new TreeMap<>();
            f.node.fieldNames().forEachRemaining(k -> {
            if (k.matches("pass@[0-9]{1,3}")) pass.put(Integer.parseInt(k.substring(5)), f.number(k));
            });
            return new ArcScores((int) f.count("tasks"), (int) f.count("test_inputs"), (int) f.count("versions"), new TreeMap<>(pass),
                f.optNumbers("step_pass@2"));
        }
        return new PuzzleScores((int) f.count("count"), f.number("exact_acc"), f.number("token_acc"), f.optNumbers("step_acc"),
            f.optNumber("valid_acc"), f.optNumber("halt_exact_acc"), f.optNumber("halt_step"), f.optNumber("agree"));
    }

    private static void putIf(ObjectNode o, String key, Double v) {
        if (v != null) o.put(key, v);
    }

    private static void numbers(ArrayNode a, List<Double> values) {
        values.forEach(a::add);
    }

    /** The fields of one JSON object, each read with the error a wrong one deserves. */
    private record Fields(JsonNode node, String where) {
        Fields {
            if (!node.isObject()) throw new UserError(where + ": not a JSON object");
        }

        Fields object(String key) {
            return new Fields(node.path(key), where + ", '" + key + "'");
        }

        private JsonNode required(String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) throw new UserError(where + ": no '" + key + "'");
            return v;
        }

        double number(String key) {
            JsonNode v = required(key);
            if (v.isNumber()) return v.asDouble();
            if (v.isTextual() && v.asText().equals("NaN")) return Double.NaN;
            throw new UserError(where + ": '" + key + "' is not a number");
        }

        Double optNumber(String key) {
            return node.hasNonNull(key) ? number(key) : null;
        }

        long count(String key) {
            JsonNode v = required(key);
            if (!v.canConvertToLong() || v.asLong() < 0) throw new UserError(where + ": '" + key + "' is not a count");
            return v.asLong();
        }

        long optCount(String key, long otherwise) {
            return node.hasNonNull(key) ? count(key) : otherwise;
        }

        Integer optInt(String key) {
            return node.hasNonNull(key) ? (int) Math.min(Integer.MAX_VALUE, count(key)) : null;
        }

        String text(String key) {
            return required(key).asText();
        }

        String optText(String key) {
            return node.hasNonNull(key) ? node.get(key).asText() : null;
        }

        List<Double> optNumbers(String key) {
            JsonNode a = node.get(key);
            if (a == null || a.isNull()) return List.of();
            if (!a.isArray()) throw new UserError(where + ": '" + key + "' is not a list of numbers");
            List<Double> out = new ArrayList<>();
            for (JsonNode v : a) {
            if (!v.isNumber()) throw new UserError(where + ": '" + key + "' is not a list of numbers");
            out.add(v.asDouble());
            }
            return out;
        }
    }
}
