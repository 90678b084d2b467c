package trm4j.checkpoint;

import trm4j.UserError;

/** A checkpoint that cannot be used; the message is one line naming the file and the tensor. */
public class CheckpointException extends UserError {
    public CheckpointException(String message) {
        super(message);
    }
}
