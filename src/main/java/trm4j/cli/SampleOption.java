package trm4j.cli;

import picocli.CommandLine.Option;

import trm4j.api.SolveOptions;
import trm4j.eval.Selection;

/** Sampled recursion trajectories ({@link SolveOptions}), shared by the commands that answer: eval and solve. */
final class SampleOption {
    @Option(names = "--samples", paramLabel = "K", defaultValue = "1", description = "recursion trajectories per puzzle, run together (default 1: the deterministic answer)")
    int samples;
    @Option(names = "--noise", paramLabel = "SIGMA", defaultValue = "0", description = "standard deviation of the Gaussian noise on z at every supervision step (default 0)")
    double noise;
    @Option(names = "--noise-y", description = "the noise on the answer y too") boolean noiseY;
    @Option(names = "--select", paramLabel = "RULE", defaultValue = "vote", description = "how an answer is chosen among the samples: vote (default; ARC: always), halt or first-halt (TRM), confidence")
    String select;
    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "the noise's seed (default 0): the same seed, the same answers") long seed;

    /** The options; a wrong one is one line naming its flag. */
    SolveOptions get() {
        SolveOptions.Select rule = SolveOptions.Select.valueOf(Selection.parse(select, "--select").name());
        return SolveOptions.defaults().withSamples(samples).withNoise(noise).withNoiseY(noiseY).withSelect(rule).withSeed(seed);
    }
}
