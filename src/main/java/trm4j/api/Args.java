package trm4j.api;

/** The API's arguments: a null where a value is needed is an {@link InvalidInputException} naming it, not a NullPointerException from within. */
final class Args {
    private Args() {}

    /** Refuses the first null among {@code name, value} pairs. */
    static void required(Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2)
            if (namesAndValues[i + 1] == null) throw new InvalidInputException(namesAndValues[i] + ": required (null given)");
    }
}
