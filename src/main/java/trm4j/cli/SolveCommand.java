package trm4j.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.api.AdaptOptions;
import trm4j.api.ArcSubmission;
import trm4j.api.ArcTask;
import trm4j.api.LoadOptions;
import trm4j.api.Model;
import trm4j.api.SolveOptions;
import trm4j.api.TaskKind;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.run.Reporter;
import trm4j.run.StopSignals;

@Command(name = "solve", mixinStandardHelpOptions = true,
        description = {"Answer ARC tasks the model has never seen and write the ARC Prize submission file.",
                "A trained model has no puzzle embedding for a new task, so solve gives each task fresh embeddings (one per "
                + "augmented version), fits them (and, with --adapt-weights, the weights) on the task's demonstration pairs "
                + "for a fixed budget of steps, then answers the test inputs with voting. --steps 0 answers with blank (zero) "
                + "embeddings: the baseline that adaptation must beat. The submission is written after every task; Ctrl-C "
                + "keeps it, and --resume answers the tasks it lacks. A task that cannot be read, holds more than one task "
                + "may (" + ArcTask.MAX_TESTS + " test inputs, " + ArcTask.MAX_CELLS + " cells) or does not fit the canvas is named and gets a placeholder answer, so "
                + "the submission stays valid."})
final class SolveCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TASKS", description = "a task JSON file, a folder of them, or an ARC Prize challenges file") Path tasks;
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "model.safetensors of an ARC run, or the run's folder") Path checkpoint;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the submission file to write") Path out;
    @Option(names = "--steps", defaultValue = "120", paramLabel = "N",
            description = "adaptation steps per task (default 120); a step is one training step on a batch of the task's demonstrations") int steps;
    @Option(names = "--seconds", defaultValue = "0", paramLabel = "S", description = "at most this many seconds of adaptation per task (0: no limit)") double seconds;
    @Option(names = "--resume", description = "keep the tasks already answered in --out (from a stopped solve) and answer the rest") boolean resume;
    @Option(names = "--versions", defaultValue = "8", paramLabel = "V", description = "augmented versions per task, trained and voted (default 8)") int versions;
    @Option(names = "--adapt-weights", description = "also fine-tune the network weights (with the run's learning rate / 10)") boolean adaptWeights;
    @Option(names = "--batch", defaultValue = "16", paramLabel = "B", description = "adaptation batch (default 16)") int batch;
    @Mixin Options.DeviceChoice device;
    @Mixin Options.Samples sampling;

    @Override
    public Integer call() throws Exception {
        if (Group.environmentSize() > 1) throw new UserError("solve runs in one process: start it without torchrun's WORLD_SIZE");
        if (seconds < 0 || !Double.isFinite(seconds)) throw new UserError("--seconds " + seconds + ": must be at least 0 (0: no limit)");
        Outputs.file(out, "--out");
        AdaptOptions options = new AdaptOptions(steps, versions, batch, adaptWeights, Duration.ofMillis(Math.round(seconds * 1000)));
        SolveOptions solve = sampling.get();
        Natives.tuneProcess();
        AtomicBoolean stop = new AtomicBoolean();
        Reporter bar = Reporter.stderr();
        try (StopSignals signals = new StopSignals(() -> stop.set(true), "stopping; the submission keeps every finished task");
             Model model = Model.load(checkpoint, LoadOptions.defaults().withDevice(device.get().toString()))) {
            if (model.kind() != TaskKind.ARC) throw new UserError(checkpoint + ": solve answers ARC tasks; this " + model.kind().name().toLowerCase()
                    + " model answers boards in the service (trm4j serve --checkpoint " + checkpoint + ": its page, or POST /v1/solve) and the library (Model.solve)");
            ArcSubmission.Result r = ArcSubmission.write(model, tasks, out, options, solve, resume, new ArcSubmission.Listener() {
                @Override public void progress(long done, long total, String status) {
                    bar.progress("solve", done, total, "adaptation steps", status);
                }

                @Override public void unread(String line) {
                    System.err.println("trm4j: " + line);
                }
            }, stop::get);
            if (r.stopped())
                throw new StopSignals.Stopped("stopped: " + (r.kept() + r.answered()) + " of " + r.total() + " tasks are answered in " + out
                        + " ('trm4j solve ... --resume' answers the rest)", signals.status());
            System.out.println(r.summary());
        }
        return 0;
    }
}
