package trm4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import trm4j.DidYouMean;
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
    /**
     * The most JSON tokens one task (or one task's solutions) may take, counted while streaming and
     * before its tree is built: a tree costs far more memory than its text, so a file within the byte
     * bound could otherwise ask for gigabytes. The largest public task takes about 20,000.
     */
    static final int MAX_TASK_TOKENS = 1 << 20;

    /** Tasks read, and the tasks that could not be (by id, with the error met, one line each). */
    public record Result(List<ArcTask> tasks, List<Bad> bad) {
        /** A task that could not be read: its id (a file name without .json, or a challenges key) and why. */
        public record Bad(String id, String error) {}

        public List<String> errors() {
            return bad.stream().map(Bad::error).toList();
        }

        /** The tasks, or a DataError listing every bad file. */
        public List<ArcTask> orThrow() {
            if (!bad.isEmpty()) throw new DataError(errors());
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
        return task(parse(file, shown), idOf(file), shown, "");
    }

    /** A task file's id: its name without .json. */
    public static String idOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /** A task from JSON text (a request body, say); {@code shown} is how messages name it. */
    public ArcTask readTask(String json, String id, String shown) {
        if (json.length() > MAX_TASK_BYTES) throw new DataError(shown + ": " + (json.length() >> 20) + " MB of JSON, more than the " + (MAX_TASK_BYTES >> 20) + " MB allowed");
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            return task(boundedTree(p, shown, ""), id, shown, "");
        } catch (JsonProcessingException e) {
            throw new DataError(Json.notValid(shown, e));
        } catch (IOException e) {
            throw new DataError(shown + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * The ARC Prize layout: {task_id: {train, test}} with test outputs from the solutions file if
     * present. Both stream: one task's tree at a time, each kept only as its grids.
     */
    public Result readChallenges(Path challenges) {
        List<ArcTask> tasks = new ArrayList<>();
        List<Result.Bad> errors = new ArrayList<>();
        Path solutionsFile = challenges.resolveSibling(challenges.getFileName().toString().replace("_challenges.json", "_solutions.json"));
        String solutionsShown = solutionsFile.toString();
        Map<String, Object> solutions = new HashMap<>();   // task id: its test outputs (a list of grids), or the DataError that refused them
        if (!solutionsFile.equals(challenges) && Files.exists(solutionsFile)) {
            try {
                eachEntry(solutionsFile, solutionsShown, (id, outs) -> {
                    try {
                        solutions.put(id, outputs(outs, solutionsShown, id));
                    } catch (DataError e) {
                        solutions.put(id, e);
                    }
                }, solutions::put);
            } catch (DataError e) {
                errors.add(new Result.Bad(idOf(solutionsFile), e.getMessage()));
                solutions.clear();
            }
        }
        String shown = challenges.toString();
        try {
            eachEntry(challenges, shown, (id, tree) -> {
                try {
                    ArcTask t = task(tree, id, shown, id + ".");
                    Object outs = solutions.get(id);
                    if (outs instanceof DataError e) throw e;
                    tasks.add(outs == null ? t : withSolutions(t, (List<?>) outs, solutionsShown));
                } catch (DataError e) {
                    errors.add(new Result.Bad(id, e.getMessage()));
                }
            }, (id, e) -> errors.add(new Result.Bad(id, e.getMessage())));
        } catch (DataError e) {
            errors.add(new Result.Bad(idOf(challenges), e.getMessage()));
        }
        return new Result(tasks, errors);
    }

    /** A solutions entry: a list of grids. */
    private List<Grid> outputs(JsonNode outs, String shown, String id) {
        if (!outs.isArray()) throw new DataError(shown + ": " + id + ": expected a list of test outputs");
        List<Grid> grids = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) grids.add(grid(outs.get(i), shown, id + "[" + i + "]"));
        return grids;
    }

    private static ArcTask withSolutions(ArcTask t, List<?> outs, String shown) {
        if (outs.size() != t.test().size())
            throw new DataError(shown + ": " + t.id() + ": expected " + t.test().size() + " test outputs");
        List<ArcTask.Pair> test = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) test.add(new ArcTask.Pair(t.test().get(i).input(), (Grid) outs.get(i)));
        return new ArcTask(t.id(), t.source(), t.train(), test);
    }

    /** A task file's tree, its size checked first and its tokens while they stream ({@link #MAX_TASK_TOKENS}). */
    private static JsonNode parse(Path file, String shown) {
        return read(file, shown, MAX_TASK_BYTES, p -> boundedTree(p, shown, ""));
    }

    /**
     * Each {key: value} of a file (challenges, solutions), in the file's order, handed on as its tree
     * one at a time; a value over {@link #MAX_TASK_TOKENS} goes to {@code refused} instead. What is
     * wrong with the file as a whole is a DataError.
     */
    private static void eachEntry(Path file, String shown, BiConsumer<String, JsonNode> entry, BiConsumer<String, DataError> refused) {
        read(file, shown, MAX_CHALLENGES_BYTES, p -> {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new DataError(shown + ": expected an object {task_id: ...}");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                JsonNode tree;
                try {
                    tree = boundedTree(p, shown, key);
                } catch (DataError e) {
                    refused.accept(key, e);
                    continue;
                }
                entry.accept(key, tree);
            }
            return null;
        });
    }

    private interface Reading<T> {
        T from(JsonParser p) throws IOException;
    }

    private static <T> T read(Path file, String shown, long maxBytes, Reading<T> reading) {
        try {
            long size = Files.size(file);
            if (size > maxBytes)
                throw new DataError(shown + ": file is " + (size >> 20) + " MB, more than the " + (maxBytes >> 20) + " MB allowed for it");
            try (InputStream in = Files.newInputStream(file); JsonParser p = Json.MAPPER.createParser(in)) {   // a path of the jar's file system too (the sample)
                return reading.from(p);
            }
        } catch (JsonProcessingException e) {
            throw new DataError(Json.notValid(shown, e));
        } catch (NoSuchFileException e) {
            throw new DataError(shown + ": no such file");
        } catch (IOException e) {
            throw new DataError(shown + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * The value at the parser (its first token, or the next one) as a tree, built only once it has
     * streamed within {@link #MAX_TASK_TOKENS}; past that the rest of the value is skipped, token by
     * token, and refused. {@code path} names the value in messages ("" for the whole file).
     */
    private static JsonNode boundedTree(JsonParser p, String shown, String path) throws IOException {
        JsonToken t = p.currentToken() == null ? p.nextToken() : p.currentToken();
        if (t == null) throw new DataError(shown + ": " + (path.isEmpty() ? "" : path + ": ") + "empty: no JSON value");
        try (TokenBuffer buffer = new TokenBuffer(p)) {
            long tokens = 0;
            for (int depth = 0; ; t = p.nextToken()) {
                if (++tokens <= MAX_TASK_TOKENS) buffer.copyCurrentEvent(p);
                if (t.isStructStart()) depth++;
                else if (t.isStructEnd()) depth--;
                if (depth == 0) break;
            }
            if (tokens > MAX_TASK_TOKENS)
                throw new DataError(shown + ": " + (path.isEmpty() ? "" : path + ": ") + tokens + " JSON tokens, more than the " + MAX_TASK_TOKENS + " one task may take");
            try (JsonParser tree = buffer.asParser()) {
                return Json.MAPPER.readTree(tree);
            }
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

    /** A key the object lacks, and the key it has in its place where one is near (a misspelling: "tset" for "test"). */
    private static DataError missing(JsonNode object, String key, String at) {
        List<String> near = new ArrayList<>();
        object.fieldNames().forEachRemaining(k -> {
            if (!DidYouMean.near(k, List.of(key)).isEmpty()) near.add(k);
        });
        return new DataError(at + ": missing" + (near.isEmpty() ? "" : " ('" + near.get(0) + "' is there: a misspelling?)"));
    }

    private List<ArcTask.Pair> pairs(JsonNode root, String key, boolean outputRequired, String shown, String prefix) {
        JsonNode list = root.get(key);
        if (list == null) throw missing(root, key, shown + ": " + prefix + key);
        if (!list.isArray()) throw new DataError(shown + ": " + prefix + key + ": expected a list of pairs");
        List<ArcTask.Pair> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String path = prefix + key + "[" + i + "]";
            JsonNode pair = list.get(i);
            if (!pair.isObject()) throw new DataError(shown + ": " + path + ": expected an object with input and output");
            if (!pair.has("input")) throw missing(pair, "input", shown + ": " + path + ".input");
            Grid input = grid(pair.get("input"), shown, path + ".input");
            JsonNode o = pair.get("output");
            if (o == null && outputRequired) throw missing(pair, "output", shown + ": " + path + ".output");
            out.add(new ArcTask.Pair(input, o == null || o.isNull() ? null : grid(o, shown, path + ".output")));
        }
        return out;
    }

    /** A grid's cells are named as JSON indexes them, from 0 ({@code train[0].input[1][2]}), beside the file's own path to the grid. */
    private Grid grid(JsonNode g, String shown, String path) {
        String at = shown + ": " + path + ": ", in = shown + ": " + path;
        if (!g.isArray()) throw new DataError(at + "expected a list of rows");
        int rows = g.size();
        if (rows == 0) throw new DataError(at + "empty grid");
        if (rows > MAX_SIDE) throw new DataError(at + rows + " rows, at most " + MAX_SIDE);
        JsonNode first = g.get(0);
        if (!first.isArray()) throw new DataError(in + "[0]: not a list of cells");
        int cols = first.size();
        if (cols == 0) throw new DataError(in + "[0]: empty");
        if (cols > maxCols) throw new DataError(at + cols + " columns, at most " + maxCols);
        byte[] cells = new byte[rows * cols];
        for (int r = 0; r < rows; r++) {
            JsonNode row = g.get(r);
            if (!row.isArray()) throw new DataError(in + "[" + r + "]: not a list of cells");
            if (row.size() != cols) throw new DataError(in + "[" + r + "]: " + row.size() + (row.size() == 1 ? " cell" : " cells") + ", expected " + cols + " as in row 0");
            for (int c = 0; c < cols; c++) {
                JsonNode v = row.get(c);
                if (!v.isIntegralNumber()) throw new DataError(in + "[" + r + "][" + c + "]: expected a colour 0..9, got " + v);
                int colour = v.asInt();
                if (colour < 0 || colour > 9 || !v.canConvertToInt())
                    throw new DataError(in + "[" + r + "][" + c + "]: colour " + v + " is outside 0..9");
                cells[r * cols + c] = (byte) colour;
            }
        }
        return new Grid(rows, cols, cells);
    }
}
