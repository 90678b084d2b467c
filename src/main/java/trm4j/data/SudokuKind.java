package trm4j.data;

import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;

import trm4j.config.DataConfig;

/** Sudoku of side 4, 6 or 9 with a unique solution ({@link Sudoku} generates and solves them). */
public final class SudokuKind implements PuzzleKind<DataConfig.Sudoku> {
    @Override public String name() { return DataConfig.Sudoku.KIND; }

    @Override public Class<DataConfig.Sudoku> config() { return DataConfig.Sudoku.class; }

    @Override public String description() {
        return "0 for an empty cell, else the digit 1..n (n = 4, 6 or 9)";
    }

    @Override public String description(int side) {
        return "0 for an empty cell, else the digit 1.." + side;
    }

    @Override public Splits load(DataConfig.Sudoku d) {
        // The held-out sets first; training then avoids every puzzle an augmentation could turn into one of theirs.
        Sudoku s = new Sudoku(d.size());
        PuzzleSet test = generate(d, d.test(), d.seed() + 1);
        Set<String> held = new HashSet<>();
        for (byte[] in : test.inputs()) held.add(s.augmentationKey(Sudoku.digits(in)));
        PuzzleSet validation = d.validation() == 0 ? null : s.generate("validation", d.validation(), d.seed() + 2, d.minClues(), d.minEffort(), held);
        if (validation != null) for (byte[] in : validation.inputs()) held.add(s.augmentationKey(Sudoku.digits(in)));
        return new Splits(s.generate("train", d.train(), d.seed(), d.minClues(), d.minEffort(), held), test, validation);
    }

    @Override public String summary(DataConfig.Sudoku d) {
        return "generated " + d.size() + "x" + d.size() + " Sudoku";
    }

    @Override public PuzzleSet generate(DataConfig.Sudoku d, int count, long seed) {
        return new Sudoku(d.size()).generate(count, seed, d.minClues(), d.minEffort());
    }

    @Override public PuzzleSet generate(int count, long seed, Map<String, Long> o) {
        PuzzleKind.takes(name(), o, "size", "min-clues", "min-effort");
        return generate(new DataConfig.Sudoku(o.getOrDefault("size", 9L).intValue(), 1, 1, 0, seed, o.getOrDefault("min-clues", 0L).intValue(),
                o.getOrDefault("min-effort", 0L), false), count, seed);   // the data section's checks
    }

    @Override public String shortOf(PuzzleSet set, Map<String, Long> o) {
        long least = o.getOrDefault("min-effort", 0L), hardest = 0;
        if (least == 0) return null;
        Sudoku s = new Sudoku(set.rows());
        int easier = 0;
        for (byte[] p : set.inputs()) {
            long effort = s.solve(Sudoku.digits(p), 2, null)[1];
            hardest = Math.max(hardest, effort);
            if (effort < least) easier++;
        }
        return easier == 0 ? null : easier + " of " + set.size() + " puzzles need fewer than --min-effort " + least + " search nodes (the hardest "
                + hardest + "): no harder one turned up in the " + Sudoku.MOST_DRAWS + " draws each gets";
    }

    /** Digits renamed, bands, stacks and the lines within them shuffled, a board of square boxes transposed (docs/METHOD.md). */
    @Override public Symmetry symmetry(int side, Random rnd) {
        return new Sudoku(side).symmetry(rnd);
    }

    /** Any full board that keeps the givens and repeats no digit: a board a person edited may have several solutions. */
    @Override public BiPredicate<byte[], byte[]> validity() {
        return (puzzle, answer) -> {
            int n = (int) Math.round(Math.sqrt(puzzle.length));   // a set read from a file may hold any shape: only Sudoku's are judged
            return n * n == puzzle.length && (n == 4 || n == 6 || n == 9) && new Sudoku(n).solves(Sudoku.digits(puzzle), Sudoku.digits(answer));
        };
    }

    /** Two equal digits in one row, column or box. */
    @Override public String conflict(byte[] tokens, int side) {
        return new Sudoku(side).conflict(Sudoku.digits(tokens));
    }

    @Override public int maxGiven(int side) {
        return side;
    }

    @Override public BoardLook look(int side) {
        Sudoku s = new Sudoku(side);
        return new BoardLook(maxGiven(side), BoardLook.digits(side), s.boxRows, s.boxCols, false);
    }
}
