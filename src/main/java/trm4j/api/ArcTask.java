package trm4j.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import trm4j.UserError;
import trm4j.data.ArcReader;
import trm4j.data.ArcSets;
import trm4j.data.Grid;

/**
 * An ARC task as its JSON file holds it: demonstration pairs, and test inputs with their outputs
 * when known. A grid is rows of colours 0..9, at most 30 on a side (1D-ARC: one row of up to 96).
 *
 * @param id    the task's name (a file's name without .json)
 * @param train the demonstrations, each with its output
 * @param test  the test inputs; an output is null when unknown
 */
public record ArcTask(String id, List<Example> train, List<Example> test) {
    public record Example(int[][] input, int[][] output) {}

    public ArcTask {
        if (id == null) throw new InvalidInputException("ArcTask: the id is required");
        if (train == null || train.isEmpty()) throw new InvalidInputException("task " + id + ": no demonstration pairs");
        if (test == null || test.isEmpty()) throw new InvalidInputException("task " + id + ": no test inputs");
        train = Args.elements("task " + id + ": train", train);
        test = Args.elements("task " + id + ": test", test);
        for (int i = 0; i < train.size(); i++)
            if (train.get(i).output() == null) throw new InvalidInputException("task " + id + ": train[" + i + "].output: missing");
    }

    /** The most test inputs a task may have: the public ARC sets have 1 to 4. */
    public static final int MAX_TESTS = 10;
    /** The most cells all of a task's grids may hold together: the largest task of the public ARC sets has 9,000. */
    public static final int MAX_CELLS = 50_000;

    /**
     * What makes this task more than one answer may be asked to do, in one line (its test inputs
     * beyond {@link #MAX_TESTS}, its cells beyond {@link #MAX_CELLS}); null when it is within both.
     * The work of an answer grows with both, and a model refuses such a task before any.
     */
    public String tooLarge() {
        if (test.size() > MAX_TESTS) return "task " + id + ": " + test.size() + " test inputs, more than the " + MAX_TESTS + " one task may have";
        long cells = 0;
        for (List<Example> part : List.of(train, test))
            for (Example e : part) for (int[][] g : new int[][][] {e.input(), e.output()}) if (g != null) for (int[] row : g) cells += row == null ? 0 : row.length;
        if (cells > MAX_CELLS) return "task " + id + ": " + cells + " cells in its grids, more than the " + MAX_CELLS + " one task may have";
        return null;
    }

    /** A task from its JSON text ({@code {"train": [...], "test": [...]}}); a malformed one is an {@link InvalidInputException}. */
    public static ArcTask parse(String json, String id) {
        Args.required("json", json, "id", id);
        try {
            return of(new ArcReader(ArcSets.ONE_D_MAX).readTask(json, id, "task " + id));
        } catch (UserError e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    /** A task file; a missing or malformed one is a {@link FileException} naming the file and the JSON path. */
    public static ArcTask read(Path file) {
        Args.required("file", file);
        try {
            return of(new ArcReader(ArcSets.ONE_D_MAX).readTask(file, file.toString()));
        } catch (UserError e) {
            throw new FileException(e.getMessage());
        }
    }

    /**
     * Every task of a task file, a folder of them (recursively) or an ARC Prize challenges file
     * (with the solutions file beside it when there is one); a bad task is one line in
     * {@code errors}, the others are read.
     */
    public static Read readAll(Path path) {
        Args.required("path", path);
        ArcReader reader = new ArcReader(ArcSets.ONE_D_MAX);
        ArcReader.Result r;
        if (Files.isDirectory(path)) r = reader.readDirectory(path, path);
        else if (!Files.isRegularFile(path))   // a FIFO or a device would block or mislead
            throw new FileException(path + (Files.exists(path) ? ": not a regular file, nor a folder" : ": no such file or folder"));
        else if (path.getFileName().toString().contains("challenges")) r = reader.readChallenges(path);
        else {
            try {
                r = new ArcReader.Result(List.of(reader.readTask(path, path.toString())), List.of());
            } catch (UserError e) {
                r = new ArcReader.Result(List.of(), List.of(new ArcReader.Result.Bad(ArcReader.idOf(path), e.getMessage())));
            }
        }
        List<ArcTask> tasks = new ArrayList<>();
        for (trm4j.data.ArcTask t : r.tasks()) tasks.add(of(t));
        List<Unread> unread = r.bad().stream().map(b -> new Unread(b.id(), b.error())).toList();
        return new Read(tasks, unread);
    }

    /**
     * The tasks of one set of the sample that ships in trm4j's jar, in file order: {@code "arc-agi-1"} (40
     * training and 16 evaluation tasks), {@code "conceptarc"} or {@code "mini-arc"}. A few public tasks to
     * try a model on with nothing downloaded; the ARC presets train on this sample unless {@code root} names
     * a folder.
     */
    public static List<ArcTask> sample(String set) {
        Args.required("set", set);
        try {
            List<ArcTask> tasks = new ArrayList<>();
            for (ArcReader.Result r : ArcSets.readSample(set).values()) r.orThrow().forEach(t -> tasks.add(of(t)));
            return tasks;
        } catch (UserError e) {
            throw new InvalidInputException("ArcTask.sample: " + e.getMessage());
        }
    }

    /** The tasks of {@link #readAll}, and those that could not be read. */
    public record Read(List<ArcTask> tasks, List<Unread> unread) {}

    /** A task that could not be read: its id (its file's name, or its key in a challenges file) and why, in one line. */
    public record Unread(String id, String error) {}

    static ArcTask of(trm4j.data.ArcTask t) {
        return new ArcTask(t.id(), t.train().stream().map(ArcTask::example).toList(), t.test().stream().map(ArcTask::example).toList());
    }

    private static Example example(trm4j.data.ArcTask.Pair p) {
        return new Example(p.input().toArray(), p.output() == null ? null : p.output().toArray());
    }

    /** This task in trm4j's own form, every grid checked. */
    trm4j.data.ArcTask internal() {
        try {
            return new trm4j.data.ArcTask(id, "task " + id, pairs(train, "train"), pairs(test, "test"));
        } catch (UserError e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    private List<trm4j.data.ArcTask.Pair> pairs(List<Example> examples, String part) {
        List<trm4j.data.ArcTask.Pair> out = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            String at = "task " + id + ": " + part + "[" + i + "]";
            Grid in = Grid.checked(e.input(), ArcReader.MAX_SIDE, ArcSets.ONE_D_MAX, at + ".input");
            out.add(new trm4j.data.ArcTask.Pair(in, e.output() == null ? null
                    : Grid.checked(e.output(), ArcReader.MAX_SIDE, ArcSets.ONE_D_MAX, at + ".output")));
        }
        return out;
    }
}
