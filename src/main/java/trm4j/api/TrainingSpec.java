package trm4j.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * What to train: a built-in preset (the command line's {@code trm4j info --list}) or a preset file
 * ({@code *.json}, extending one) with field overrides, into a run folder that holds its
 * checkpoints and metrics. A folder that holds a run is refused unless {@code resume} (continue it)
 * or {@code force} (start over).
 *
 * @param init            a checkpoint whose weights start the run, or null
 * @param compareUntrained also evaluate the same model untrained, on the same test set, before training
 * @param report          write charts and an index.html into {@code out/report} at the end
 * @param tuneThreads     set libtorch's threads as the command line does (on by default, and said in a note): as many as the
 *                        cores other processes leave idle, followed as the load changes (TRM4J_THREADS fixes the count).
 *                        On a busy machine libtorch's own count, every core, made training several times slower.
 *                        Off: the process's thread settings are left as they are.
 */
public record TrainingSpec(String preset, Path out, Map<String, String> overrides, boolean resume, boolean force, Path init,
                           boolean compareUntrained, boolean report, boolean tuneThreads) {
    public TrainingSpec {
        if (out == null) throw new InvalidInputException("TrainingSpec: the run folder (out) is required");
        overrides = Args.overrides("TrainingSpec.overrides", overrides == null ? Map.of() : overrides);
    }

    /** A new run of a preset in a folder. */
    public static TrainingSpec of(String preset, Path out) {
        return new TrainingSpec(preset, out, Map.of(), false, false, null, false, false, true);
    }

    public TrainingSpec withOverrides(Map<String, String> o) { return new TrainingSpec(preset, out, o, resume, force, init, compareUntrained, report, tuneThreads); }
    public TrainingSpec resuming(boolean r) { return new TrainingSpec(preset, out, overrides, r, force, init, compareUntrained, report, tuneThreads); }
    public TrainingSpec forcing(boolean f) { return new TrainingSpec(preset, out, overrides, resume, f, init, compareUntrained, report, tuneThreads); }
    public TrainingSpec withInit(Path i) { return new TrainingSpec(preset, out, overrides, resume, force, i, compareUntrained, report, tuneThreads); }
    public TrainingSpec comparingUntrained(boolean c) { return new TrainingSpec(preset, out, overrides, resume, force, init, c, report, tuneThreads); }
    public TrainingSpec withReport(boolean r) { return new TrainingSpec(preset, out, overrides, resume, force, init, compareUntrained, r, tuneThreads); }
    public TrainingSpec tuningThreads(boolean t) { return new TrainingSpec(preset, out, overrides, resume, force, init, compareUntrained, report, t); }
}
