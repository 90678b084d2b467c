package trm4j.api;

/**
 * A file trm4j cannot use: missing, damaged, truncated, of the wrong kind, or a folder that holds
 * another run; or one it cannot write. Nothing was half-loaded or half-written.
 */
public final class FileException extends Trm4jException {
    public FileException(String message) {
        super(message);
    }
}
