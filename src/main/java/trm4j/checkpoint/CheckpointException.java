package trm4j.checkpoint;

import trm4j.UserError;

/** A checkpoint that cannot be used; the message is one line naming the file and the tensor. */
public class CheckpointException extends UserError {
    public CheckpointException(String message) {
        super(message);
    }

    /**
     * libtorch's refusal of a tensor that passed the loader's own checks, as one line: its first,
     * without the C++ frames that follow it.
     */
    static CheckpointException fromLibtorch(String where, RuntimeException e) {
        String first = String.valueOf(e.getMessage()).lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        int frames = first.indexOf("Exception raised from");
        if (frames >= 0) first = first.substring(0, frames).strip();
        return new CheckpointException(where + ": libtorch cannot build it (" + (first.length() > 200 ? first.substring(0, 200) + "..." : first) + ")");
    }
}
