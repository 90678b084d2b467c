package trm4j.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.DidYouMean;
import trm4j.UserError;

/**
 * Presets are JSON documents with one object per concern: {@code "model"} ({@link ModelConfig}),
 * {@code "data"} ({@link DataConfig}, by kind) and {@code "train"} ({@link TrainConfig}, its
 * {@link Method} by kind). A preset file states only what differs from the preset it
 * {@code "extends"} (in the end one of the papers' bases, {@code base/trm} or {@code base/dis}), as
 * the reference composes its configuration from {@code arch: trm} and its own overrides; a data
 * section starts from its kind's defaults ({@code base/data}). {@link #load} gives the expanded
 * document, which is what a run writes to preset.json and its checkpoints.
 *
 * <p>{@code key=value} overrides address a field as {@code model.hidden_size=128}, or by a suffix
 * of its path when that is unambiguous ({@code hidden_size=128}, {@code feed=input}).
 * {@code method=trm} switches the method to the given kind's defaults.
 */
public final class Presets {
    private static final String BASE = "base/";

    private Presets() {}

    /** The names of the built-in presets, from the index file beside them. */
    public static List<String> names() {
        return fieldNames(read("index").get("presets"));
    }

    /** What a built-in preset is for, in a few words (the index file's line for it). */
    public static String purpose(String name) {
        return read("index").get("presets").path(name).asText();
    }

    /**
     * The whole preset document, expanded, with the overrides applied. {@code name} is a built-in
     * preset or a preset file ({@code *.json}), whose {@code extends} names a built-in preset or
     * another file, relative to its own folder.
     */
    public static ObjectNode load(String name, Map<String, String> overrides) {
        if (!isFile(name) && !names().contains(name)) throw unknown("", name);
        return apply(expand(name, null, 0), "preset " + name, overrides);
    }

    private static boolean isFile(String name) {
        return name.endsWith(".json");
    }

    private static UserError unknown(String where, String name) {
        return new UserError(where + "unknown preset '" + name + "'" + DidYouMean.of(name, names()) + " (known: " + String.join(", ", names())
                + "; or a preset file, *.json; 'trm4j info --list' says what each is for)");
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

    // ---------------------------------------------------------------- expansion

    /** Deeper than any chain of presets a person writes: beyond it, files extend each other in a cycle. */
    private static final int MAX_EXTENDS = 16;

    /**
     * A preset or base with what it extends merged in, and its data and method completed from their
     * kinds' defaults; a file's name is resolved against {@code dir}, the folder of the file naming it
     * (null: the working directory).
     */
    private static ObjectNode expand(String name, Path dir, int depth) {
        Path file = !isFile(name) ? null : dir == null ? Path.of(name) : dir.resolve(name);
        if (depth > MAX_EXTENDS) throw new UserError(file + ": more than " + MAX_EXTENDS + " preset files extend each other (a cycle?)");
        ObjectNode doc = (ObjectNode) (file != null ? readFile(file) : read(name)).deepCopy();
        JsonNode parent = doc.remove("extends");
        if (parent != null && !parent.isTextual()) throw new UserError((file != null ? file : "preset " + name) + ": extends: not a preset name");
        if (file != null && parent != null && !isFile(parent.asText()) && !names().contains(parent.asText())) throw unknown(file + ": extends: ", parent.asText());
        Path parentDir = file != null && file.getParent() != null ? file.getParent() : dir;
        ObjectNode out = parent == null ? Json.MAPPER.createObjectNode() : expand(parent.asText(), parentDir, depth + 1);
        if (file != null) checkSections(file, doc, out, parent != null);
        merge(out, doc);
        return complete(out);
    }

    /** What a preset file's top level may hold: its sections, what it extends, a comment, and what a run's preset.json records. */
    private static final List<String> TOP_LEVEL = List.of("extends", "model", "data", "train", "_comment", "preset", "files");

    /**
     * A key at a file's top level that is not a section is refused (a field written there would be ignored), naming the
     * section it belongs in; a file that extends nothing holds every section.
     */
    private static void checkSections(Path file, ObjectNode doc, ObjectNode parent, boolean extending) {
        if (!extending)
            for (String section : List.of("model", "data", "train"))
                if (!doc.has(section))
                    throw new UserError(file + ": no \"extends\" and no \"" + section + "\" section: a preset file extends a preset "
                            + "(\"extends\": \"demo\"; 'trm4j info --list') and says what differs, or holds model, data and train whole");
        for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (TOP_LEVEL.contains(key)) continue;
            List<String> within = fieldPaths(parent).stream().filter(p -> p.endsWith("." + key)).toList();
            throw new UserError(file + ": " + key + ": not a section (a preset file's top level holds extends, model, data and train)"
                    + (within.size() == 1 ? "; did you mean '" + within.get(0) + "'?" : DidYouMean.of(key, TOP_LEVEL)));
        }
    }

    /** {@code over} merged into {@code into}, objects field by field; an object of another kind replaces the old one. */
    private static void merge(ObjectNode into, ObjectNode over) {
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = into.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue() instanceof ObjectNode n && sameKind(o, n)) merge(o, n);
            else into.set(e.getKey(), e.getValue().deepCopy());
        }
    }

    private static boolean sameKind(ObjectNode a, ObjectNode b) {
        return !a.has("kind") || !b.has("kind") || a.get("kind").equals(b.get("kind"));
    }

    /** The data section and the method on their kinds' defaults, the document's own fields over them. */
    private static ObjectNode complete(ObjectNode doc) {
        completeKind(doc, "data", "data");
        if (doc.get("train") instanceof ObjectNode train) completeKind(train, "method", "method");
        ObjectNode ordered = Json.MAPPER.createObjectNode();   // the sections in the order of the flow of data
        for (String section : new String[] {"model", "data", "train"}) if (doc.has(section)) ordered.set(section, doc.get(section));
        ordered.setAll(doc);
        return ordered;
    }

    private static void completeKind(ObjectNode parent, String field, String what) {
        if (!(parent.get(field) instanceof ObjectNode node) || !node.has("kind")) return;
        ObjectNode full = defaults(what, node.get("kind").asText());
        merge(full, node);
        parent.set(field, full);
    }

    /**
     * The defaults of a data kind (base/data; a kind found on the class path without an entry there has
     * none: its record's own) or of a method (base/trm, base/dis); unknown: one line.
     */
    private static ObjectNode defaults(String what, String kind) {
        boolean data = what.equals("data");
        JsonNode d = data ? read(BASE + "data").path(kind)
                : Method.ids().contains(kind) ? read(Method.presetBase(kind)).path("train").get("method") : null;
        if (!(d instanceof ObjectNode) && !(data && d.isMissingNode() && DataConfig.kinds().contains(kind))) {
            String known = String.join(", ", data ? DataConfig.kinds() : Method.ids());
            throw new UserError((data ? "data.kind" : "train.method") + ": '" + kind + "' is not one of " + known);
        }
        ObjectNode out = Json.MAPPER.createObjectNode().put("kind", kind);   // the kind first, as it is written
        if (d instanceof ObjectNode o) out.setAll(o.deepCopy());
        return out;
    }

    // ---------------------------------------------------------------- documents written by older versions

    /**
     * A document as an older trm4j wrote it (a checkpoint's or a run folder's preset), in today's
     * form: the method's flat fields gathered into its object, the data section cut to its kind's
     * fields, and fields added since given the value that means "as before".
     */
    public static ObjectNode upgrade(ObjectNode doc) {
        if (doc.get("train") instanceof ObjectNode train) {
            for (Map.Entry<String, Object> e : Map.<String, Object>of("micro_batch", 0, "epochs", 0, "device", "cpu").entrySet())
                if (!train.has(e.getKey())) train.set(e.getKey(), Json.MAPPER.valueToTree(e.getValue()));
            if (train.get("method") != null && train.get("method").isTextual()) {
                String kind = train.get("method").asText();
                ObjectNode method = Json.MAPPER.createObjectNode().put("kind", kind);
                for (String f : new String[] {"q_loss_weight", "halt_exploration", "feed", "step_weights", "ema"}) {
                    JsonNode v = train.remove(f);
                    boolean mine = kind.equals("trm") ? !f.equals("feed") && !f.equals("step_weights")
                            : !f.equals("q_loss_weight") && !f.equals("halt_exploration");
                    if (v != null && mine) method.set(f, v);
                }
                train.set("method", method);
            }
        }
        if (doc.get("model") instanceof ObjectNode model && !model.has("puzzle_emb_ndim")) model.put("puzzle_emb_ndim", 0);
        if (doc.get("data") instanceof ObjectNode data && data.has("kind")) {
            // The flat format gave every kind a count of validation puzzles, which ARC ignored; ARC's is a fraction of tasks.
            if (data.get("kind").asText().equals("arc") && data.path("validation").isIntegralNumber()) data.put("validation", 0.0);
            Class<?> type = DataConfig.type(data.get("kind").asText());
            if (type != null) {
                List<String> keep = new ArrayList<>(properties(type));
                keep.add("kind");
                data.retain(keep);
            }
        }
        return complete(doc);
    }

    // ---------------------------------------------------------------- reading a section

    /** One section of a document as its config record; a bad field is a one-line error naming it. */
    public static <T> T section(JsonNode doc, String name, Class<T> type, String where) {
        JsonNode node = doc.get(name);
        if (node == null) throw new UserError(where + ": no \"" + name + "\" section");
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (InvalidTypeIdException e) {
            throw new UserError(where + ": " + name + path(e) + ": '" + e.getTypeId() + "' is not one of " + String.join(", ", kinds(e.getBaseType().getRawClass())));
        } catch (UnrecognizedPropertyException e) {
            throw new UserError(where + ": " + name + path(e) + ": no such field (the fields: "
                    + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()) + ")");
        } catch (InvalidFormatException e) {
            throw new UserError(where + ": " + name + path(e) + ": '" + e.getValue() + "' is not "
                    + (e.getTargetType().isEnum() ? "one of " + String.join(", ", enumNames(e.getTargetType())) : "a valid " + e.getTargetType().getSimpleName()));
        } catch (JsonProcessingException e) {
            // A check in a record's constructor arrives wrapped by Jackson; its message is the one to show.
            if (e.getCause() instanceof UserError u) throw new UserError(where + ": " + u.getMessage());
            throw new UserError(where + ": " + name + path(e) + ": " + Json.problem(e));
        } catch (UserError e) {
            throw new UserError(where + ": " + e.getMessage());
        }
    }

    private static String path(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m)) return "";
        StringBuilder b = new StringBuilder();
        for (var ref : m.getPath()) if (ref.getFieldName() != null) b.append('.').append(ref.getFieldName());
        return b.toString();
    }

    // ---------------------------------------------------------------- overrides

    /**
     * Applies {@code key=value} overrides to a document of sections; returns the document. Steps given without epochs
     * are the steps run: a preset that counts epochs (trm-arc, trm-sudoku*, trm-maze) then counts steps instead.
     */
    public static ObjectNode apply(ObjectNode doc, String where, Map<String, String> overrides) {
        Set<String> given = new HashSet<>();
        // A switch of the method comes first, whatever the map's order: the fields after it are the new method's.
        overrides.forEach((k, v) -> { if (switchesMethod(k)) given.add(override(doc, where, k, v)); });
        overrides.forEach((k, v) -> { if (!switchesMethod(k)) given.add(override(doc, where, k, v)); });
        if (given.contains("train.steps") && !given.contains("train.epochs") && doc.get("train") instanceof ObjectNode train && train.has("epochs"))
            train.put("epochs", 0);
        return doc;
    }

    private static boolean switchesMethod(String key) {
        return List.of("method", "train.method", "method.kind", "train.method.kind").contains(key);
    }

    /**
     * A check that refused a field of {@code doc} (read as {@code where}) names the override that set it, where one did:
     * the value to change is the one given, not the preset's.
     */
    public static UserError blame(UserError refused, ObjectNode doc, String where, Map<String, String> overrides) {
        String said = refused.getMessage();
        if (said == null || !said.startsWith(where + ": ")) return refused;
        String check = said.substring(where.length() + 2);
        for (var o : overrides.entrySet()) {   // "train.lr: ..." or "train.lr -1.0: ...", not "train.beta1 and train.beta2 ..."
            List<String> paths = pathsOf(doc, o.getKey());
            if (paths.size() == 1 && check.matches(Pattern.quote(paths.get(0)) + "( [^ :]+)?:.*"))
                return new UserError("overrides " + o.getKey() + "=" + o.getValue() + ": " + check);
        }
        return refused;
    }

    /** Every field whose dotted path ends with {@code key}'s segments. */
    private static List<String> pathsOf(ObjectNode doc, String key) {
        List<String> matches = new ArrayList<>();
        for (String p : fieldPaths(doc)) if (p.equals(key) || p.endsWith("." + key)) matches.add(p);
        return matches;
    }

    /** Sets the one field {@code key} names; returns its dotted path. */
    private static String override(ObjectNode doc, String where, String key, String value) {
        if (key.isBlank()) throw new UserError("overrides " + key + "=" + value + ": a field's name goes before the '=' (KEY=VALUE)");
        List<String> matches = pathsOf(doc, key);
        if (matches.isEmpty()) throw new UserError("overrides " + key + ": " + where + " has no such field" + DidYouMean.of(key, keys(doc)));
        if (matches.size() > 1) throw new UserError("overrides " + key + ": ambiguous, write " + String.join(" or ", matches));
        String path = matches.get(0);
        int dot = path.lastIndexOf('.');
        ObjectNode parent = (ObjectNode) doc.at("/" + path.substring(0, Math.max(0, dot)).replace('.', '/'));
        String field = path.substring(dot + 1);
        JsonNode old = parent.get(field);
        if (old.isObject() || field.equals("kind")) {   // a kind changes: only the method's may, to its defaults
            String object = old.isObject() ? path : path.substring(0, dot);
            if (value.equals((old.isObject() ? old.path("kind") : old).asText())) return path;
            if (!object.equals("train.method")) throw new UserError("overrides " + key + ": " + object + " cannot change its kind; choose a preset of that kind");
            ((ObjectNode) doc.get("train")).set("method", defaults("method", value));
            // the step embedding conditions DIS's steps: it comes and goes with the method (the network is otherwise kept)
            if (doc.get("model") instanceof ObjectNode model) model.set("step_embedding", read(Method.presetBase(value)).path("model").get("step_embedding"));
            return path;
        }
        try {
            if (old.isBoolean()) {
                if (!value.equals("true") && !value.equals("false")) throw new NumberFormatException();
                parent.put(field, Boolean.parseBoolean(value));
            } else if (old.isIntegralNumber()) parent.put(field, Long.parseLong(value));
            else if (old.isNumber()) parent.put(field, Double.parseDouble(value));
            else if (old.isNull() && value.matches("-?\\d{1,18}")) parent.put(field, Long.parseLong(value));   // a field left to its default (a maze's min_path)
            else parent.put(field, value);
        } catch (NumberFormatException e) {
            throw new UserError("overrides " + key + "=" + value + ": expected " + (old.isBoolean() ? "true or false"
                    : old.isIntegralNumber() ? "a whole number" : "a number"));
        }
        return path;
    }

    /** Every key an override may name in some built-in preset. */
    public static Set<String> overrideKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (String name : names()) keys.addAll(keys(load(name, Map.of())));
        return keys;
    }

    /** Every key an override may name: each field's dotted path under its section, and its own name. */
    private static Set<String> keys(JsonNode doc) {
        List<String> paths = fieldPaths(doc);
        Set<String> keys = new LinkedHashSet<>();
        for (String p : paths) keys.add(p.substring(p.lastIndexOf('.') + 1));
        keys.addAll(paths);
        return keys;
    }

    /** The dotted path of every field below the sections ({@code model.hidden_size}, {@code train.method.feed}, ...). */
    private static List<String> fieldPaths(JsonNode doc) {
        List<String> out = new ArrayList<>();
        collect(doc, "", out);
        return out;
    }

    private static void collect(JsonNode node, String prefix, List<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (!prefix.isEmpty()) out.add(path);
            if (e.getValue().isObject()) collect(e.getValue(), path, out);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Far more than any preset: a file beyond it is not one. */
    private static final long MAX_FILE_BYTES = 1 << 20;

    private static JsonNode readFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) throw new UserError(file + ": " + (Files.exists(file) ? "not a regular file" : "no such preset file"));
            if (Files.size(file) > MAX_FILE_BYTES) throw new UserError(file + ": " + Files.size(file) + " bytes, more than a preset file may have (" + MAX_FILE_BYTES + ")");
            JsonNode doc = Json.MAPPER.readTree(file.toFile());
            if (!(doc instanceof ObjectNode)) throw new UserError(file + ": a preset file holds one JSON object");
            return doc;
        } catch (JsonProcessingException e) {
            throw new UserError(Json.notValid(file.toString(), e));
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage());
        }
    }

    private static JsonNode read(String name) {
        try (InputStream in = Presets.class.getResourceAsStream("/trm4j/presets/" + name + ".json")) {
            if (in == null) throw new UserError("unknown preset '" + name + "'");
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The JSON names of a record's fields. */
    private static Set<String> properties(Class<?> record) {
        Set<String> out = new LinkedHashSet<>();
        for (RecordComponent c : record.getRecordComponents()) {
            JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);   // JsonProperty does not target record components
            out.add(p != null ? p.value() : c.getName());
        }
        return out;
    }

    private static List<String> kinds(Class<?> base) {
        if (base == DataConfig.class) return DataConfig.kinds();
        JsonSubTypes s = base.getAnnotation(JsonSubTypes.class);
        return s == null ? List.of() : Arrays.stream(s.value()).map(JsonSubTypes.Type::name).toList();
    }

    private static List<String> enumNames(Class<?> e) {
        List<String> out = new ArrayList<>();
        for (Object c : e.getEnumConstants()) {
            try {
                JsonProperty p = e.getField(((Enum<?>) c).name()).getAnnotation(JsonProperty.class);
                out.add(p != null ? p.value() : c.toString());
            } catch (NoSuchFieldException x) {
                out.add(c.toString());
            }
        }
        return out;
    }
}
