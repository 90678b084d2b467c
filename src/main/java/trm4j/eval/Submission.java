package trm4j.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.config.Json;
import trm4j.data.Grid;

/**
 * The ARC Prize submission file: {@code {task_id: [{"attempt_1": grid, "attempt_2": grid}, ...]}},
 * one entry per test input in order. An input with one candidate takes as its second attempt the latest different answer of an earlier supervision step (else repeats its best one), or
 * gets {@code [[0]]} when the model produced no grid at all (the file must be complete).
 */
public final class Submission {
    private static final int[][] EMPTY = {{0}};

    private Submission() {}

    public static Map<String, List<Map<String, int[][]>>> of(List<ArcEval.TestResult> tests) {
        Map<String, List<Map<String, int[][]>>> out = new LinkedHashMap<>();
        for (ArcEval.TestResult t : tests) {
            List<Votes.Candidate> r = t.ranked();
            int[][] a1 = r.isEmpty() ? EMPTY : r.get(0).grid().toArray();
            int[][] a2 = r.size() >= 2 ? r.get(1).grid().toArray() : secondChoice(r.isEmpty() ? null : r.get(0).grid(), t.path(), a1);
            Map<String, int[][]> entry = new LinkedHashMap<>();
            entry.put("attempt_1", a1);
            entry.put("attempt_2", a2);
            out.computeIfAbsent(t.taskId(), k -> new ArrayList<>()).add(entry);
        }
        return out;
    }

    /**
     * When every version voted for one grid, the second attempt is the latest different answer an
     * earlier supervision step gave (the original version's path), or the first attempt again.
     */
    private static int[][] secondChoice(Grid first, List<Grid> path, int[][] fallback) {
        for (int s = path.size() - 1; s >= 0; s--) {
            Grid g = path.get(s);
            if (g != null && !g.equals(first)) return g.toArray();
        }
        return fallback;
    }

    public static void write(Path file, List<ArcEval.TestResult> tests) throws IOException {
        writeEntries(file, of(tests));
    }

    /** Writes entries as {@link #of} makes them (atomically). */
    public static void writeEntries(Path file, Map<String, List<Map<String, int[][]>>> entries) throws IOException {
        Outputs.writeAtomically(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(entries));
    }

    /** A submission file's entries, as {@link #of} makes them; a file that is not one is a one-line error. */
    public static Map<String, List<Map<String, int[][]>>> readEntries(Path file) {
        try {
            Map<String, List<Map<String, int[][]>>> out = new LinkedHashMap<>();
            read(file).forEach((task, tests) -> {
                List<Map<String, int[][]>> l = new ArrayList<>();
                for (Grid[] a : tests) {
                    Map<String, int[][]> entry = new LinkedHashMap<>();
                    entry.put("attempt_1", a[0].toArray());
                    entry.put("attempt_2", a[1].toArray());
                    l.add(entry);
                }
                out.put(task, l);
            });
            return out;
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": not an ARC submission file to resume (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Reads a submission back: task id -> per test input, the two attempts. */
    public static Map<String, List<Grid[]>> read(Path file) throws IOException {
        Map<String, List<Grid[]>> out = new LinkedHashMap<>();
        Json.MAPPER.readTree(file.toFile()).fields().forEachRemaining(e -> {
            List<Grid[]> l = new ArrayList<>();
            e.getValue().forEach(n -> l.add(new Grid[] {grid(n.get("attempt_1")), grid(n.get("attempt_2"))}));
            out.put(e.getKey(), l);
        });
        return out;
    }

    private static Grid grid(JsonNode n) {
        int[][] rows = new int[n.size()][];
        for (int r = 0; r < n.size(); r++) {
            rows[r] = new int[n.get(r).size()];
            for (int c = 0; c < rows[r].length; c++) rows[r][c] = n.get(r).get(c).asInt();
        }
        return Grid.of(rows);
    }
}
