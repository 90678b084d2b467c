package trm4j.run;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a command trains, evaluates or solves: the first asks the run to stop with a checkpoint; a
 * second ends the process at once, saying what is kept. Left to the JVM's default, the process exits while libtorch
 * still computes on the main thread, and libtorch's teardown crashed there (SIGSEGV, hs_err file).
 */
public final class StopSignals implements AutoCloseable {
    private static final String[] NAMES = {"INT", "TERM"};
    private final SignalHandler[] previous = new SignalHandler[NAMES.length];
    private volatile int received;

    /** The end of a command that a signal stopped: one line for the user, exit status 128 + signal. */
    public static final class Stopped extends RuntimeException {
        /** The process's exit status: 128 + the signal's number. */
        public final int status;

        public Stopped(String message, int status) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Handles both signals until {@link #close}: {@code stop} asks the work to end; {@code what} tells the user what happens on
     * the first, {@code atOnce} what is kept when a second ends the process.
     */
    public StopSignals(Runnable stop, String what, Supplier<String> atOnce) {
        AtomicBoolean asked = new AtomicBoolean();
        for (int i = 0; i < NAMES.length; i++) {
            previous[i] = Signal.handle(new Signal(NAMES[i]), signal -> {
                if (asked.getAndSet(true)) {
                    for (String name : NAMES) Signal.handle(new Signal(name), SignalHandler.SIG_DFL);   // a third ends it whatever happens below
                    try {
                        System.err.println("\ntrm4j: SIG" + signal.getName() + " again: stopped at once; " + atOnce.get());
                    } finally {
                        endBy(signal);
                    }
                }
                received = signal.getNumber();
                System.err.println("\ntrm4j: SIG" + signal.getName() + ": " + what + " (send it again to stop at once)");
                stop.run();
            });
        }
    }

    /**
     * Ends the process by the signal's default action, in the kernel: Runtime.halt runs the C library's exit, whose teardown of
     * libtorch's statics under a main thread still in libtorch crashed (SIGSEGV, hs_err file). The JDK raises only signals it
     * handles, so the signal comes back from the kill command (the handlers are the default ones by then); where there is none
     * (Windows, an image without one), halt.
     */
    private static void endBy(Signal signal) {
        try {
            new ProcessBuilder("kill", "-" + signal.getName(), Long.toString(ProcessHandle.current().pid())).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill command: halt below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(128 + signal.getNumber());
    }

    /** Exit status for a stop by the signal received: 128 + its number (130 for Ctrl-C). */
    public int status() {
        return 128 + received;
    }

    @Override
    public void close() {
        for (int i = 0; i < NAMES.length; i++) Signal.handle(new Signal(NAMES[i]), previous[i]);
    }
}
