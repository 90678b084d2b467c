package trm4j.data;

import java.util.List;

import trm4j.UserError;

/** Bad input data: the message is one line, {@code FILE: JSON.PATH: what is wrong}. */
public class DataError extends UserError {
    public DataError(String message) {
        super(message);
    }

    /** One line per entry. */
    public DataError(List<String> lines) {
        super(lines);
    }
}
