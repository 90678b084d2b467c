package trm4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named ARC sets as {@code trm4j data download} lays them out under a data root, split by
 * split, and the training mixes of docs/METHOD.md section 1. The root is a folder, or
 * {@link #SAMPLE}: the few public tasks that ship in trm4j's jar.
 */
public final class ArcSets {
    /** 1D-ARC rows reach 93 cells; its canvas is 1 x 96. */
    public static final int ONE_D_MAX = 96;
    /** The {@code data.root} that names the sample in the jar (resources/trm4j/arc-sample, see its README): the presets' default. */
    public static final String SAMPLE = "sample";
    private static final String SAMPLE_README = "/trm4j/arc-sample/README.md";

    private ArcSets() {}

    /** One split of a set: its folder under the data root and the longest row it may have. */
    private record Split(String name, String folder, int maxCols) {}

    /** A set: its splits, and whether its grids are single rows (1D-ARC). */
    private record ArcSet(boolean singleRows, List<Split> splits) {}

    private static final Map<String, ArcSet> SETS = new LinkedHashMap<>();
    static {
        SETS.put("arc-agi-1", new ArcSet(false, List.of(new Split("training", "arc-agi-1/training", ArcReader.MAX_SIDE),
                new Split("evaluation", "arc-agi-1/evaluation", ArcReader.MAX_SIDE))));
        SETS.put("arc-agi-2", new ArcSet(false, List.of(new Split("training", "arc-agi-2/training", ArcReader.MAX_SIDE))));
        SETS.put("conceptarc", new ArcSet(false, List.of(new Split("corpus", "conceptarc/corpus", ArcReader.MAX_SIDE),
                new Split("MinimalTasks", "conceptarc/MinimalTasks", ArcReader.MAX_SIDE))));
        SETS.put("mini-arc", new ArcSet(false, List.of(new Split("MiniARC", "mini-arc/MiniARC", ArcReader.MAX_SIDE))));
        SETS.put("1d-arc", new ArcSet(true, List.of(new Split("dataset", "1d-arc/dataset", ONE_D_MAX))));
    }

    public static List<String> names() {
        return List.copyOf(SETS.keySet());
    }

    /** Whether a set's grids are single rows (1D-ARC): its canvas is 1 x {@link #ONE_D_MAX}, and its versions keep a row a row. */
    public static boolean singleRows(String set) {
        return SETS.containsKey(set) && SETS.get(set).singleRows();
    }

    /** The canvas a set's grids are written on, rows x cols: {@code side} x {@code side}, or 1 x {@link #ONE_D_MAX} for single rows. */
    public static int[] canvas(String set, int side) {
        return singleRows(set) ? new int[] {1, ONE_D_MAX} : new int[] {side, side};
    }

    /** The dihedral transforms a set's versions draw from: all 8, or for single rows those that leave a row a row. */
    public static int[] dihedrals(String set) {
        return singleRows(set) ? ArcVersions.ROW_DIHEDRALS : ArcVersions.ALL_DIHEDRALS;
    }

    /** Whether a name is one of the training mixes of {@link #mix} (the other sets hold some tasks out: data.holdout). */
    public static boolean isMix(String name) {
        return name.equals("arc-agi-1") || name.equals("arc-agi-2");
    }

    /**
     * The folder a {@code data.root} names: the sample inside the jar for {@link #SAMPLE}, else the
     * folder, which must exist. {@code field} is how messages name the setting, {@code set} what is read from it.
     */
    public static Path root(String root, String field, String set) {
        if (root.equals(SAMPLE)) return sample();
        Path p = Path.of(root);
        if (!Files.isDirectory(p))
            throw new DataError(field + " " + root + ": no such folder (" + howToGet(set, field) + ")");
        return p;
    }

    /** The two ways to data a root lacks, for the messages that name it; {@code field} names the root: data.root (a preset's) or a command's flag. */
    private static String howToGet(String set, String field) {
        boolean setting = field.equals("data.root");
        String give = setting ? "root=" : field + " ";
        return "'trm4j data download " + set + "' puts the set in data/ (--from takes a copy you have), then " + give + "data"
                + (setting ? " (the command line's --set root=data, a TrainingSpec's override root)" : "") + "; "
                + give + "FOLDER names a folder that holds it; the default, " + give + SAMPLE + ", is the small sample in trm4j's jar";
    }

    /** The sample's folder: a directory when trm4j runs from its classes, a folder of the jar's file system when it runs from the jar. */
    static Path sample() {
        URL readme = ArcSets.class.getResource(SAMPLE_README);
        if (readme == null) throw new IllegalStateException("trm4j's jar lacks its ARC sample (" + SAMPLE_README + ")");
        try {
            return folderOf(readme.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the ARC sample's address " + readme, e);
        }
    }

    /** The folder of a resource's address ({@code file:} or {@code jar:}); a jar's file system is opened once and kept open. */
    static synchronized Path folderOf(URI resource) {
        if (resource.getScheme().equals("jar")) {
            try {
                FileSystems.getFileSystem(resource);
            } catch (FileSystemNotFoundException e) {
                try {
                    FileSystems.newFileSystem(resource, Map.of());
                } catch (FileSystemAlreadyExistsException raced) {
                    // another class opened the jar meanwhile: its file system serves
                } catch (IOException io) {
                    throw new UncheckedIOException("cannot open " + resource, io);
                }
            }
        }
        return Path.of(resource).getParent();
    }

    /**
     * split name -> what was read; every file is read, bad ones are listed in the results' errors. A split the root lacks is
     * one error saying how to get it ({@code field} names the root, as for {@link #root}); the sample in the jar holds some
     * splits of a set (conceptarc: its corpus), and those are the set there.
     */
    public static Map<String, ArcReader.Result> read(String set, Path root, String field) {
        if (!SETS.containsKey(set)) throw new DataError("unknown set '" + set + "' (known: " + String.join(", ", names()) + ")");
        List<Split> splits = SETS.get(set).splits();
        if (root.equals(sample()) && splits.stream().anyMatch(s -> Files.isDirectory(root.resolve(s.folder()))))
            splits = splits.stream().filter(s -> Files.isDirectory(root.resolve(s.folder()))).toList();
        Map<String, ArcReader.Result> out = new LinkedHashMap<>();
        for (Split s : splits) {
            Path dir = root.resolve(s.folder());
            out.put(s.name(), Files.isDirectory(dir) ? new ArcReader(s.maxCols()).readDirectory(dir, root)
                    : new ArcReader.Result(List.of(), List.of(new ArcReader.Result.Bad(s.name(), shown(root, s.folder()) + ": no such folder ("
                            + (root.equals(sample()) ? "the sample in trm4j's jar holds arc-agi-1, conceptarc and mini-arc only; " : "")
                            + howToGet(set, field) + ")"))));
        }
        return out;
    }

    /** The splits of a set that the sample in the jar holds (conceptarc: its corpus), read; a set it lacks is refused. */
    public static Map<String, ArcReader.Result> readSample(String set) {
        if (SETS.containsKey(set) && SETS.get(set).splits().stream().noneMatch(s -> Files.isDirectory(sample().resolve(s.folder()))))
            throw new DataError(set + ": the sample in trm4j's jar holds arc-agi-1, conceptarc and mini-arc only (" + howToGet(set, "data.root") + ")");
        return read(set, sample(), "data.root");
    }

    /** A folder under a root as messages name it: the sample's as {@code sample/...}. */
    private static String shown(Path root, String folder) {
        return root.equals(sample()) ? SAMPLE + "/" + folder : root.resolve(folder).toString();
    }

    /** A task of a training mix; {@code testHeldOut}: only its demonstrations are trained on. */
    public record MixTask(ArcTask task, boolean testHeldOut) {}

    /**
     * ARC-AGI-1 mix (the reference's 960 tasks): every pair of training and of the ConceptARC corpus, plus the demonstrations of
     * evaluation, whose test pairs are the test set. ARC-AGI-2: the same with AGI-2 training and an
     * evaluation folder if present (never mixed with AGI-1). {@code field} names the root in errors, as for {@link #root}.
     */
    public static List<MixTask> mix(String name, Path root, String field) {
        List<MixTask> mix = new ArrayList<>();
        switch (name) {
            case "arc-agi-1": {
                Map<String, ArcReader.Result> agi1 = read("arc-agi-1", root, field);
                add(mix, agi1.get("training"), false);
                // The reference mix's ConceptARC is its 160-task corpus (16 concepts x 10), not the 16 minimal tasks.
                add(mix, read("conceptarc", root, field).get("corpus"), false);
                add(mix, agi1.get("evaluation"), true);
                break;
            }
            case "arc-agi-2": {
                add(mix, read("arc-agi-2", root, field).get("training"), false);
                Path eval = root.resolve("arc-agi-2/evaluation");
                if (Files.isDirectory(eval)) add(mix, new ArcReader().readDirectory(eval, root), true);
                break;
            }
            default:   // the reference's mixes: the other sets are read on their own
                throw new DataError("unknown mix '" + name + "' (the mixes: arc-agi-1, arc-agi-2)");
        }
        return mix;
    }

    private static void add(List<MixTask> mix, ArcReader.Result read, boolean testHeldOut) {
        read.orThrow().forEach(t -> mix.add(new MixTask(t, testHeldOut)));
    }

    /** A set's counts as a table, one line per split, and the files that could not be read. */
    public record Stats(String table, List<String> errors) {}

    /** The task, pair and grid-size counts of each of {@code set}'s splits under {@code root}; a root without any of them is one error. */
    public static Stats stats(String set, Path root, String field) {
        Map<String, ArcReader.Result> read = read(set, root, field);
        if (read.values().stream().allMatch(r -> r.tasks().isEmpty() && r.bad().size() == 1 && r.bad().get(0).error().contains(": no such folder (")))
            throw new DataError(read.values().iterator().next().bad().get(0).error());
        StringBuilder table = new StringBuilder(String.format("%-28s %6s %11s %10s %8s %8s%n", "split", "tasks", "train pairs", "test pairs", "max rows", "max cols"));
        List<String> errors = new ArrayList<>();
        for (Map.Entry<String, ArcReader.Result> e : read.entrySet()) {
            table.append(statsLine(set + "/" + e.getKey(), e.getValue().tasks()));
            errors.addAll(e.getValue().errors());
        }
        return new Stats(table.toString(), errors);
    }

    /** One split of a set: tasks, demonstration and test pairs, and the largest grid's rows and columns. */
    static String statsLine(String split, List<ArcTask> tasks) {
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
