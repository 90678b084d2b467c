package trm4j.data;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;

import trm4j.config.DataConfig;

/**
 * N-Queens on 8x8 with 1..7 queens given ({@link NQueens} generates and checks them). Training does not augment it
 * (docs/METHOD.md); its dihedral symmetries serve sampled answering.
 */
public final class NQueensKind implements PuzzleKind<DataConfig.NQueens> {
    @Override public String name() { return DataConfig.NQueens.KIND; }

    @Override public Class<DataConfig.NQueens> config() { return DataConfig.NQueens.class; }

    @Override public String description() {
        return "0 empty, 1 queen, on 8x8; answers place all 8 queens";
    }

    @Override public Symmetry symmetry(int side, Random rnd) {
        return Symmetry.dihedral(side, rnd);
    }

    /** Splits of distinct input boards: the test set avoids the training boards, the validation set both. */
    @Override public Splits load(DataConfig.NQueens q) {
        PuzzleSet train = NQueens.generate("train", q.train(), q.seed(), Set.of());
        Set<String> seen = new HashSet<>();
        for (byte[] in : train.inputs()) seen.add(NQueens.key(in));
        PuzzleSet test = NQueens.generate("test", q.test(), q.seed() + 1, seen);
        for (byte[] in : test.inputs()) seen.add(NQueens.key(in));
        return new Splits(train, test, q.validation() == 0 ? null : NQueens.generate("validation", q.validation(), q.seed() + 2, seen));
    }

    @Override public String summary(DataConfig.NQueens q) {
        return "generated 8x8 N-Queens";
    }

    @Override public PuzzleSet generate(DataConfig.NQueens q, int count, long seed) {
        return NQueens.generate(count, seed, Set.of());
    }

    /** Always 8x8: the DIS paper's board. */
    @Override public PuzzleSet generate(int count, long seed, Map<String, Long> options) {
        PuzzleKind.takes(name(), options);
        return NQueens.generate(count, seed, Set.of());
    }

    @Override public int maxGiven(int side) {
        return 1;
    }

    /** Any completion that keeps the given queens solves the puzzle, not only the label's. */
    @Override public BiPredicate<byte[], byte[]> validity() {
        return NQueens::isValidCompletion;
    }

    /** Two given queens that attack each other. */
    @Override public String conflict(byte[] tokens, int side) {
        return NQueens.conflict(tokens);
    }

    @Override public BoardLook look(int side) {
        return new BoardLook(maxGiven(side), List.of(new BoardLook.Cell("", "0", null, null), new BoardLook.Cell("\u265B", "\u265B", null, null)), 0, 0, true);
    }
}
