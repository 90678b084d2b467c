package trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The dihedral ids 0-7 and the colour mapping of a reference identifier, pinned to the numbering of
 * TinyRecursiveModels' {@code dataset/common.py} and {@code build_arc_dataset.py} (commit e7b6871):
 * tid 1-3 are {@code np.rot90} with k = 1-3 (counter-clockwise), 4 {@code fliplr}, 5 {@code flipud},
 * 6 the transpose, 7 {@code fliplr(rot90(a))}; an augmented grid is {@code dihedral(mapping[grid], tid)}.
 * The expected grids are written out by hand, so that a renumbering on either side fails here.
 */
class ReferenceNumberingTest {
    private static final Grid G = Grid.of(new int[][] {{1, 2, 3}, {4, 5, 6}});

    @Test
    void dihedralIdsAreTheReferences() {
        int[][][] expected = {
                {{1, 2, 3}, {4, 5, 6}},
                {{3, 6}, {2, 5}, {1, 4}},      // rot90 k=1
                {{6, 5, 4}, {3, 2, 1}},        // rot90 k=2
                {{4, 1}, {5, 2}, {6, 3}},      // rot90 k=3
                {{3, 2, 1}, {6, 5, 4}},        // fliplr
                {{4, 5, 6}, {1, 2, 3}},        // flipud
                {{1, 4}, {2, 5}, {3, 6}},      // transpose
                {{6, 3}, {5, 2}, {4, 1}},      // fliplr(rot90)
        };
        for (int id = 0; id < 8; id++) assertEquals(Grid.of(expected[id]), G.dihedral(id), "tid " + id);
        int[] inverse = {0, 3, 2, 1, 4, 5, 6, 7};   // DIHEDRAL_INVERSE of dataset/common.py
        for (int id = 0; id < 8; id++) assertEquals(inverse[id], Grid.inverseDihedral(id), "inverse of tid " + id);
    }

    @Test
    void anIdentifiersVersionIsTheReferencesAugmentedTask() {
        // mapping "0352416789": colour 1 -> 3, 2 -> 5, 3 -> 2, 4 -> 4, 5 -> 1, 6 -> 6; then rot90 (t1).
        ArcTask task = new ArcTask("abc", "test", List.of(new ArcTask.Pair(G, G)), List.of());
        ArcVersions.Identified idt = ArcVersions.fromIdentifiers(List.of("<blank>", "abc", "abc|||t1|||0352416789"), Map.of("abc", task), "ids.json");
        Grid augmented = idt.versions().apply(List.of(task), 1).train().get(0).input();
        // mapped: {{3, 5, 2}, {4, 1, 6}}; rot90 counter-clockwise:
        assertEquals(Grid.of(new int[][] {{2, 6}, {5, 1}, {3, 4}}), augmented);
        assertEquals(G, idt.versions().invert(1, augmented), "inverse_aug of build_arc_dataset.py");
    }
}
