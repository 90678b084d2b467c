package trm4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named ARC sets as laid out in {@code ../shared/data} (see its README), split by split, and
 * the training mixes of SPEC.md section 1.
 */
public final class ArcSets {
    /** 1D-ARC rows reach 93 cells; its canvas is 1 x 96. */
    public static final int ONE_D_MAX = 96;

    private ArcSets() {}

    public static List<String> names() {
        return List.of("arc-agi-1", "arc-agi-2", "conceptarc", "mini-arc", "1d-arc");
    }

    /** split name -> what was read; every file is read, bad ones are listed in the results' errors. */
    public static Map<String, ArcReader.Result> read(String set, Path root) {
        Map<String, ArcReader.Result> out = new LinkedHashMap<>();
        ArcReader arc = new ArcReader();
        switch (set) {
            case "arc-agi-1":
                out.put("training", arc.readDirectory(root.resolve("arc-agi-1/training"), root));
                out.put("evaluation", arc.readDirectory(root.resolve("arc-agi-1/evaluation"), root));
                break;
            case "arc-agi-2":
                out.put("training", arc.readDirectory(root.resolve("arc-agi-2/training"), root));
                break;
            case "conceptarc":
                out.put("corpus", arc.readDirectory(root.resolve("conceptarc/corpus"), root));
                out.put("MinimalTasks", arc.readDirectory(root.resolve("conceptarc/MinimalTasks"), root));
                break;
            case "mini-arc":
                out.put("MiniARC", arc.readDirectory(root.resolve("mini-arc/MiniARC"), root));
                break;
            case "1d-arc":
                out.put("dataset", new ArcReader(ONE_D_MAX).readDirectory(root.resolve("1d-arc/dataset"), root));
                break;
            default:
                throw new DataError("unknown set '" + set + "' (known: " + String.join(", ", names()) + ")");
        }
        return out;
    }

    /** A task of a training mix; {@code testHeldOut}: only its demonstrations are trained on. */
    public record MixTask(ArcTask task, boolean testHeldOut) {}

    /**
     * ARC-AGI-1 mix: every pair of training and of ConceptARC, plus the demonstrations of
     * evaluation, whose test pairs are the test set. ARC-AGI-2: the same with AGI-2 training and an
     * evaluation folder if present (never mixed with AGI-1).
     */
    public static List<MixTask> mix(String name, Path root) {
        List<MixTask> mix = new ArrayList<>();
        switch (name) {
            case "arc-agi-1": {
                Map<String, ArcReader.Result> agi1 = read("arc-agi-1", root);
                add(mix, agi1.get("training"), false);
                read("conceptarc", root).values().forEach(r -> add(mix, r, false));
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
                throw new DataError("unknown mix '" + name + "' (known: arc-agi-1, arc-agi-2)");
        }
        return mix;
    }

    private static void add(List<MixTask> mix, ArcReader.Result read, boolean testHeldOut) {
        read.orThrow().forEach(t -> mix.add(new MixTask(t, testHeldOut)));
    }
}
