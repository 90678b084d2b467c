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

/**
 * Trains a tiny DIS model on Mini-ARC (or takes RUN/model.safetensors), then answers a task voted over 8 versions.
 * ROOT is the folder holding the ARC sets, or "sample" (the default): the few public tasks in trm4j's jar.
 */
public final class AnswerArcTask {
    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]);
        String root = args.length > 1 ? args[1] : "sample";
        if (!Files.exists(run.resolve("model.safetensors")))
            Training.prepare(TrainingSpec.of("dis-miniarc-cpu", run).withOverrides(Map.of("root", root, "steps", "120",
                    "versions", "8", "eval_versions", "2", "eval_every", "0"))).run();
        ArcTask task = firstTask(root);
        try (Model model = Model.load(run.resolve("model.safetensors"))) {
            ArcSolution s = model.solve(task);
            s.tests().forEach(t -> System.out.printf("%s: attempt 1 %s, %d of %d votes, correct: %s%n", s.taskId(),
                    Arrays.deepToString(t.attempt1()), t.votes(), t.versions(), t.correct()));
        }
    }

    /** The first Mini-ARC task: of the sample in trm4j's jar, or of the folder ROOT/mini-arc/MiniARC. */
    static ArcTask firstTask(String root) {
        return root.equals("sample") ? ArcTask.sample("mini-arc").get(0) : ArcTask.readAll(Path.of(root, "mini-arc/MiniARC")).tasks().get(0);
    }
}
