package trm4j.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's arguments: a null where a value is needed is an {@link InvalidInputException} naming it, not a NullPointerException from within. */
final class Args {
    private Args() {}

    /** Refuses the first null among {@code name, value} pairs. */
    static void required(Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2)
            if (namesAndValues[i + 1] == null) throw new InvalidInputException(namesAndValues[i] + ": required (null given)");
    }

    /** A list's elements, none null; {@code name} names the list in the refusal ({@code name[i]}). */
    static <T> List<T> elements(String name, List<T> list) {
        required(name, list);
        for (int i = 0; i < list.size(); i++) if (list.get(i) == null) throw new InvalidInputException(name + "[" + i + "]: null");
        return List.copyOf(list);
    }

    /** Field overrides, in order (a method switch comes before its fields), none of their keys or values null. */
    static Map<String, String> overrides(String name, Map<String, String> overrides) {
        required(name, overrides);
        overrides.forEach((k, v) -> {
            if (k == null || v == null) throw new InvalidInputException(name + ": " + (k == null ? "a null key" : k + ": a null value"));
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }
}
