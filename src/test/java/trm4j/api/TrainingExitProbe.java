package trm4j.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A program that trains through the library and whose JVM is then ended, as {@link TrainingExitTest} asks: by
 * SIGTERM from outside ({@code term}), by {@code System.exit} from another thread ({@code exit}) or from the
 * listener on the training thread ({@code exit-in-listener}), or by SIGTERM with its own shutdown hook that stops
 * the run ({@code hook}). It prints each logged step.
 */
public final class TrainingExitProbe {
    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]);
        String mode = args[1];
        CountDownLatch logged = new CountDownLatch(2);
        Training training = Training.prepare(TrainingSpec.of("demo", run).withOverrides(Map.of("steps", "99996", "data.train", "100", "data.test", "20",
                "batch", "8", "eval_every", "0", "checkpoint_every", args[2])), new TrainingListener() {
            @Override public void progress(TrainingProgress p) {
                System.out.println("step " + p.step());
                if (mode.equals("exit-in-listener") && p.step() >= 24) System.exit(4);
                logged.countDown();
            }

            @Override public void note(String line) {
                System.out.println("note: " + line);
            }
        });
        if (mode.equals("hook")) Runtime.getRuntime().addShutdownHook(new Thread(training::stop));
        if (mode.equals("exit")) {
            Thread exit = new Thread(() -> {
                try {
                    logged.await();
                } catch (InterruptedException e) {
                    return;
                }
                System.exit(3);
            });
            exit.start();
        }
        training.run();
    }
}
