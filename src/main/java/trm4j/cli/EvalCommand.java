package trm4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.api.EvalOptions;
import trm4j.api.EvalResult;
import trm4j.api.LoadOptions;
import trm4j.api.Model;
import trm4j.api.ModelInfo;
import trm4j.api.Precision;
import trm4j.api.SolveOptions;
import trm4j.api.TaskKind;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.engine.PrecisionSetting;
import trm4j.run.ModelFile;
import trm4j.run.Reporter;
import trm4j.run.StopSignals;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained model on its run's test set, or on other data.",
                "Takes DIR/model.safetensors of a run; --set data.FIELD=VALUE changes the data (the model's fields come from "
                + "the checkpoint). Runs N_sup supervision steps and prints the accuracy after each step; for ARC, votes "
                + "over augmented versions and reports pass@k."})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "model.safetensors from 'trm4j train', or the run's folder") Path checkpoint;
    @Mixin Options.Overrides set;
    @Option(names = "--versions", paramLabel = "N", description = "ARC: augmented versions voted over per test input (1, 8, 100, 1000; default: the run's)") Integer versions;
    @Option(names = "--guidance", paramLabel = "W", defaultValue = "1", description = "guided decoding weight: (1-W)*before + W*after a step; 1 = plain (default)") double guidance;
    @Option(names = "--pass", paramLabel = "K", split = ",", description = "ARC: the k of pass@k to report (default 1,2)") List<Integer> ks;
    @Option(names = "--precision", paramLabel = "P", defaultValue = "auto", description = "auto (default: bf16 where the CPU computes it natively and faster, else fp32), bf16, fp32 or fp64") String precision;
    @Mixin Options.DeviceChoice device;
    @Option(names = "--batch", paramLabel = "B", description = "samples per forward pass (default, or 0: the run's micro_batch, or its batch within 64..256 when micro_batch is 0)") Integer batch;
    @Option(names = "--out", paramLabel = "FILE", description = "write the results as JSON (per ARC test input: attempts, votes, correct)") Path out;
    @Option(names = "--submission", paramLabel = "FILE", description = "ARC: write the ARC Prize submission file") Path submission;
    @Option(names = "--identifiers", paramLabel = "FILE", description = "ARC: a reference dataset's identifiers.json, so that a reference "
            + "checkpoint answers the very versions (dihedral, colours) and puzzle ids it was trained with") Path identifiers;
    @Mixin Options.Samples sampling;
    @Option(names = "--split", paramLabel = "S", defaultValue = "test", description = "test (default), or validation: the run's validation puzzles, where choices are made") String split;
    @Option(names = "--images", paramLabel = "DIR", description = "ARC: one PNG per test input (demonstrations; test input, attempt 1, attempt 2, truth, each attempt framed green when right and red when wrong; the answer after each supervision step) and an index.html") Path images;
    @Mixin Options.Ranks ranks;

    @Override
    public Integer call() throws Exception {
        if (!split.equals("test") && !split.equals("validation")) throw new UserError("--split " + split + ": test or validation");
        if (versions != null && versions < 1) throw new UserError("--versions " + versions + ": must be at least 1 (without it: the run's)");
        if (ranks.asked()) return ranks.launch();
        SolveOptions solve = sampling.get();
        AtomicBoolean stop = new AtomicBoolean();
        EvalOptions options = EvalOptions.defaults().withVersions(versions == null ? 0 : versions).withGuidance(guidance).withKs(ks == null ? List.of(1, 2) : ks)
                .withBatch(batch == null ? 0 : batch).withIdentifiers(identifiers).withSolve(solve).withValidation(split.equals("validation")).withStop(stop::get);   // checked before the model loads
        Natives.tuneProcess();
        List<Path> kept = new ArrayList<>(Options.runFiles(checkpoint));   // what an output must not write over: the run's files, the other output
        if (out != null) Outputs.notOver(Outputs.file(out, "--out"), "--out", kept);
        if (out != null) kept.add(out);
        if (submission != null) Outputs.notOver(Outputs.file(submission, "--submission"), "--submission", kept);
        if (images != null) Outputs.folder(images, "--images");
        String arcOnly = submission != null ? "--submission" : images != null ? "--images" : identifiers != null ? "--identifiers"
                : versions != null ? "--versions" : ks != null ? "--pass" : null;
        Precision p = Precision.valueOf(PrecisionSetting.parse(precision, "--precision").name());
        LoadOptions load = LoadOptions.defaults().withPrecision(p).withDevice(device.get().toString()).withOverrides(set.overrides);
        Reporter bar = Reporter.stderr();
        boolean main = Group.environmentRank() == 0;   // rank 0 reports and writes the files
        int status = 0;
        try (StopSignals signals = new StopSignals(() -> stop.set(true), "stopping after the current batch; what is scored is kept",
                () -> "no results are written");
             Model model = Model.load(checkpoint, load)) {
            ModelInfo info = model.info();
            if (arcOnly != null && info.kind() != TaskKind.ARC)
                throw new UserError(arcOnly + ": " + checkpoint + " is a " + info.kind().name().toLowerCase() + " model; this option is for ARC models");
            if (main && info.reference()) {
                Main.noteGuessed(checkpoint, info.guessed());
                System.err.println("trm4j: " + checkpoint + " has no trm4j run preset: evaluated with preset " + ModelFile.REFERENCE_PRESET + "'s data and method around its model"
                        + " (--set data.FIELD=VALUE changes the data)");
            }
            // Said with the first batch answered: an option the evaluation refuses stays the one line printed.
            AtomicBoolean said = new AtomicBoolean(!main);
            String precisionLine = "trm4j: precision: " + info.precision().name().toLowerCase() + " (" + info.precisionReason() + ")";
            String unit = info.kind() == TaskKind.ARC ? "answers" : "puzzles";
            EvalResult e = model.evaluate(options.withProgress((done, total) -> {
                if (!said.getAndSet(true)) {
                    System.err.println(precisionLine);
                    sampling.warnIfAlike();
                }
                if (main) bar.progress("eval", done, total, unit, "");
            }));
            if (stop.get()) status = signals.status();
            if (!main) return status;
            System.out.println(e.report());
            if (out != null) System.out.println("results: " + e.writeJson(out));
            if (images != null) System.out.println("images: " + e.writeImages(images));
            if (submission != null) System.out.println("submission: " + e.writeSubmission(submission));
        }
        if (status != 0)
            throw new StopSignals.Stopped("stopped: the results above cover what was scored before the signal"
                    + (out != null || submission != null ? ", and so do the files written" : ""), status);
        return 0;
    }
}
