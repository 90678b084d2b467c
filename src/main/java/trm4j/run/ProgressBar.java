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
    private long lastPrint, last;

    ProgressBar(String label, long total, String unit) {
        this.label = label;
        this.total = total;
        this.unit = unit;
    }

    /** @param done so far; with a total of 0 (unknown) the bar shows the count and the rate only */
    public void update(long done, String status) {
        last = done;
        long now = System.nanoTime();
        boolean finished = total > 0 && done >= total;
        if (!finished && now - lastPrint < (terminal ? 200_000_000L : 10_000_000_000L)) return;
        lastPrint = now;
        double seconds = (now - start) / 1e9, rate = done / Math.max(1e-9, seconds);
        int width = 24, filled = total <= 0 ? 0 : (int) (width * Math.min(1.0, (double) done / total));
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        String eta = finished ? "done in " + time(seconds) : "ETA " + (done == 0 ? "?" : time((total - done) / rate));
        String line = total <= 0 ? String.format("%s %,d %s (%,.0f/s)%s", label, done, unit, rate, status.isEmpty() ? "" : " | " + status)
                : String.format("%s [%s] %3d%% %d/%d %s %s%s", label, bar, (int) (100.0 * done / total), done, total,
                unit, eta, status.isEmpty() ? "" : " | " + status);
        if (terminal) out.print("\r" + line + "\u001b[K" + (finished ? "\n" : ""));
        else out.println(line);
        out.flush();
    }

    long total() { return total; }

    /** The count of the last update. */
    long last() { return last; }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
