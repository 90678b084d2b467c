package examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import trm4j.api.ArcSolution;
import trm4j.api.ArcTask;
import trm4j.api.Model;
import trm4j.api.Training;
import trm4j.api.TrainingSpec;

/** Trains a tiny DIS model on Mini-ARC (or takes RUN/model.safetensors), then answers a task voted over 8 versions. */
public final class AnswerArcTask {
    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]), root = Path.of(args[1]);   // the run folder, the folder holding the ARC sets
        if (!Files.exists(run.resolve("model.safetensors")))
            Training.prepare(TrainingSpec.of("dis-miniarc-cpu", run).withOverrides(Map.of("root", root.toString(), "steps", "120",
                    "versions", "8", "eval_versions", "2", "eval_every", "0"))).run();
        ArcTask task = ArcTask.read(firstTask(root));
        try (Model model = Model.load(run.resolve("model.safetensors"))) {
            ArcSolution s = model.solve(task);
            s.tests().forEach(t -> System.out.printf("%s: attempt 1 %s, %d of %d votes, correct: %s%n", s.taskId(),
                    Arrays.deepToString(t.attempt1()), t.votes(), t.versions(), t.correct()));
        }
    }

    static Path firstTask(Path root) throws Exception {
        try (var files = Files.list(root.resolve("mini-arc/MiniARC"))) {
            return files.sorted().findFirst().orElseThrow();
        }
    }
}
