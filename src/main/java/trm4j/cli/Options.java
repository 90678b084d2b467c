package trm4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import trm4j.api.SolveOptions;
import trm4j.engine.Device;
import trm4j.engine.Group;
import trm4j.engine.PrecisionSetting;
import trm4j.run.Launcher;
import trm4j.train.RunFolder;

/** The options several commands share, each declared once and mixed in ({@code @Mixin}). */
final class Options {
    private Options() {}

    /** The files a command that reads {@code checkpoint} (a model file or its run's folder) must not write over: the model and its run's. */
    static List<Path> runFiles(Path checkpoint) {
        Path folder = Files.isDirectory(checkpoint) ? checkpoint : checkpoint.toAbsolutePath().getParent();
        List<Path> kept = new ArrayList<>(List.of(checkpoint));
        if (folder != null) for (String f : RunFolder.FILES) kept.add(folder.resolve(f));
        return kept;
    }

    /** {@code --set KEY=VALUE}: preset, data or model fields, in the order given (a method switch comes before its fields). */
    static final class Overrides {
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a field (each command's description says which it reads): of the preset, e.g. "
                + "steps=600; of its data, e.g. data.seed=3 or data.test=1000; of its model, e.g. heads=8")
        Map<String, String> overrides = new LinkedHashMap<>();
    }

    /** {@code --device}: the commands that load a model outside a run's preset (eval, solve, serve) and the benchmarks. */
    static final class DeviceChoice {
        @Option(names = "--device", paramLabel = "D", defaultValue = "cpu", description = "cpu (default), or cuda / cuda:N with the GPU build (docs/ENGINE.md)") String device;

        /** The device; one this build or machine lacks is one line. */
        Device get() { return Device.parse(device, "--device").available("--device"); }
    }

    /** {@code --nproc N}: the command again as N local ranks, as torchrun would start them. */
    static final class Ranks {
        @Option(names = "--nproc", paramLabel = "N", description = "run as N local ranks, data-parallel (each with 1/N of the cores); "
                + "the same as N processes started by torchrun (see docs/SCALING.md)") Integer nproc;
        @Spec(Spec.Target.MIXEE) CommandSpec spec;

        boolean asked() { return nproc != null; }

        /** Starts the ranks with this command line less --nproc, waits for them and returns their exit status. */
        int launch() throws Exception {
            return Launcher.run(nproc, Main.class, Launcher.without(spec.root().commandLine().getParseResult().originalArgs()));
        }
    }

    /** {@code --dtype} of the benchmarks. */
    static final class Dtype {
        @Option(names = "--dtype", defaultValue = "auto", description = "auto (the runs' choice on this CPU), bf16 (autocast), fp32 or fp64 (default ${DEFAULT-VALUE})") String dtype;

        PrecisionSetting get() { return PrecisionSetting.parse(dtype, "--dtype"); }
    }

    /** Sampled recursion trajectories ({@link SolveOptions}): the commands that answer, eval and solve. */
    static final class Samples {
        @Option(names = "--samples", paramLabel = "K", defaultValue = "1", description = "recursion trajectories per puzzle, run together (default 1: the deterministic answer)") int samples;
        @Option(names = "--noise", paramLabel = "SIGMA", defaultValue = "0", description = "standard deviation of the Gaussian noise on z at every supervision step (default 0)") double noise;
        @Option(names = "--noise-y", description = "the noise on the answer y too") boolean noiseY;
        @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "the seed of the noise (default 0): the same seed, the same answers") long seed;
        @Option(names = "--augment", description = "every sample but the first answers the puzzle under its own symmetry (Sudoku: digits, bands, "
                + "stacks; maze and N-Queens: dihedral; drawn from --seed), its answer mapped back; not for ARC, whose versions are its augmentations") boolean augment;
        @Option(names = "--select", paramLabel = "RULE", defaultValue = "vote", description = "how an answer is chosen among the samples: vote (default; ARC: always), "
                + "halt or first-halt (TRM), confidence") String select;

        SolveOptions get() {
            return SolveOptions.defaults().withSamples(samples).withNoise(noise).withNoiseY(noiseY).withSeed(seed).withAugment(augment)
                    .withSelect(SolveOptions.Select.parse(select, "select"));
        }

        /** Warns of samples that cannot differ; said once the options passed the model's checks, so that a refusal stays the one line printed. */
        void warnIfAlike() {
            if (samples > 1 && noise == 0 && !augment && Group.environmentRank() == 0)
                System.err.println("trm4j: --samples " + samples + " without --noise or --augment: every sample follows the same trajectory (give --noise SIGMA)");
        }
    }
}
