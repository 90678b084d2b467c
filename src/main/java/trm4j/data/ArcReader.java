package trm4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import trm4j.config.Json;

/**
 * Reads ARC task JSON ({"train": [{"input": grid, "output": grid}...], "test": [...]}) one file
 * at a time or in the ARC Prize layout (a {@code *_challenges.json} with {@code *_solutions.json}
 * beside it), validating everything. A bad file becomes one {@link DataError} line naming the file
 * and the JSON path; the other files of a set are still read.
 */
public final class ArcReader {
    public static final int MAX_SIDE = 30;
    private static final long MAX_TASK_BYTES = 8L << 20, MAX_CHALLENGES_BYTES = 256L << 20;

    /** Tasks read, and the tasks that could not be (by id, with the error met, one line each). */
    public record Result(List<ArcTask> tasks, List<Bad> bad) {
        /** A task that could not be read: its id (a file name without .json, or a challenges key) and why. */
        public record Bad(String id, String error) {}

        public List<String> errors() {
            return bad.stream().map(Bad::error).toList();
        }

        /** The tasks, or a DataError listing every bad file. */
        public List<ArcTask> orThrow() {
            if (!bad.isEmpty()) throw new DataError(String.join("\n", errors()));
            return tasks;
        }
    }

    private final int maxCols;

    /** @param maxCols the longest row allowed: 30 for ARC, more for 1D-ARC whose rows reach 93 */
    public ArcReader(int maxCols) {
        this.maxCols = maxCols;
    }

    public ArcReader() {
        this(MAX_SIDE);
    }

    /** Every {@code *.json} task below {@code dir} (recursively), in path order; {@code shown} names files in messages. */
    public Result readDirectory(Path dir, Path shownRelativeTo) {
        List<ArcTask> tasks = new ArrayList<>();
        List<Result.Bad> errors = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            errors.add(new Result.Bad(dir.getFileName().toString(), dir + ": no such directory"));
            return new Result(tasks, errors);
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            errors.add(new Result.Bad(dir.getFileName().toString(), dir + ": cannot list: " + e.getMessage()));
            return new Result(tasks, errors);
        }
        for (Path f : files) {
            try {
                tasks.add(readTask(f, shownRelativeTo == null ? f.toString() : shownRelativeTo.relativize(f).toString()));
            } catch (DataError e) {
                errors.add(new Result.Bad(idOf(f), e.getMessage()));
            }
        }
        return new Result(tasks, errors);
    }

    /** One task file; {@code shown} is how messages name it. */
    public ArcTask readTask(Path file, String shown) {
        return task(parse(file, shown, MAX_TASK_BYTES), idOf(file), shown, "");
    }

    /** A task file's id: its name without .json. */
    public static String idOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /** A task from JSON text (a request body, say); {@code shown} is how messages name it. */
    public ArcTask readTask(String json, String id, String shown) {
        if (json.length() > MAX_TASK_BYTES) throw new DataError(shown + ": " + (json.length() >> 20) + " MB of JSON, more than the " + (MAX_TASK_BYTES >> 20) + " MB allowed");
        try {
            return task(Json.MAPPER.readTree(json), id, shown);
        } catch (JsonProcessingException e) {
            throw new DataError(Json.notValid(shown, e));
        }
    }

    /** A task from parsed JSON ({@code {"train": [...], "test": [...]}}); {@code shown} is how messages name it. */
    public ArcTask task(JsonNode root, String id, String shown) {
        return task(root, id, shown, "");
    }

    /** The ARC Prize layout: {task_id: {train, test}} with test outputs from the solutions file if present. */
    public Result readChallenges(Path challenges) {
        List<ArcTask> tasks = new ArrayList<>();
        List<Result.Bad> errors = new ArrayList<>();
        String shown = challenges.toString();
        JsonNode root;
        try {
            root = parse(challenges, shown, MAX_CHALLENGES_BYTES);
        } catch (DataError e) {
            errors.add(new Result.Bad(idOf(challenges), e.getMessage()));
            return new Result(tasks, errors);
        }
        Path solutionsFile = challenges.resolveSibling(challenges.getFileName().toString().replace("_challenges.json", "_solutions.json"));
        JsonNode solutions = null;
        if (!solutionsFile.equals(challenges) && Files.exists(solutionsFile)) {
            try {
                solutions = parse(solutionsFile, solutionsFile.toString(), MAX_CHALLENGES_BYTES);
            } catch (DataError e) {
                errors.add(new Result.Bad(idOf(solutionsFile), e.getMessage()));
            }
        }
        if (!root.isObject()) {
            errors.add(new Result.Bad(idOf(challenges), shown + ": expected an object {task_id: task}"));
            return new Result(tasks, errors);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                ArcTask t = task(e.getValue(), e.getKey(), shown, e.getKey() + ".");
                if (solutions != null) t = withSolutions(t, solutions.get(e.getKey()), solutionsFile.toString());
                tasks.add(t);
            } catch (DataError err) {
                errors.add(new Result.Bad(e.getKey(), err.getMessage()));
            }
        }
        return new Result(tasks, errors);
    }

    private ArcTask withSolutions(ArcTask t, JsonNode outs, String shown) {
        if (outs == null) return t;
        String path = t.id();
        if (!outs.isArray() || outs.size() != t.test().size())
            throw new DataError(shown + ": " + path + ": expected " + t.test().size() + " test outputs");
        List<ArcTask.Pair> test = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++)
            test.add(new ArcTask.Pair(t.test().get(i).input(), grid(outs.get(i), shown, path + "[" + i + "]")));
        return new ArcTask(t.id(), t.source(), t.train(), test);
    }

    private static JsonNode parse(Path file, String shown, long maxBytes) {
        try {
            long size = Files.size(file);
            if (size > maxBytes)
                throw new DataError(shown + ": file is " + (size >> 20) + " MB, more than the " + (maxBytes >> 20) + " MB allowed for it");
            try (InputStream in = Files.newInputStream(file)) {   // a path of the jar's file system too (the sample)
                return Json.MAPPER.readTree(in);
            }
        } catch (JsonProcessingException e) {
            throw new DataError(Json.notValid(shown, e));
        } catch (NoSuchFileException e) {
            throw new DataError(shown + ": no such file");
        } catch (IOException e) {
            throw new DataError(shown + ": cannot read: " + e.getMessage());
        }
    }

    private ArcTask task(JsonNode root, String id, String shown, String prefix) {
        if (root == null || !root.isObject()) throw new DataError(shown + ": " + (prefix.isEmpty() ? "" : prefix) + "expected a JSON object with train and test");
        List<ArcTask.Pair> train = pairs(root, "train", true, shown, prefix);
        if (train.isEmpty()) throw new DataError(shown + ": " + prefix + "train: no demonstration pairs");
        List<ArcTask.Pair> test = pairs(root, "test", false, shown, prefix);
        if (test.isEmpty()) throw new DataError(shown + ": " + prefix + "test: no test inputs");
        return new ArcTask(id, shown, train, test);
    }

    private List<ArcTask.Pair> pairs(JsonNode root, String key, boolean outputRequired, String shown, String prefix) {
        JsonNode list = root.get(key);
        if (list == null) throw new DataError(shown + ": " + prefix + key + ": missing");
        if (!list.isArray()) throw new DataError(shown + ": " + prefix + key + ": expected a list of pairs");
        List<ArcTask.Pair> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String path = prefix + key + "[" + i + "]";
            JsonNode pair = list.get(i);
            if (!pair.isObject()) throw new DataError(shown + ": " + path + ": expected an object with input and output");
            if (!pair.has("input")) throw new DataError(shown + ": " + path + ".input: missing");
            Grid input = grid(pair.get("input"), shown, path + ".input");
            JsonNode o = pair.get("output");
            if (o == null && outputRequired) throw new DataError(shown + ": " + path + ".output: missing");
            out.add(new ArcTask.Pair(input, o == null || o.isNull() ? null : grid(o, shown, path + ".output")));
        }
        return out;
    }

    private Grid grid(JsonNode g, String shown, String path) {
        String at = shown + ": " + path + ": ";
        if (!g.isArray()) throw new DataError(at + "expected a list of rows");
        int rows = g.size();
        if (rows == 0) throw new DataError(at + "empty grid");
        if (rows > MAX_SIDE) throw new DataError(at + rows + " rows, at most " + MAX_SIDE);
        JsonNode first = g.get(0);
        if (!first.isArray()) throw new DataError(at + "row 0 is not a list");
        int cols = first.size();
        if (cols == 0) throw new DataError(at + "row 0 is empty");
        if (cols > maxCols) throw new DataError(at + cols + " columns, at most " + maxCols);
        byte[] cells = new byte[rows * cols];
        for (int r = 0; r < rows; r++) {
            JsonNode row = g.get(r);
            if (!row.isArray()) throw new DataError(at + "row " + r + " is not a list");
            if (row.size() != cols) throw new DataError(at + "row " + r + " has " + row.size() + " cells, expected " + cols);
            for (int c = 0; c < cols; c++) {
                JsonNode v = row.get(c);
                if (!v.isIntegralNumber()) throw new DataError(at + "row " + r + ", column " + c + ": expected a colour 0..9, got " + v);
                int colour = v.asInt();
                if (colour < 0 || colour > 9 || !v.canConvertToInt())
                    throw new DataError(at + "row " + r + ", column " + c + ": colour " + v + " is outside 0..9");
                cells[r * cols + c] = (byte) colour;
            }
        }
        return new Grid(rows, cols, cells);
    }
}
