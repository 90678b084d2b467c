package trm4j.model;

/** A checkpoint that cannot be used; the message is one line naming the file and the tensor. */
public class CheckpointException extends trm4j.UserError {
    public CheckpointException(String message) {
        super(message);
    }
}
