package examples;

import java.nio.file.Path;
import java.util.Arrays;

import trm4j.api.Model;
import trm4j.api.Solution;
import trm4j.api.Training;
import trm4j.api.TrainingSpec;

/**
 * Solves a 4x4 Sudoku step by step with the demo's model: RUN/model.safetensors (runs/demo after {@code ./trm4j demo}),
 * trained first as {@code ./trm4j demo} trains it when the run is missing or unfinished (a few minutes on 2 cores, progress on stderr).
 */
public final class SolveSudoku {
    public static void main(String[] args) {
        Path run = Path.of(args.length > 0 ? args[0] : "runs/demo");
        Training.prepare(TrainingSpec.of("demo", run).resuming(true)).run();   // a finished run only scores its test set again
        int[][] puzzle = {{1, 2, 0, 4}, {3, 4, 1, 0}, {4, 0, 2, 1}, {2, 1, 4, 0}};   // 0 = empty; one solution
        try (Model model = Model.load(run.resolve("model.safetensors"))) {
            Solution s = model.solve(puzzle);
            for (int i = 0; i < s.steps().size(); i++)   // a TRM model also says how sure its halting head is; DIS has none
                System.out.printf("step %d: %s%s%n", i + 1, Arrays.deepToString(s.steps().get(i)),
                        s.halting().length > 0 ? String.format("  halting %.2f", s.halting()[i]) : "");
            System.out.println("answer: " + Arrays.deepToString(s.answer()) + " in " + s.millis() + " ms"
                    + (solves(puzzle, s.answer()) ? " (right: it keeps the givens, and every row, column and box holds 1 to 4)" : " (not right)"));
        }
    }

    /** Whether an answer keeps the puzzle's givens and every row, column and 2x2 box holds 1..4 once each. */
    static boolean solves(int[][] puzzle, int[][] answer) {
        for (int i = 0; i < 4; i++) {
            int row = 0, col = 0, box = 0;
            for (int j = 0; j < 4; j++) {
                if (puzzle[i][j] != 0 && puzzle[i][j] != answer[i][j]) return false;
                row |= 1 << answer[i][j];
                col |= 1 << answer[j][i];
                box |= 1 << answer[i / 2 * 2 + j / 2][i % 2 * 2 + j % 2];
            }
            if (row != 0b11110 || col != 0b11110 || box != 0b11110) return false;
        }
        return true;
    }
}
