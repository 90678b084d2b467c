package trm4j;

/** Commands trm4j prints for a user to paste: their words as a POSIX shell reads them back. */
public final class Shell {
    private Shell() {}

    /** A word as it is when it is plain, else in single quotes, so that a path with a space or a quote stays one word. */
    public static String word(String word) {
        return word.matches("[A-Za-z0-9_./:=@%+,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
