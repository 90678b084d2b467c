package trm4j.api;

/**
 * A puzzle, task or option that does not fit the model: a board of the wrong size, a colour out of
 * range, a Sudoku given to an ARC model, a count below 1. Nothing was computed.
 */
public final class InvalidInputException extends Trm4jException {
    public InvalidInputException(String message) {
        super(message);
    }
}
