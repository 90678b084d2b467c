package trm4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import trm4j.Shell;
import trm4j.UserError;
import trm4j.api.Training;
import trm4j.api.TrainingListener;
import trm4j.api.TrainingResult;
import trm4j.api.TrainingSpec;
import trm4j.config.Json;
import trm4j.engine.Natives;
import trm4j.run.StopSignals;
import trm4j.run.TrainRun;
import trm4j.run.Words;
import trm4j.train.RunFolder;
import trm4j.train.TrainState;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train and evaluate a small DIS model on generated 4x4 Sudoku (preset 'demo').",
                "It generates the puzzles, trains with a progress bar, evaluates against the same model untrained, and writes "
                + "a checkpoint and a report. Needs no download; a few minutes on 2 cores. Running it again continues the same "
                + "run folder."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/demo", paramLabel = "DIR", description = "the run folder (default runs/demo)") Path out;
    @Mixin Options.Overrides set;

    @Override
    public Integer call() throws Exception {
        Path checkpoint = out.resolve(TrainState.FILE), presetFile = out.resolve(RunFolder.PRESET_FILE);
        String other = otherPreset(presetFile);
        if (other != null)   // said here in the command's words: the library's would name TrainingSpec methods
            throw new UserError("--out " + out + ": holds a run of preset " + other + ", not the demo: give the demo another --out ("
                    + Shell.word(System.getProperty("trm4j.launcher", "trm4j")) + " train --resume --out " + Shell.word(out.toString()) + " continues that run)");
        Natives.tuneProcess();
        // Again: the run goes on from its checkpoint; a run that wrote none has nothing to go on from, and starts over.
        TrainingSpec spec = TrainingSpec.of("demo", out).withOverrides(set.overrides).resuming(Files.exists(checkpoint))
                .forcing(!Files.exists(checkpoint) && Files.exists(presetFile)).comparingUntrained(true).withReport(true);
        Training training = Training.prepare(spec, TrainingListener.stderr(), Words.DEMO);
        try (StopSignals signals = new StopSignals(training::stop, "stopping with a checkpoint at the next batch boundary",
                () -> "running the same command again " + (Files.exists(checkpoint) ? "continues from its last checkpoint" : "starts it over"))) {
            TrainingResult r = training.run();
            if (r.stopped())   // the library's summary names the TrainingSpec that continues it; here it is the command
                throw new StopSignals.Stopped("stopped at step " + r.step() + " with a checkpoint in " + out + " (running the same command again continues it)",
                        signals.status());
            System.out.println(r.summary());
            String trm4j = Shell.word(System.getProperty("trm4j.launcher", "trm4j")), model = Shell.word(r.model().toString());
            System.out.println("see its answers step by step: " + trm4j + " solve --checkpoint " + model + " --trace, or on a page: " + trm4j + " serve --checkpoint "
                    + model + "   (then open http://127.0.0.1:8080/)");
        }
        return 0;
    }

    /** The preset of the run a folder's preset.json records, where it is another than the demo's; null otherwise (the run checks the file). */
    private static String otherPreset(Path file) {
        try {
            JsonNode doc = Files.isRegularFile(file) ? Json.MAPPER.readTree(file.toFile()) : null;
            String preset = doc == null ? null : doc.path(TrainRun.PRESET).asText(null);
            return preset == null || preset.equals("demo") ? null : preset;
        } catch (IOException e) {
            return null;
        }
    }
}
