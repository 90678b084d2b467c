package trm4j.run;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr: count, percentage, rate, ETA and a caller's status. On a
 * terminal it redraws in place; into a file or pipe it prints a line at most every 10 seconds.
 */
final class ProgressBar {
    private final String label;
    private final long total;
    private final String unit;
    private final PrintStream out = System.err;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private final long first;   // the count the bar started at (a resumed run's steps already taken): the rate counts from it
    private long lastPrint, last;
    private boolean printed;

    /** @param first the count now: a caller reports it when the work starts, so that the time and rate count from there */
    ProgressBar(String label, long total, String unit, long first) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.first = first;
        this.last = first;
    }

    /** @param done so far; with a total of 0 (unknown) the bar shows the count and the rate only */
    public void update(long done, String status) {
        last = done;
        long now = System.nanoTime();
        boolean finished = total > 0 && done >= total;
        if (printed && !finished && now - lastPrint < (terminal ? 200_000_000L : 10_000_000_000L)) return;
        printed = true;
        lastPrint = now;
        String line = line(label, total, unit, first, done, (now - start) / 1e9, status);
        if (terminal) out.print("\r" + line + "\u001b[K" + (finished ? "\n" : ""));
        else out.println(line);
        out.flush();
    }

    /** The bar's text: {@code done} of {@code total} after {@code seconds}, at the rate since the count was {@code first}. */
    static String line(String label, long total, String unit, long first, long done, double seconds, String status) {
        boolean finished = total > 0 && done >= total;
        double rate = (done - first) / Math.max(1e-9, seconds);
        int width = 24, filled = total <= 0 ? 0 : (int) (width * Math.min(1.0, (double) done / total));
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        String eta = finished ? "done in " + time(seconds) : "ETA " + (done <= first ? "?" : time((total - done) / rate));
        return total <= 0 ? String.format("%s %,d %s (%,.0f/s)%s", label, done, unit, rate, status.isEmpty() ? "" : " | " + status)
                : String.format("%s [%s] %3d%% %d/%d %s %s%s", label, bar, (int) (100.0 * done / total), done, total,
                unit, eta, status.isEmpty() ? "" : " | " + status);
    }

    long total() { return total; }

    /** The count of the last update. */
    long last() { return last; }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
