package trm4j.run;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a job tells how it goes: progress through a count, and notes (what it resumed, what it
 * skipped, the precision it chose). The command line draws bars and prints notes on stderr
 * ({@link #stderr()}); a program that embeds trm4j passes its own, or {@link #SILENT}.
 */
public interface Reporter {
    /** {@code done} of {@code total} {@code unit} (total 0: unknown), with a short status; called often, cheaply. */
    void progress(String label, long done, long total, String unit, String status);

    /** One line worth telling, once. */
    void note(String line);

    Reporter SILENT = new Reporter() {
        @Override public void progress(String label, long done, long total, String unit, String status) {}
        @Override public void note(String line) {}
    };

    /** Bars that redraw in place on a terminal (a line every 10 s into a file), notes as lines, on stderr. */
    static Reporter stderr() {
        Map<String, ProgressBar> bars = new HashMap<>();
        return new Reporter() {
            @Override public synchronized void progress(String label, long done, long total, String unit, String status) {
                ProgressBar bar = bars.get(label);
                if (bar == null || bar.total() != total || done < bar.last()) bars.put(label, bar = new ProgressBar(label, total, unit, done));
                bar.update(done, status);
            }

            @Override public void note(String line) {
                System.err.println("trm4j: " + line);
            }
        };
    }
}
