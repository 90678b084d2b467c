package trm4j.cli;

import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import trm4j.UserError;
import trm4j.bench.AllReduceBench;
import trm4j.bench.BlockBench;
import trm4j.bench.DataBench;
import trm4j.bench.MatmulBench;
import trm4j.bench.StepBench;
import trm4j.bench.VersionsBench;
import trm4j.config.Presets;
import trm4j.data.ArcSets;
import trm4j.engine.Device;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.serve.ServeBench;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Speed benchmarks; they print numbers.")
final class BenchCommand {
    @Command(name = "allreduce", mixinStandardHelpOptions = true,
            description = {"Time an all-reduce of float32 buffers from 10^4 to 10^8 values over the ranks (Gloo): the gradient exchange of a data-parallel step.",
                    "Run it as ranks: 'trm4j bench allreduce --nproc 2' on one machine, or under torchrun/SLURM across machines."})
    int allreduce(@Mixin Options.Ranks ranks,
                  @Option(names = "--max", defaultValue = "100000000", paramLabel = "FLOATS", description = "largest buffer (default ${DEFAULT-VALUE})") long max,
                  @Option(names = "--iters", defaultValue = "5", description = "timed runs per size (default ${DEFAULT-VALUE})") int iters) throws Exception {
        atLeast(1, "--max", max);
        atLeast(1, "--iters", iters);
        if (ranks.asked()) return ranks.launch();
        Group group = Group.current(Device.CPU);
        if (group.size() == 1) throw new UserError("bench allreduce needs ranks: add --nproc 2 (or start it under torchrun)");
        String report = AllReduceBench.report(group, max, iters);
        if (group.isMain()) System.out.print(report);
        return 0;
    }

    @Command(name = "block", mixinStandardHelpOptions = true,
            description = "Time one network call (L layers): forward+backward and no-grad forward; median ms and GFLOP/s.")
    void block(@Option(names = "--batch", defaultValue = "32", description = "batch size (default ${DEFAULT-VALUE})") int batch,
               @Option(names = "--seq", defaultValue = "81", description = "positions per sample (default ${DEFAULT-VALUE})") int seq,
               @Option(names = "--hidden", defaultValue = "512", description = "hidden size D (default ${DEFAULT-VALUE})") int hidden,
               @Option(names = "--layers", defaultValue = "2", description = "layers (default ${DEFAULT-VALUE})") int layers,
               @Option(names = "--heads", defaultValue = "8", description = "attention heads (default ${DEFAULT-VALUE})") int heads,
               @Mixin Options.Dtype dtype,
               @Option(names = "--warmup", defaultValue = "3", description = "untimed runs (default ${DEFAULT-VALUE})") int warmup,
               @Option(names = "--iters", defaultValue = "10", description = "timed runs (default ${DEFAULT-VALUE})") int iters,
               @Mixin Options.DeviceChoice device) {
        atLeast(1, "--batch", batch);
        atLeast(1, "--seq", seq);
        atLeast(1, "--hidden", hidden);
        atLeast(1, "--layers", layers);
        atLeast(1, "--heads", heads);
        atLeast(1, "--iters", iters);
        atLeast(0, "--warmup", warmup);
        Natives.tuneProcess();
        System.out.print(BlockBench.report(device.get(), batch, seq, hidden, layers, heads, dtype.get(), warmup, iters));
    }

    @Command(name = "step", mixinStandardHelpOptions = true,
            description = {"Time one full supervision step of a preset's model on random tokens.",
                    "Training (T cycles, T-1 without gradient, stable-max loss, backward, AdamW) and evaluation (the same without gradient). Prints median ms, samples/s, GFLOP/s (matmul FLOPs) and the process's peak resident memory."})
    void step(@Option(names = "--preset", defaultValue = "dis-arc-compact", description = "model preset (default ${DEFAULT-VALUE})") String preset,
              @Option(names = "--batch", defaultValue = "32", description = "batch size (default ${DEFAULT-VALUE})") int batch,
              @Option(names = "--micro-batch", defaultValue = "0", description = "rows per forward/backward chunk of a training step (default ${DEFAULT-VALUE}: the whole batch)") int microBatch,
              @Mixin Options.Dtype dtype,
              @Option(names = "--warmup", defaultValue = "2", description = "untimed steps (default ${DEFAULT-VALUE})") int warmup,
              @Option(names = "--iters", defaultValue = "5", description = "timed steps (default ${DEFAULT-VALUE})") int iters,
              @Option(names = "--rounds", defaultValue = "1", description = "rounds of train-then-eval timings; above 1 the rounds, their spread (max/median) and the cause of a spread are printed (default ${DEFAULT-VALUE})") int rounds,
              @Mixin Options.Overrides set,
              @Mixin Options.DeviceChoice device) {
        atLeast(1, "--batch", batch);
        atLeast(1, "--iters", iters);
        atLeast(0, "--warmup", warmup);
        atLeast(0, "--micro-batch", microBatch);
        var config = Presets.model(preset, set.overrides);
        Natives.tuneProcess();
        System.out.print(StepBench.report(preset, config, device.get(), batch, microBatch, dtype.get(), warmup, iters, rounds));
    }

    @Command(name = "matmul", mixinStandardHelpOptions = true,
            description = {"The machine's matmul rate in fp32 and bf16 (autocast), the ceiling for the GFLOP/s of 'bench step'.",
                    "N doubles from 256 until one product takes --per-call ms, then products repeat for about --budget ms. Prints the CPU, the kernels libtorch picks and the rates; under 30 s on any CPU."})
    void matmul(@Option(names = "--per-call", defaultValue = "50", paramLabel = "MS", description = "time one product should take (default ${DEFAULT-VALUE} ms)") double perCallMs,
                @Option(names = "--budget", defaultValue = "2000", paramLabel = "MS", description = "time spent repeating products, per precision (default ${DEFAULT-VALUE} ms)") double budgetMs,
                @Mixin Options.DeviceChoice device) {
        Natives.tuneProcess();
        System.out.print(MatmulBench.report(device.get(), perCallMs, budgetMs));
    }

    @Command(name = "versions", mixinStandardHelpOptions = true,
            description = "Time building the augmented-version table of an ARC training mix, and its memory.")
    void versions(@Option(names = "--mix", defaultValue = "arc-agi-1", description = "arc-agi-1 or arc-agi-2 (default ${DEFAULT-VALUE})") String mix,
                  @Option(names = "--root", defaultValue = ArcSets.SAMPLE, description = "folder holding the sets, as the presets' data.root "
                          + "(default ${DEFAULT-VALUE}: the small sample in trm4j's jar; give the full sets' folder for real figures)") String root,
                  @Option(names = "--per-task", defaultValue = "1000", description = "versions per task (default ${DEFAULT-VALUE})") int perTask) {
        atLeast(1, "--per-task", perTask);
        System.out.print(VersionsBench.report(mix, ArcSets.root(root, "--root", mix), perTask));
    }

    @Command(name = "data", mixinStandardHelpOptions = true,
            description = {"Time a preset's training data on one thread.",
                    "It times the stream (sampling, augmentation, translation), which a background thread runs during training, and the DIS improvement paths, which the training thread draws per sample. Compare samples/s with a training step's (bench step)."})
    void data(@Option(names = "--preset", defaultValue = "dis-arc-compact", description = "preset (default ${DEFAULT-VALUE})") String preset,
              @Option(names = "--samples", defaultValue = "5000", description = "samples timed (default ${DEFAULT-VALUE})") int samples,
              @Mixin Options.Overrides set) {
        atLeast(1, "--samples", samples);
        System.out.print(DataBench.report(preset, set.overrides, samples));
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Requests per second and latency percentiles of solve requests, in-process through the API and over HTTP to trm4j serve, by 1 and by N clients.")
    void serve(@Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "the model to serve") Path checkpoint,
               @Option(names = "--task", paramLabel = "FILE", description = "ARC models: the task to ask (a task JSON file)") Path task,
               @Option(names = "--clients", split = ",", defaultValue = "1,8", description = "clients at once (default ${DEFAULT-VALUE})") int[] clients,
               @Option(names = "--requests", defaultValue = "400", description = "requests per measurement (default ${DEFAULT-VALUE})") int requests) throws Exception {
        Natives.tuneProcess();
        System.out.print(ServeBench.report(checkpoint, task, clients, requests));
    }

    /** A count a benchmark cannot run with is refused before anything is loaded. */
    private static void atLeast(long min, String flag, long value) {
        if (value < min) throw new UserError(flag + " " + value + ": must be at least " + min);
    }
}
