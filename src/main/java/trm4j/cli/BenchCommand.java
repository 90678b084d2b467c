package trm4j.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import trm4j.bench.BlockBench;
import trm4j.engine.AttentionKernel;
import trm4j.engine.Precision;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.PrecisionSetting;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Speed benchmarks; they print numbers.",
        subcommands = {BenchCommand.AllReduce.class, BenchCommand.Block.class, BenchCommand.Step.class, BenchCommand.Matmul.class, BenchCommand.Versions.class, BenchCommand.Data.class, BenchCommand.Serve.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "allreduce", mixinStandardHelpOptions = true,
            description = {"Time an all-reduce of float32 buffers from 10^4 to 10^8 values over the ranks (Gloo): the gradient exchange of a data-parallel step.",
                    "Run it as ranks: 'trm4j bench allreduce --nproc 2' on one machine, or under torchrun/SLURM across machines."})
    static final class AllReduce implements Callable<Integer> {
        @Option(names = "--nproc", paramLabel = "N", description = "start N local ranks") Integer nproc;
        @Option(names = "--max", defaultValue = "100000000", paramLabel = "FLOATS", description = "largest buffer (default ${DEFAULT-VALUE})") long max;
        @Option(names = "--iters", defaultValue = "5", description = "timed runs per size (default ${DEFAULT-VALUE})") int iters;
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (nproc != null) return Launcher.run(nproc, Launcher.without(spec.root().commandLine().getParseResult().originalArgs()));
            trm4j.engine.Group group = trm4j.engine.Group.current(trm4j.engine.Device.CPU);
            if (group.size() == 1) throw new trm4j.UserError("bench allreduce needs ranks: add --nproc 2 (or start it under torchrun)");
            java.util.List<Long> sizes = new java.util.ArrayList<>();
            for (long n = 10_000; n <= max; n *= 10) sizes.add(n);
            var rows = trm4j.bench.AllReduceBench.run(group, sizes.stream().mapToLong(Long::longValue).toArray(), iters);
            if (!group.isMain()) return 0;
            header();
            System.out.printf("allreduce over %d ranks (Gloo, %s), float32, sum:%n", group.size(), System.getenv().getOrDefault("MASTER_ADDR", "127.0.0.1"));
            for (var r : rows)
                System.out.printf("%,13d floats (%9.2f MB): median %9.2f ms, %6.2f GB/s moved per rank%n", r.floats(), r.floats() * 4 / 1e6,
                        r.medianMs(), r.gigabytesPerSecond());
            return 0;
        }
    }

    @Command(name = "block", mixinStandardHelpOptions = true,
            description = "Time one network call (L layers): forward+backward and no-grad forward; median ms and GFLOP/s.")
    static final class Block implements Callable<Integer> {
        @Option(names = "--batch", defaultValue = "32", description = "batch size (default ${DEFAULT-VALUE})") int batch;
        @Option(names = "--seq", defaultValue = "81", description = "positions per sample (default ${DEFAULT-VALUE})") int seq;
        @Option(names = "--hidden", defaultValue = "512", description = "hidden size D (default ${DEFAULT-VALUE})") int hidden;
        @Option(names = "--layers", defaultValue = "2", description = "layers (default ${DEFAULT-VALUE})") int layers;
        @Option(names = "--heads", defaultValue = "8", description = "attention heads (default ${DEFAULT-VALUE})") int heads;
        @Option(names = "--dtype", defaultValue = "auto", description = "auto (the runs' choice on this CPU), bf16 (autocast), fp32 or fp64 (default ${DEFAULT-VALUE})") String dtype;
        @Option(names = "--warmup", defaultValue = "3", description = "untimed runs (default ${DEFAULT-VALUE})") int warmup;
        @Option(names = "--iters", defaultValue = "10", description = "timed runs (default ${DEFAULT-VALUE})") int iters;

        @Override
        public Integer call() {
            Natives.tuneProcess();
            Precision p = precision(dtype);
            header();
            BlockBench.Result r = BlockBench.run(batch, seq, hidden, layers, heads, p, warmup, iters);
            System.out.printf("block batch=%d seq=%d hidden=%d layers=%d dtype=%s threads=%d attention=%s (grad) %s (no grad)%n", batch, seq,
                    hidden, layers, p, trm4j.engine.Threads.current(), kernel(p, seq, true), kernel(p, seq, false));
            System.out.printf("fwd+bwd  median %.2f ms  %.1f GFLOP/s%n", r.fwdBwdMs(), r.gflopsFwdBwd());
            System.out.printf("fwd      median %.2f ms  %.1f GFLOP/s (no grad)%n", r.fwdMs(), r.gflopsFwd());
            return 0;
        }

        private static String kernel(Precision p, long seq, boolean grad) {
            return AttentionKernel.current().fused(p, seq, grad) ? "fused" : "composed";
        }
    }

    @Command(name = "step", mixinStandardHelpOptions = true,
            description = {"Time one full supervision step of a preset's model on random tokens.",
                    "Training (T cycles, T-1 without gradient, stable-max loss, backward, AdamW) and evaluation (the same without gradient). Prints median ms, samples/s, GFLOP/s (matmul FLOPs) and the process's peak resident memory."})
    static final class Step implements Callable<Integer> {
        @Option(names = "--preset", defaultValue = "dis-arc-compact", description = "model preset (default ${DEFAULT-VALUE})") String preset;
        @Option(names = "--batch", defaultValue = "32", description = "batch size (default ${DEFAULT-VALUE})") int batch;
        @Option(names = "--micro-batch", defaultValue = "0", description = "rows per forward/backward chunk of a training step (default ${DEFAULT-VALUE}: the whole batch)") int microBatch;
        @Option(names = "--dtype", defaultValue = "auto", description = "auto (the runs' choice on this CPU), bf16 (autocast), fp32 or fp64 (default ${DEFAULT-VALUE})") String dtype;
        @Option(names = "--warmup", defaultValue = "2", description = "untimed steps (default ${DEFAULT-VALUE})") int warmup;
        @Option(names = "--iters", defaultValue = "5", description = "timed steps (default ${DEFAULT-VALUE})") int iters;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a model field") java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() {
            Natives.tuneProcess();
            Precision p = precision(dtype);
            trm4j.config.ModelConfig c = trm4j.config.Presets.model(preset, overrides);
            Natives.tuneProcess();
            header();
            trm4j.bench.StepBench.Result r = trm4j.bench.StepBench.run(c, batch, microBatch, p, warmup, iters);
            System.out.printf("step preset=%s batch=%d micro-batch=%d seq=%d dtype=%s threads=%d calls=%d (T=%d n=%d) malloc=%s%n", preset, batch, microBatch,
                    c.totalSeqLen(), p, trm4j.engine.Threads.current(), c.callsPerStep(), c.T(), c.n(), trm4j.bench.StepBench.allocator());
            System.out.printf("train  median %.1f ms  %.1f samples/s  %.1f GFLOP/s%n", r.trainMs(), batch * 1000 / r.trainMs(), r.trainFlops() / r.trainMs() / 1e6);
            System.out.printf("eval   median %.1f ms  %.2f steps/s  %.1f samples-steps/s  %.1f GFLOP/s%n", r.evalMs(), 1000 / r.evalMs(),
                    batch * 1000 / r.evalMs(), r.evalFlops() / r.evalMs() / 1e6);
            System.out.printf("peak   %.0f MB resident%n", r.peakRssBytes() / 1e6);
            return 0;
        }
    }

    @Command(name = "matmul", mixinStandardHelpOptions = true,
            description = {"The machine's matmul rate in fp32 and bf16 (autocast), the ceiling for the GFLOP/s of 'bench step'.",
                    "N doubles from 256 until one product takes --per-call ms, then products repeat for about --budget ms. Prints the CPU, the kernels libtorch picks and the rates; under 30 s on any CPU."})
    static final class Matmul implements Callable<Integer> {
        @Option(names = "--per-call", defaultValue = "50", paramLabel = "MS", description = "time one product should take (default ${DEFAULT-VALUE} ms)") double perCallMs;
        @Option(names = "--budget", defaultValue = "2000", paramLabel = "MS", description = "time spent repeating products, per precision (default ${DEFAULT-VALUE} ms)") double budgetMs;

        @Override
        public Integer call() {
            if (perCallMs <= 0 || budgetMs <= 0) throw new trm4j.UserError("--per-call and --budget must be positive");
            Natives.tuneProcess();
            header();
            for (Precision p : new Precision[] {Precision.FP32, Precision.BF16}) {
                trm4j.bench.MatmulBench.Result r = trm4j.bench.MatmulBench.run(p, perCallMs, budgetMs);
                System.out.printf("matmul %-4s %4d x %4d x %4d: median %8.2f ms over %3d runs, %7.1f GFLOP/s%n", p, r.n(), r.n(), r.n(),
                        r.medianMs(), r.runs(), r.gflops());
            }
            return 0;
        }
    }

    @Command(name = "versions", mixinStandardHelpOptions = true,
            description = "Time building the augmented-version table of an ARC training mix, and its memory.")
    static final class Versions implements Callable<Integer> {
        @Option(names = "--mix", defaultValue = "arc-agi-1", description = "arc-agi-1 or arc-agi-2 (default ${DEFAULT-VALUE})") String mix;
        @Option(names = "--root", defaultValue = "../shared/data", description = "folder holding the sets (default ${DEFAULT-VALUE})") java.nio.file.Path root;
        @Option(names = "--per-task", defaultValue = "1000", description = "versions per task (default ${DEFAULT-VALUE})") int perTask;

        @Override
        public Integer call() {
            java.util.List<trm4j.data.ArcTask> tasks = trm4j.data.ArcSets.mix(mix, root).stream().map(trm4j.data.ArcSets.MixTask::task).toList();
            trm4j.bench.VersionsBench.Result r = trm4j.bench.VersionsBench.run(tasks, perTask);
            System.out.printf("mix %s: %d tasks, %d versions (%d per task asked), built in %.1f s, table %.1f MB on the heap%n",
                    mix, tasks.size(), r.versions(), perTask, r.seconds(), r.heapMegabytes());
            return 0;
        }
    }

    @Command(name = "data", mixinStandardHelpOptions = true,
            description = {"Time a preset's training data on one thread.",
                    "It times the stream (sampling, augmentation, translation), which a background thread runs during training, and the DIS improvement paths, which the training thread draws per sample. Compare samples/s with a training step's (bench step)."})
    static final class Data implements Callable<Integer> {
        @Option(names = "--preset", defaultValue = "dis-arc-compact", description = "preset (default ${DEFAULT-VALUE})") String preset;
        @Option(names = "--samples", defaultValue = "5000", description = "samples timed (default ${DEFAULT-VALUE})") int samples;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a preset field, e.g. root=../shared/data") java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() {
            var doc = trm4j.config.Presets.load(preset, overrides);
            trm4j.config.DataConfig dc = trm4j.config.Presets.dataOf(doc, "preset " + preset);
            int nSup = trm4j.config.Presets.modelOf(doc, "preset " + preset).nSup();
            trm4j.bench.DataBench.Result r = trm4j.bench.DataBench.run(trm4j.data.Datasets.load(dc).train(), samples, nSup);
            System.out.printf("data preset=%s kind=%s: %d samples of %d cells%n", preset, dc.kind(), samples, r.cells());
            System.out.printf("stream  %.0f samples/s (one thread, background during training)%n", r.streamPerSecond());
            System.out.printf("paths   %.0f samples/s (DIS, %d frames each, on the training thread)%n", r.pathsPerSecond(), nSup + 1);
            return 0;
        }
    }

    /** The lines every benchmark starts with: the CPU, the kernels libtorch picks, the threads and the malloc. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Requests per second and latency percentiles of solve requests, in-process through the API and over HTTP to trm4j serve, by 1 and by N clients.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "the model to serve") java.nio.file.Path checkpoint;
        @Option(names = "--task", paramLabel = "FILE", description = "ARC models: the task to ask (a task JSON file)") java.nio.file.Path task;
        @Option(names = "--clients", split = ",", defaultValue = "1,8", description = "clients at once (default ${DEFAULT-VALUE})") int[] clients;
        @Option(names = "--requests", defaultValue = "400", description = "requests per measurement (default ${DEFAULT-VALUE})") int requests;

        @Override
        public Integer call() throws Exception {
            if (requests < 10) throw new trm4j.UserError("--requests " + requests + ": at least 10");
            for (int c : clients) if (c < 1 || c > 256) throw new trm4j.UserError("--clients " + c + ": must be in 1..256");
            Natives.tuneProcess();
            try (trm4j.api.Model model = SolveCommand.api(() -> trm4j.api.Model.load(checkpoint))) {
                boolean arc = model.kind() == trm4j.api.TaskKind.ARC;
                if (arc && task == null) throw new trm4j.UserError("--task: an ARC model needs a task to answer");
                trm4j.api.ArcTask t = arc ? SolveCommand.api(() -> trm4j.api.ArcTask.read(task)) : null;
                header();
                System.out.printf("serve: %s (%s %s model)%s, %d requests per row%n", checkpoint, model.method(), model.kind().name().toLowerCase(),
                        arc ? ", task " + t.id() + " over 8 versions" : ", one generated puzzle", requests);
                var rows = trm4j.serve.ServeBench.run(model, t, clients, requests);
                for (var r : rows)
                    System.out.printf("%-4s %3d clients: %8.1f requests/s  p50 %8.2f ms  p99 %8.2f ms%n", r.path(), r.clients(), r.perSecond(), r.p50(), r.p99());
                for (int i = 0; i + 1 < rows.size(); i += 2)
                    System.out.printf("%d clients: HTTP adds %+.1f%% at p50, %+.1f%% to the time per request%n", rows.get(i).clients(),
                            100 * (rows.get(i + 1).p50() / rows.get(i).p50() - 1), 100 * (rows.get(i).perSecond() / rows.get(i + 1).perSecond() - 1));
            }
            return 0;
        }
    }

    static void header() {
        System.out.println("cpu: " + trm4j.engine.Cpu.current().describe());
        System.out.printf("engine: aten %s, onednn %s, %d threads (%s), malloc %s; auto precision: %s%n",
                org.bytedeco.pytorch.global.torch.get_cpu_capability().getString(), trm4j.engine.Cpu.current().oneDnnIsa(),
                trm4j.engine.Threads.current(), trm4j.engine.Threads.adaptive() ? "following the load" : "TRM4J_THREADS",
                trm4j.bench.StepBench.allocator(), PrecisionChoice.of(PrecisionSetting.AUTO, Device.CPU).line().substring("precision: ".length()));
    }

    /** A --dtype's precision on this CPU (auto resolved as a run would). */
    static Precision precision(String dtype) {
        return PrecisionChoice.of(PrecisionSetting.parse(dtype, "--dtype"), Device.CPU).precision();
    }
}
