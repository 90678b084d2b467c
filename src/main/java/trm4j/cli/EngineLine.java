package trm4j.cli;

import java.util.HashSet;
import java.util.Set;

import trm4j.engine.Precision;
import trm4j.engine.PrecisionChoice;

/**
 * A command's precision: resolved (auto decided on this machine) and, once the inputs are known to
 * be good, printed once per process with the reason, so that a user mistake stays a single line.
 */
final class EngineLine {
    private static final Set<String> printed = new HashSet<>();

    private EngineLine() {}

    /** The precision a setting resolves to here, and its line on standard error. */
    static Precision announce(String setting) {
        PrecisionChoice c = PrecisionChoice.of(setting);
        if (printed.add(c.line())) System.err.println("trm4j " + c.line());
        return c.precision();
    }
}
