package trm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reference puzzle identifiers (TASK|||tD|||MAPPING) read back into versions, and refused when malformed. */
class IdentifiersTest {
    private static final ArcTask A = task("a"), B = task("b");

    private static ArcTask task(String id) {
        Grid g = Grid.of(new int[][] {{1, 2}, {3, 0}});
        return new ArcTask(id, "test", List.of(new ArcTask.Pair(g, g)), List.of());
    }

    @Test
    void versionsFollowTheIdentifiersAndUnknownTasksKeepTheirIds() {
        List<String> ids = List.of("<blank>", "zzz", "b", "b|||t1|||0321456789", "a", "a|||t6|||0987654321");
        ArcVersions.Identified idt = ArcVersions.fromIdentifiers(ids, Map.of("a", A, "b", B), "ids.json");
        assertEquals(List.of(B, A), idt.tasks());
        ArcVersions v = idt.versions();
        assertEquals(5, v.size());
        assertEquals(-1, v.taskOf(0));   // zzz: not a task here, but it keeps puzzle id 1
        assertEquals(1, v.first(0));
        assertEquals(3, v.end(0));
        assertEquals(3, v.first(1));
        assertEquals(1, v.dihedralOf(2));
        assertArrayEquals(new byte[] {0, 3, 2, 1, 4, 5, 6, 7, 8, 9}, v.coloursOf(2));
        for (int version = 1; version < 5; version++)
            assertEquals(ids.get(version + 1), v.identifier(version < 3 ? "b" : "a", version), "identifier of version " + version);
    }

    @Test
    void malformedOrScatteredIdentifiersAreOneLine() {
        DataError bad = assertThrows(DataError.class,
                () -> ArcVersions.fromIdentifiers(List.of("<blank>", "a|||x1|||0123456789"), Map.of("a", A), "ids.json"));
        assertEquals("ids.json: identifier 1 'a|||x1|||0123456789' has no dihedral t0..t7 and 10-digit colour mapping", bad.getMessage());
        DataError scattered = assertThrows(DataError.class,
                () -> ArcVersions.fromIdentifiers(List.of("<blank>", "a", "b", "a|||t1|||0123456789"), Map.of("a", A, "b", B), "ids.json"));
        assertEquals("ids.json: the identifiers of task a are not consecutive", scattered.getMessage());
    }

    /** identifiers.json and the grids made by the reference's own build_arc_dataset.py (make_identifiers.py beside them). */
    @Test
    void theVersionsOfAReferenceBuiltIdentifiersFileAreTheGridsTheReferenceMade() throws Exception {
        Path dir = Path.of("src/test/resources/trm4j/identifiers");
        ObjectMapper json = new ObjectMapper();
        List<String> ids = json.readValue(dir.resolve("identifiers.json").toFile(), new TypeReference<List<String>>() {});
        JsonNode made = json.readTree(dir.resolve("augmented.json").toFile());
        Map<String, ArcTask> known = new LinkedHashMap<>();
        made.get("tasks").fields().forEachRemaining(t -> {
            List<ArcTask.Pair> pairs = new ArrayList<>();
            for (JsonNode p : t.getValue()) pairs.add(new ArcTask.Pair(grid(p.get(0)), grid(p.get(1))));
            known.put(t.getKey(), new ArcTask(t.getKey(), "test", pairs, List.of()));
        });
        ArcVersions.Identified idt = ArcVersions.fromIdentifiers(ids, known, "identifiers.json");
        for (int v = 0; v < idt.versions().size(); v++) {
            ArcTask original = idt.tasks().get(idt.versions().taskOf(v));
            ArcTask ours = idt.versions().apply(idt.tasks(), v);
            JsonNode theirs = made.get("augmented").get(ids.get(v + 1));
            for (int i = 0; i < original.train().size(); i++) {
                assertEquals(grid(theirs.get(i).get(0)), ours.train().get(i).input(), ids.get(v + 1) + " input " + i);
                assertEquals(grid(theirs.get(i).get(1)), ours.train().get(i).output(), ids.get(v + 1) + " output " + i);
                assertEquals(original.train().get(i).input(), idt.versions().invert(v, ours.train().get(i).input()), ids.get(v + 1) + " inverted");
            }
        }
        assertEquals(12, idt.versions().size());
    }

    private static Grid grid(JsonNode rows) {
        int[][] g = new int[rows.size()][];
        for (int r = 0; r < g.length; r++) {
            g[r] = new int[rows.get(r).size()];
            for (int c = 0; c < g[r].length; c++) g[r][c] = rows.get(r).get(c).asInt();
        }
        return Grid.of(g);
    }
}
