package trm4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import trm4j.engine.Natives;
import trm4j.run.Solve;

@Command(name = "solve", mixinStandardHelpOptions = true,
        description = {"Answer ARC tasks the model has never seen and write the ARC Prize submission file.",
                "A trained model has no puzzle embedding for a new task, so solve gives each task fresh embeddings (one per "
                + "augmented version), fits them (and, with --adapt-weights, the weights) on the task's demonstration pairs "
                + "for a fixed budget of steps, then answers the test inputs with voting. --steps 0 answers with blank (zero) "
                + "embeddings: the baseline that adaptation must beat. The submission is written after every task; Ctrl-C "
                + "keeps it, and --resume answers the tasks it lacks."})
final class SolveCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TASKS", description = "a task JSON file, a folder of them, or an ARC Prize challenges file") Path tasks;
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "model.safetensors of an ARC run") Path checkpoint;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the submission file to write") Path out;
    @Option(names = "--steps", defaultValue = "120", paramLabel = "N",
            description = "adaptation steps per task (default 120); a step is one training step on a batch of the task's demonstrations, about as long as a training step of the run at --batch rows") int steps;
    @Option(names = "--resume", description = "keep the tasks already answered in --out (from a stopped solve) and answer the rest") boolean resume;
    @Option(names = "--versions", defaultValue = "8", paramLabel = "V", description = "augmented versions per task, trained and voted (default 8)") int versions;
    @Option(names = "--adapt-weights", description = "also fine-tune the network weights (with the run's learning rate / 10)") boolean adaptWeights;
    @Option(names = "--batch", defaultValue = "16", paramLabel = "B", description = "adaptation batch (default 16)") int batch;
    @Mixin DeviceOption device;

    @Override
    public Integer call() throws Exception {
        Natives.tuneProcess();
        Solve solve = new Solve(new Solve.Request(tasks, checkpoint, out, steps, resume, versions, adaptWeights, batch, device.get()));
        try (StopSignals signals = new StopSignals(solve::requestStop, "stopping; the submission keeps every finished task")) {
            Solve.Outcome o = solve.run();
            if (o.stopped()) throw new StopSignals.Stopped(o.summary(), signals.status());
            System.out.println(o.summary());
        }
        return 0;
    }
}
