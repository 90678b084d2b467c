import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import trm4j.api.Training;
import trm4j.api.TrainingListener;
import trm4j.api.TrainingResult;
import trm4j.api.TrainingSpec;

/**
 * A library program as a user writes it (bench/library_vs_cli.sh compiles and runs it): trains PRESET into
 * OUT through trm4j.api with --set-style overrides, and prints the wall time of the whole run, as the CLI's side is timed.
 * Usage: LibraryTrain PRESET OUT [KEY=VALUE ...]   (TRM4J_TUNE_THREADS=false: the library leaves libtorch's threads alone)
 */
public final class LibraryTrain {
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Map<String, String> set = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) set.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
        boolean tune = !"false".equals(System.getenv("TRM4J_TUNE_THREADS"));
        TrainingResult r = Training.prepare(TrainingSpec.of(args[0], Path.of(args[1])).withOverrides(set).tuningThreads(tune), TrainingListener.NONE).run();
        System.out.printf("library: %d steps in %.1f s (test %.3f)%n", r.step(), (System.nanoTime() - t0) / 1e9, r.testAccuracy());
    }
}
