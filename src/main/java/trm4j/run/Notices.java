package trm4j.run;

import java.util.HashSet;
import java.util.Set;

import trm4j.engine.Precision;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.PrecisionSetting;
import trm4j.engine.Device;

/**
 * Lines a command prints on standard error before its work, once its inputs are known to be good
 * (so that a user mistake stays a single line): the precision it computes in and why, and the
 * model fields a reference checkpoint did not give.
 */
public final class Notices {
    private static final Set<String> printed = new HashSet<>();

    private Notices() {}

    /** One line naming the model fields a reference checkpoint did not give, so that nothing is guessed silently. */
    public static void guessed(java.nio.file.Path file, java.util.List<String> fields) {
        if (!fields.isEmpty())
            System.err.println("trm4j: " + file + ": neither the weights nor an all_config.yaml beside them give "
                    + String.join(", ", fields) + ": the reference defaults are used (set them with --set)");
    }

    /** The precision a setting resolves to on a device here, and its line on standard error. */
    public static Precision announce(PrecisionSetting setting, Device device) {
        PrecisionChoice c = PrecisionChoice.of(setting, device);
        if (printed.add(c.line())) System.err.println("trm4j " + c.line());
        return c.precision();
    }
}
