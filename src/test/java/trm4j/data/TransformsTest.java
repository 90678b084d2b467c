package trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class TransformsTest {
    @Provide
    Arbitrary<Grid> grids() {
        return Combinators.combine(Arbitraries.integers().between(1, 30), Arbitraries.integers().between(1, 30), Arbitraries.longs())
                .as((r, c, seed) -> {
                    Random rnd = new Random(seed);
                    byte[] cells = new byte[r * c];
                    for (int i = 0; i < cells.length; i++) cells[i] = (byte) rnd.nextInt(10);
                    return new Grid(r, c, cells);
                });
    }

    @Property
    void everyDihedralTransformIsUndoneByItsInverse(@ForAll("grids") Grid g, @ForAll @IntRange(min = 0, max = 7) int id) {
        assertEquals(g, g.dihedral(id).dihedral(Grid.inverseDihedral(id)));
    }

    @Property
    void theEightTransformsAreTheDihedralGroup(@ForAll("grids") Grid g) {
        // rot90 four times is the identity, and the transforms match their definitions.
        assertEquals(g, g.dihedral(1).dihedral(1).dihedral(1).dihedral(1));
        assertEquals(g.dihedral(2), g.dihedral(1).dihedral(1));
        assertEquals(g.dihedral(3), g.dihedral(1).dihedral(1).dihedral(1));
        assertEquals(g.dihedral(7), g.dihedral(1).dihedral(4));   // anti-transpose = fliplr(rot90)
        assertEquals(g.dihedral(6).get(0, g.rows() - 1), g.get(g.rows() - 1, 0));
    }

    @Property
    void encodeThenDecodeGivesTheGridBack(@ForAll("grids") Grid g, @ForAll long seed) {
        Random rnd = new Random(seed);
        int top = rnd.nextInt(31 - g.rows()), left = rnd.nextInt(31 - g.cols());
        byte[] t = ArcCanvas.encode(g, 0, 0, 30, 30);
        assertEquals(g, ArcCanvas.decode(t, 30, 30));
        // Translated, the grid sits at (top, left) with its EOS border where it fits.
        byte[] moved = ArcCanvas.encode(g, top, left, 30, 30);
        assertEquals(g.get(0, 0) + 2, moved[top * 30 + left]);
        if (top + g.rows() < 30) assertEquals(ArcCanvas.EOS, moved[(top + g.rows()) * 30 + left]);
        if (top + g.rows() < 30 && left + g.cols() < 30) assertEquals(ArcCanvas.PAD, moved[(top + g.rows()) * 30 + left + g.cols()]);
    }

    @Property
    void versionsInvertToTheOriginalAndKeepColourZero(@ForAll("grids") Grid g, @ForAll @IntRange(min = 0, max = 40) int version) {
        ArcTask task = new ArcTask("t", "t", List.of(new ArcTask.Pair(g, g.dihedral(1))), List.of(new ArcTask.Pair(g, null)));
        ArcVersions v = ArcVersions.build(List.of(task), 41, 3);
        if (version >= v.size()) return;
        assertEquals(0, v.coloursOf(version)[0], "colour 0 is fixed");
        ArcTask aug = v.apply(List.of(task), version);
        assertEquals(g, v.invert(version, aug.test().get(0).input()));
    }

    @Property(tries = 50)
    void versionsAreDistinctAugmentedTasksAndTheFirstIsTheOriginal(@ForAll("grids") Grid g) {
        ArcTask task = new ArcTask("t", "t", List.of(new ArcTask.Pair(g, g)), List.of(new ArcTask.Pair(g, null)));
        ArcVersions v = ArcVersions.build(List.of(task), 200, 1);
        Set<List<Grid>> seen = new HashSet<>();
        for (int i = 0; i < v.size(); i++) {
            ArcTask a = v.apply(List.of(task), i);
            assertEquals(true, seen.add(List.of(a.train().get(0).input(), a.test().get(0).input())), "version " + i + " repeats");
        }
        assertEquals(g, v.apply(List.of(task), 0).train().get(0).input());
        assertEquals(1, ArcVersions.puzzleId(0));
    }

    @Property
    void colourZeroNeverMoves(@ForAll long seed) {
        ArcTask task = new ArcTask("t", "t", List.of(new ArcTask.Pair(Grid.of(new int[][] {{0, 1, 2}}), Grid.of(new int[][] {{3}}))),
                List.of(new ArcTask.Pair(Grid.of(new int[][] {{0}}), null)));
        ArcVersions v = ArcVersions.build(List.of(task), 50, seed);
        for (int i = 0; i < v.size(); i++) {
            assertEquals(0, v.apply(List.of(task), i).test().get(0).input().get(0, 0));
            byte[] map = v.coloursOf(i);
            for (int c = 1; c < 10; c++) assertNotEquals(0, map[c]);
        }
    }

    @Property
    void translatedPairsFitAndDecodeBack(@ForAll("grids") Grid in, @ForAll("grids") Grid out, @ForAll long seed) {
        int[] at = ArcCanvas.translation(new ArcTask.Pair(in, out), 30, 30, new Random(seed));
        for (Grid g : new Grid[] {in, out}) {
            byte[] t = ArcCanvas.encode(g, at[0], at[1], 30, 30);   // throws if it does not fit
            byte[] shifted = new byte[900];
            for (int r = at[0]; r < 30; r++)
                for (int c = at[1]; c < 30; c++) shifted[(r - at[0]) * 30 + c - at[1]] = t[r * 30 + c];
            assertEquals(g, ArcCanvas.decode(shifted, 30, 30));
        }
    }

    @org.junit.jupiter.api.Test
    void aSymmetryMovesCellsAndRelabelsTokensAsWrittenAndItsInverseUndoesIt() {
        // rot90 counter-clockwise of a 3x3 board, tokens 1 and 2 swapped
        Symmetry s = Symmetry.of(Grid.dihedralSources(3, 3, 1), new byte[] {0, 2, 1});
        byte[] board = {1, 2, 3, 4, 5, 6, 7, 8, 0};
        assertEquals(List.of(3, 6, 0, 1, 5, 8, 2, 4, 7), boxed(s.apply(board)));
        assertEquals(boxed(board), boxed(s.invert(s.apply(board))));
        assertEquals(boxed(board), boxed(Symmetry.identity(9).apply(board)));
        // what is no permutation is refused: it would turn answers back wrong
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Symmetry.of(new int[] {0, 0, 1}, new byte[0]));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Symmetry.of(new int[] {0, 1, 2}, new byte[] {1, 1}));
    }

    @Property(tries = 200)
    void sudokuAndBoardSymmetriesAreUndoneByTheirInverse(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int which) {
        Random rnd = new Random(seed);
        int side = new int[] {4, 6, 8}[which];
        Symmetry s = which < 2 ? new Sudoku(side).symmetry(rnd) : Symmetry.dihedral(side, rnd);
        byte[] board = new byte[side * side];
        for (int i = 0; i < board.length; i++) board[i] = (byte) rnd.nextInt(side + 2);
        assertEquals(boxed(board), boxed(s.invert(s.apply(board))));
    }

    private static List<Integer> boxed(byte[] b) {
        List<Integer> out = new java.util.ArrayList<>();
        for (byte x : b) out.add((int) x);
        return out;
    }
}
