package trm4j.cli;

import java.nio.file.Path;
import java.util.List;

/** Lines the commands print on stderr before their work, once their inputs are known to be good. */
final class Notes {
    private Notes() {}

    /** The model fields a reference checkpoint did not give, so that nothing is guessed silently. */
    static void guessed(Path file, List<String> fields) {
        if (!fields.isEmpty())
            System.err.println("trm4j: " + file + ": neither the weights nor an all_config.yaml beside them give "
                    + String.join(", ", fields) + ": the reference defaults are used (set them with --set)");
    }
}
