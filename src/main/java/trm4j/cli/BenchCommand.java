package trm4j.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import trm4j.bench.BlockBench;
import trm4j.engine.Precision;
import trm4j.engine.Torch;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Speed benchmarks; they print numbers.",
        subcommands = {BenchCommand.Block.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "block", mixinStandardHelpOptions = true,
            description = "Time one network call (L layers): forward+backward and no-grad forward; median ms and GFLOP/s.")
    static final class Block implements Callable<Integer> {
        @Option(names = "--batch", defaultValue = "32", description = "batch size (default ${DEFAULT-VALUE})") int batch;
        @Option(names = "--seq", defaultValue = "81", description = "positions per sample (default ${DEFAULT-VALUE})") int seq;
        @Option(names = "--hidden", defaultValue = "512", description = "hidden size D (default ${DEFAULT-VALUE})") int hidden;
        @Option(names = "--layers", defaultValue = "2", description = "layers (default ${DEFAULT-VALUE})") int layers;
        @Option(names = "--heads", defaultValue = "8", description = "attention heads (default ${DEFAULT-VALUE})") int heads;
        @Option(names = "--dtype", defaultValue = "bf16", description = "bf16 (autocast), fp32 or fp64 (default ${DEFAULT-VALUE})") String dtype;
        @Option(names = "--warmup", defaultValue = "3", description = "untimed runs (default ${DEFAULT-VALUE})") int warmup;
        @Option(names = "--iters", defaultValue = "10", description = "timed runs (default ${DEFAULT-VALUE})") int iters;

        @Override
        public Integer call() {
            Precision p = parsePrecision(dtype);
            Torch.init();
            BlockBench.Result r = BlockBench.run(batch, seq, hidden, layers, heads, p, warmup, iters);
            System.out.printf("block batch=%d seq=%d hidden=%d layers=%d dtype=%s threads=%d%n", batch, seq, hidden, layers, p, Torch.threads());
            System.out.printf("fwd+bwd  median %.2f ms  %.1f GFLOP/s%n", r.fwdBwdMs(), r.gflopsFwdBwd());
            System.out.printf("fwd      median %.2f ms  %.1f GFLOP/s (no grad)%n", r.fwdMs(), r.gflopsFwd());
            return 0;
        }
    }

    static Precision parsePrecision(String s) {
        try {
            return Precision.parse(s);
        } catch (IllegalArgumentException e) {
            throw new trm4j.UserError("--dtype: " + e.getMessage());
        }
    }
}
