package trm4j.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Presets are JSON data files ({@code /trm4j/presets/NAME.json}) with one object per concern
 * ({@code "model"}, {@code "data"}, {@code "train"}). {@code key=value} overrides address a field as
 * {@code model.hidden_size=128} or, when unambiguous, {@code hidden_size=128}.
 */
public final class Presets {
    private Presets() {}

    /** The names of the built-in presets, from the index file beside them. */
    public static List<String> names() {
        JsonNode index = read("index");
        List<String> names = new ArrayList<>();
        index.get("presets").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** The whole preset document with the overrides applied. */
    public static ObjectNode load(String name, Map<String, String> overrides) {
        if (!names().contains(name))
            throw new trm4j.UserError("unknown preset '" + name + "' (known: " + String.join(", ", names()) + ")");
        return apply((ObjectNode) read(name), "preset " + name, overrides);
    }

    public static ModelConfig model(String name, Map<String, String> overrides) {
        return modelOf(load(name, overrides), "preset " + name);
    }

    public static ModelConfig modelOf(JsonNode doc, String where) {
        return section(doc, "model", ModelConfig.class, where);
    }

    public static TrainConfig trainOf(JsonNode doc, String where) {
        return section(doc, "train", TrainConfig.class, where);
    }

    public static DataConfig dataOf(JsonNode doc, String where) {
        return section(doc, "data", DataConfig.class, where);
    }

    /**
     * Fields added after checkpoints were first written, with the value that means "as before":
     * a preset stored in an older checkpoint lacks them.
     */
    private static final Map<String, Map<String, Object>> ADDED_LATER = Map.of("train", Map.of("micro_batch", 0, "epochs", 0, "device", "cpu"),
            "model", Map.of("puzzle_emb_ndim", 0), "data", Map.of("validation", 0, "progress_versions", 0));

    /** One section of a document as its config record; a bad field is a one-line error naming it. */
    public static <T> T section(JsonNode doc, String name, Class<T> type, String where) {
        JsonNode node = doc.get(name);
        if (node == null) throw new trm4j.UserError(where + ": no \"" + name + "\" section");
        for (Map.Entry<String, Object> added : ADDED_LATER.getOrDefault(name, Map.of()).entrySet())
            if (!node.has(added.getKey()) && node instanceof ObjectNode o) o.set(added.getKey(), Json.MAPPER.valueToTree(added.getValue()));
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // A check in the record's constructor arrives wrapped by Jackson; its message is the one to show.
            if (e.getCause() instanceof trm4j.UserError u) throw new trm4j.UserError(where + ": " + u.getMessage());
            throw new trm4j.UserError(where + ": " + name + ": " + firstLine(e.getOriginalMessage()));
        } catch (trm4j.UserError e) {
            throw new trm4j.UserError(where + ": " + e.getMessage());
        }
    }

    /** Applies {@code key=value} overrides to a document of sections; returns the document. */
    public static ObjectNode apply(ObjectNode doc, String where, Map<String, String> overrides) {
        overrides.forEach((k, v) -> override(doc, where, k, v));
        return doc;
    }

    private static void override(ObjectNode doc, String where, String key, String value) {
        String section = null, field = key;
        int dot = key.indexOf('.');
        if (dot > 0) {
            section = key.substring(0, dot);
            field = key.substring(dot + 1);
        } else {
            for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
                String s = it.next();
                if (doc.get(s).has(field)) {
                    if (section != null)
                        throw new trm4j.UserError("--set " + key + ": ambiguous, write " + section + "." + field + " or " + s + "." + field);
                    section = s;
                }
            }
        }
        if (section == null || !doc.has(section) || !doc.get(section).has(field))
            throw new trm4j.UserError("--set " + key + ": " + where + " has no such field");
        ObjectNode target = (ObjectNode) doc.get(section);
        JsonNode old = target.get(field);
        try {
            if (old.isBoolean()) {
                if (!value.equals("true") && !value.equals("false")) throw new NumberFormatException();
                target.put(field, Boolean.parseBoolean(value));
            } else if (old.isIntegralNumber()) target.put(field, Long.parseLong(value));
            else if (old.isNumber()) target.put(field, Double.parseDouble(value));
            else target.put(field, value);
        } catch (NumberFormatException e) {
            throw new trm4j.UserError("--set " + key + "=" + value + ": expected " + (old.isBoolean() ? "true or false"
                    : old.isIntegralNumber() ? "a whole number" : "a number"));
        }
    }

    private static JsonNode read(String name) {
        try (InputStream in = Presets.class.getResourceAsStream("/trm4j/presets/" + name + ".json")) {
            if (in == null) throw new trm4j.UserError("unknown preset '" + name + "'");
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String firstLine(String s) {
        if (s == null) return "invalid";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
