package trm4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named ARC sets as laid out in {@code ../shared/data} (see its README), split by split, and
 * the training mixes of docs/METHOD.md section 1.
 */
public final class ArcSets {
    /** 1D-ARC rows reach 93 cells; its canvas is 1 x 96. */
    public static final int ONE_D_MAX = 96;

    private ArcSets() {}

    /** One split of a set: its folder under the data root and the longest row it may have. */
    private record Split(String name, String folder, int maxCols) {}

    private static final Map<String, List<Split>> SETS = new LinkedHashMap<>();
    static {
        SETS.put("arc-agi-1", List.of(new Split("training", "arc-agi-1/training", ArcReader.MAX_SIDE),
                new Split("evaluation", "arc-agi-1/evaluation", ArcReader.MAX_SIDE)));
        SETS.put("arc-agi-2", List.of(new Split("training", "arc-agi-2/training", ArcReader.MAX_SIDE)));
        SETS.put("conceptarc", List.of(new Split("corpus", "conceptarc/corpus", ArcReader.MAX_SIDE),
                new Split("MinimalTasks", "conceptarc/MinimalTasks", ArcReader.MAX_SIDE)));
        SETS.put("mini-arc", List.of(new Split("MiniARC", "mini-arc/MiniARC", ArcReader.MAX_SIDE)));
        SETS.put("1d-arc", List.of(new Split("dataset", "1d-arc/dataset", ONE_D_MAX)));
    }

    public static List<String> names() {
        return List.copyOf(SETS.keySet());
    }

    /** split name -> what was read; every file is read, bad ones are listed in the results' errors. */
    public static Map<String, ArcReader.Result> read(String set, Path root) {
        List<Split> splits = SETS.get(set);
        if (splits == null) throw new DataError("unknown set '" + set + "' (known: " + String.join(", ", names()) + ")");
        Map<String, ArcReader.Result> out = new LinkedHashMap<>();
        for (Split s : splits) out.put(s.name(), new ArcReader(s.maxCols()).readDirectory(root.resolve(s.folder()), root));
        return out;
    }

    /** A task of a training mix; {@code testHeldOut}: only its demonstrations are trained on. */
    public record MixTask(ArcTask task, boolean testHeldOut) {}

    /**
     * ARC-AGI-1 mix (the reference's 960 tasks): every pair of training and of the ConceptARC corpus, plus the demonstrations of
     * evaluation, whose test pairs are the test set. ARC-AGI-2: the same with AGI-2 training and an
     * evaluation folder if present (never mixed with AGI-1).
     */
    public static List<MixTask> mix(String name, Path root) {
        List<MixTask> mix = new ArrayList<>();
        switch (name) {
            case "arc-agi-1": {
                Map<String, ArcReader.Result> agi1 = read("arc-agi-1", root);
                add(mix, agi1.get("training"), false);
                // The reference mix's ConceptARC is its 160-task corpus (16 concepts x 10), not the 16 minimal tasks.
                add(mix, read("conceptarc", root).get("corpus"), false);
                add(mix, agi1.get("evaluation"), true);
                break;
            }
            case "arc-agi-2": {
                add(mix, read("arc-agi-2", root).get("training"), false);
                Path eval = root.resolve("arc-agi-2/evaluation");
                if (eval.toFile().isDirectory()) add(mix, new ArcReader().readDirectory(eval, root), true);
                break;
            }
            default:
                throw new DataError("unknown set '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return mix;
    }

    private static void add(List<MixTask> mix, ArcReader.Result read, boolean testHeldOut) {
        read.orThrow().forEach(t -> mix.add(new MixTask(t, testHeldOut)));
    }

    /** The columns of {@link #statsLine}. */
    public static String statsHeader() {
        return String.format("%-28s %6s %11s %10s %8s %8s%n", "split", "tasks", "train pairs", "test pairs", "max rows", "max cols");
    }

    /** One split of a set: tasks, demonstration and test pairs, and the largest grid's rows and columns. */
    public static String statsLine(String split, List<ArcTask> tasks) {
        int train = 0, test = 0, rows = 0, cols = 0;
        for (ArcTask t : tasks) {
            train += t.train().size();
            test += t.test().size();
            for (List<ArcTask.Pair> ps : List.of(t.train(), t.test()))
                for (ArcTask.Pair p : ps)
                    for (Grid g : new Grid[] {p.input(), p.output()})
                        if (g != null) {
                            rows = Math.max(rows, g.rows());
                            cols = Math.max(cols, g.cols());
                        }
        }
        return String.format("%-28s %6d %11d %10d %8d %8d%n", split, tasks.size(), train, test, rows, cols);
    }
}
