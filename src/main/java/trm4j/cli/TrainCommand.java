package trm4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import trm4j.data.Datasets;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.run.Reporter;
import trm4j.run.StopSignals;
import trm4j.run.TrainRun;
import trm4j.run.Words;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a TRM (deep supervision with halting) or DIS model from a preset.",
                "Writes DIR/metrics.jsonl, DIR/checkpoint.safetensors (the whole training state), DIR/model.safetensors "
                + "(the weights evaluation uses) and DIR/preset.json. A killed run continues with --resume; --force starts "
                + "a run over in a folder that holds one."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--preset", paramLabel = "NAME", description = "a built-in preset (trm4j info --list) or a preset file, *.json, that extends one") String preset;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the run folder") Path out;
    @Mixin Options.Overrides set;
    @Option(names = "--resume", description = "continue from DIR/checkpoint.safetensors (its preset is used; --set still applies)") boolean resume;
    @Option(names = "--force", description = "start a new run in DIR even though it holds one (its run files are replaced)") boolean force;
    @Option(names = "--init", paramLabel = "FILE", description = "start from the weights of a checkpoint (trm4j's, a run's folder, or a reference "
            + "PyTorch one: torch.save or safetensors) whose shapes fit the preset's model; its puzzle table is kept when its rows fit "
            + "the data, else the run starts with blank puzzle embeddings") Path init;
    @Option(names = "--train-file", paramLabel = "FILE", description = "a puzzle set from 'trm4j data generate' instead of generating one") Path trainFile;
    @Option(names = "--test-file", paramLabel = "FILE", description = "its test set (with --train-file)") Path testFile;
    @Option(names = "--validation-file", paramLabel = "FILE", description = "its validation puzzles, which the evaluations during training score (with --train-file)") Path validationFile;
    @Mixin Options.Ranks ranks;

    @Override
    public Integer call() throws Exception {
        Datasets.PuzzleFiles files = trainFile == null && testFile == null && validationFile == null ? null : new Datasets.PuzzleFiles(trainFile, testFile, validationFile);
        TrainRun.Request request = new TrainRun.Request(preset, out, set.overrides, resume, force, files, init, Words.CLI);
        if (ranks.asked()) {
            TrainRun.checkRanks(request, ranks.nproc);   // before any rank starts: each would say it
            return ranks.launch();
        }
        Natives.tuneProcess();
        TrainRun run = TrainRun.prepare(request, Reporter.stderr());
        try (StopSignals signals = new StopSignals(run::requestStop, "stopping with a checkpoint at the next batch boundary",
                run::keptIfEndedNow)) {
            TrainRun.Outcome o = run.run();
            if (o.result().stopped()) throw new StopSignals.Stopped(o.summary(), signals.status());
            if (Group.environmentRank() == 0) System.out.println(o.summary());
        }
        return 0;
    }
}
