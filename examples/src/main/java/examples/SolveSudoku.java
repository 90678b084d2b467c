package examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import trm4j.api.Model;
import trm4j.api.Solution;
import trm4j.api.Training;
import trm4j.api.TrainingSpec;

/** Trains a tiny DIS model on 4x4 Sudoku (or takes RUN/model.safetensors as it is), then solves a puzzle step by step. */
public final class SolveSudoku {
    public static void main(String[] args) {
        Path run = Path.of(args.length > 0 ? args[0] : "runs/sudoku");
        if (!Files.exists(run.resolve("model.safetensors")))
            Training.prepare(TrainingSpec.of("demo", run).withOverrides(Map.of("steps", "600", "eval_every", "0"))).run();
        int[][] puzzle = {{1, 0, 0, 4}, {0, 4, 1, 0}, {4, 0, 0, 1}, {0, 1, 4, 0}};   // 0 = empty
        try (Model model = Model.load(run.resolve("model.safetensors"))) {
            Solution s = model.solve(puzzle);
            for (int i = 0; i < s.steps().size(); i++)   // a TRM model also says how sure its halting head is; DIS has none
                System.out.printf("step %d: %s%s%n", i + 1, Arrays.deepToString(s.steps().get(i)),
                        s.halting().length > 0 ? String.format("  halting %.2f", s.halting()[i]) : "");
            System.out.println("answer: " + Arrays.deepToString(s.answer()) + " in " + s.millis() + " ms");
        }
    }
}
