package examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import trm4j.api.AdaptOptions;
import trm4j.api.ArcSolution;
import trm4j.api.ArcTask;
import trm4j.api.Model;

/** Adapts a trained ARC model to a task it has never seen (within a time budget), then answers it. Run AnswerArcTask first. */
public final class AdaptToArcTask {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]).resolve("model.safetensors");
        ArcTask task = AnswerArcTask.firstTask(args.length > 1 ? args[1] : "sample");
        AdaptOptions options = AdaptOptions.defaults().withSteps(40).withBudget(Duration.ofMinutes(2));
        try (Model trained = Model.load(model);
             Model adapted = trained.adapt(task, options, (done, total) -> System.out.printf("\radapting: %d/%d", done, total))) {
            ArcSolution s = adapted.solve(task);
            System.out.printf("%nafter %d steps: attempt 1 %s, correct: %s%n", adapted.adaptationSteps(),
                    Arrays.deepToString(s.tests().get(0).attempt1()), s.tests().get(0).correct());
        }
    }
}
