package trm4j.api;

import trm4j.UserError;

/**
 * A request trm4j cannot carry out, with a one-line message that names the file, field or value
 * at fault. Its subclasses tell what kind of thing was wrong.
 */
public class Trm4jException extends RuntimeException {
    public Trm4jException(String message) {
        super(UserError.oneLine(message));   // a task id or name from the caller may hold a line break
    }
}
