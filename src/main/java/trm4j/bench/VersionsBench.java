package trm4j.bench;

import java.nio.file.Path;
import java.util.List;

import trm4j.data.ArcSets;
import trm4j.data.ArcTask;
import trm4j.data.ArcVersions;
import trm4j.engine.Device;

/** Building the augmented-version table of an ARC training mix: time and heap. */
public final class VersionsBench {
    private VersionsBench() {}

    public record Result(int versions, double seconds, double heapMegabytes) {}

    /** The lines printed for a named mix of the sets under {@code root}. */
    public static String report(String mix, Path root, int perTask) {
        List<ArcTask> tasks = ArcSets.mix(mix, root, "--root").stream().map(ArcSets.MixTask::task).toList();
        Result r = run(tasks, perTask);
        return Machine.header(Device.CPU) + String.format("mix %s: %d tasks, %d versions (%d per task asked), built in %.1f s, table %.1f MB on the heap%n",
                mix, tasks.size(), r.versions(), perTask, r.seconds(), r.heapMegabytes());
    }

    public static Result run(List<ArcTask> tasks, int perTask) {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory(), t0 = System.nanoTime();
        ArcVersions v = ArcVersions.build(tasks, perTask, 0);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.gc();
        return new Result(v.size(), seconds, (rt.totalMemory() - rt.freeMemory() - before) / 1e6);
    }
}
