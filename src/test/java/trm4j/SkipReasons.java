package trm4j;

import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** A test that skips (an assumption that does not hold here) says why, in one line on the console: Maven's summary only counts them. */
public final class SkipReasons implements TestWatcher {
    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        System.out.println("[skipped] " + context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName() + ": " + cause.getMessage()
                .replaceFirst("^Assumption failed: ", ""));
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        System.out.println("[skipped] " + context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName() + ": " + reason.orElse("disabled"));
    }
}
