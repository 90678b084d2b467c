package trm4j;

import java.util.List;

/**
 * A mistake in what the user gave (a file, a flag, a configuration). The command line prints its
 * message as one line and exits with status 2; the message names the file and field at fault.
 * Text quoted from a crafted file may hold line breaks or other control characters: each is
 * written as an escape, so the message stays the lines it was built as.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(oneLine(message));
    }

    /** One line per entry (every bad file of a folder, say). */
    protected UserError(List<String> lines) {
        super(String.join("\n", lines.stream().map(UserError::oneLine).toList()));
    }

    /** The text with each control character written as an escape ({@code \\u000a} for a line break). */
    public static String oneLine(String text) {
        if (text == null) return null;
        StringBuilder b = new StringBuilder(text.length());
        text.chars().forEach(c -> b.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.toString();
    }
}
