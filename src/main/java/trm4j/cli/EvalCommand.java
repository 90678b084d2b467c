package trm4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import trm4j.Outputs;
import trm4j.UserError;
import trm4j.config.Json;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.engine.PrecisionSetting;
import trm4j.eval.Submission;
import trm4j.report.AnswerPages;
import trm4j.run.EvalRun;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained model on its run's test set, or on other data.",
                "Takes DIR/model.safetensors of a run; --set data.FIELD=VALUE changes the data (the model's fields come from "
                + "the checkpoint). Runs N_sup supervision steps and prints the accuracy after each step; for ARC, votes "
                + "over augmented versions and reports pass@k."})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "model.safetensors from 'trm4j train'") Path checkpoint;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a data or model field, e.g. --set data.test=1000")
    Map<String, String> overrides = new LinkedHashMap<>();
    @Option(names = "--versions", paramLabel = "N", description = "ARC: augmented versions voted over per test input (1, 8, 100, 1000; default: the run's)")
    int versions;
    @Option(names = "--guidance", paramLabel = "W", defaultValue = "1", description = "guided decoding weight: (1-W)*before + W*after a step; 1 = plain (default)")
    double guidance;
    @Option(names = "--pass", paramLabel = "K", split = ",", defaultValue = "1,2", description = "ARC: the k of pass@k to report (default 1,2)")
    List<Integer> ks = new ArrayList<>();
    @Option(names = "--precision", paramLabel = "P", defaultValue = "auto", description = "auto (default: bf16 where the CPU computes it natively and faster, else fp32), bf16, fp32 or fp64")
    String precision;
    @Mixin DeviceOption device;
    @Option(names = "--batch", paramLabel = "B", description = "samples per forward pass (default: the run's micro_batch, or its batch within 64..256 when micro_batch is 0)")
    Integer batch;
    @Option(names = "--out", paramLabel = "FILE", description = "write the results as JSON (per ARC test input: attempts, votes, correct)") Path out;
    @Option(names = "--submission", paramLabel = "FILE", description = "ARC: write the ARC Prize submission file") Path submission;
    @Option(names = "--identifiers", paramLabel = "FILE", description = "ARC: a reference dataset's identifiers.json, so that a reference "
            + "checkpoint answers the very versions (dihedral, colours) and puzzle ids it was trained with") Path identifiers;
    @Option(names = "--images", paramLabel = "DIR", description = "ARC: one PNG per test input (demonstrations; test input, attempt 1, attempt 2, truth, each attempt framed green when right and red when wrong; the answer after each supervision step) and an index.html") Path images;

    @Option(names = "--nproc", paramLabel = "N", description = "run as N local ranks, data-parallel (each with 1/N of the cores); "
            + "the same as N processes started by torchrun (see README, 'Many processes')") Integer nproc;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (nproc != null) return Launcher.run(nproc, Launcher.without(spec.root().commandLine().getParseResult().originalArgs()));
        if (batch != null && batch < 1) throw new UserError("--batch must be at least 1");
        Natives.tuneProcess();
        if (out != null) Outputs.file(out, "--out");
        if (submission != null) Outputs.file(submission, "--submission");
        if (images != null) Outputs.folder(images, "--images");
        String arcOnly = submission != null ? "--submission" : images != null ? "--images" : identifiers != null ? "--identifiers" : null;
        EvalRun.Request request = EvalRun.Request.of(checkpoint).withPrecision(PrecisionSetting.parse(precision, "--precision")).on(device.get()).withOverrides(overrides).withVersions(versions)
                .withGuidance(guidance).withKs(ks).withBatch(batch == null ? 0 : batch)
                .withIdentifiers(identifiers).needingArc(arcOnly);
        AtomicBoolean stop = new AtomicBoolean();
        EvalRun.Outcome e;
        int status = 0;
        try (StopSignals signals = new StopSignals(() -> stop.set(true), "stopping after the current batch; what is scored is kept")) {
            e = EvalRun.run(request, stop::get);
            if (stop.get()) status = signals.status();
        }
        if (Group.environmentRank() != 0) return status;   // rank 0 reports and writes the files
        System.out.println(e.report());
        if (out != null) {
            Outputs.writeAtomically(out, Json.PRETTY.writeValueAsBytes(e.json()));
            System.out.println("results: " + out);
        }
        if (images != null) System.out.println("images: " + AnswerPages.write(e.result().arc(), images));
        if (submission != null) {
            Submission.write(submission, e.result().arc().tests());
            System.out.println("submission: " + submission);
        }
        if (status != 0)
            throw new StopSignals.Stopped("stopped: the results above cover what was scored before the signal"
                    + (out != null || submission != null ? ", and so do the files written" : ""), status);
        return 0;
    }
}
