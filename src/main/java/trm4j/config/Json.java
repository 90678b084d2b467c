package trm4j.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The one JSON mapper of trm4j. It is strict (an unknown or missing field of a record is an
 * error), so that a typo in a preset or a file fails loudly instead of falling back to a default.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    /** For files people read (preset.json, results). */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {}

    /**
     * What is wrong with a document, in one line: the parser's message without the source it quotes
     * (the caller names the file and the place).
     */
    public static String problem(JsonProcessingException e) {
        String s = firstLine(e.getOriginalMessage());
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
