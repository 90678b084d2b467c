package trm4j.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.jsontype.NamedType;

/**
 * The one JSON mapper of trm4j. It is strict (an unknown or missing field of a record is an
 * error, and so is a key an object names twice), so that a typo in a preset or a file fails loudly
 * instead of falling back to a default or to whichever value came last. It reads the data section
 * of every kind found on the class path ({@link DataKind}) by its name.
 */
public final class Json {
    public static final ObjectMapper MAPPER = mapper();

    /** For files people read (preset.json, results). */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {}

    private static ObjectMapper mapper() {
        ObjectMapper m = strict(new ObjectMapper())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
        DataKind.found().forEach(k -> m.registerSubtypes(new NamedType(k.config(), k.name())));
        return m;
    }

    /** A mapper that refuses a key an object names twice (else the last one would win, silently). */
    public static ObjectMapper strict(ObjectMapper m) {
        return m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** The key a document names twice, when that is what is wrong with it; else null. */
    public static String duplicateKey(JsonProcessingException e) {
        Matcher m = DUPLICATE.matcher(firstLine(e.getOriginalMessage()));
        return m.matches() ? m.group(1) : null;
    }

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    /**
     * What is wrong with a document, in one line: the parser's message without the source it quotes
     * (the caller names the file and the place).
     */
    public static String problem(JsonProcessingException e) {
        String s = firstLine(e.getOriginalMessage());
        if (duplicateKey(e) != null) return "the key '" + duplicateKey(e) + "' appears twice in one object";
        s = s.replaceAll(" \\(start marker at \\[Source: [^\\]]*line: (\\d+), column: (\\d+)\\]\\)", " (opened at line $1, column $2)")
                .replaceAll("^Missing creator property '[^']*' \\(index \\d+\\);.*", "missing")
                .replaceAll("^Cannot map `null` into type `([^`]*)`.*", "null is not a valid $1");
        return s.isEmpty() ? "invalid" : s;
    }

    /** "{@code shown}: not valid JSON at line L, column C: what", in one line. */
    public static String notValid(String shown, JsonProcessingException e) {
        var loc = e.getLocation();
        return shown + ": not valid JSON" + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()) + ": " + problem(e);
    }

    public static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
