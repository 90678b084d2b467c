package trm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
}
