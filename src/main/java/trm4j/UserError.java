package trm4j;

/**
 * A mistake in what the user gave (a file, a flag, a configuration). The command line prints its
 * message as one line and exits with status 2; the message names the file and field at fault.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}
