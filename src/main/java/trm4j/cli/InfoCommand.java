package trm4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import trm4j.run.Describe;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print a model's configuration, network calls and parameter count (from a preset or a checkpoint; a run's also what it trained on).")
final class InfoCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--preset", paramLabel = "NAME", description = "a built-in preset (list: --list) or a preset file, *.json") String preset;
        @Option(names = "--checkpoint", paramLabel = "FILE", description = "a trm4j or reference TRM safetensors file, or a run's folder") Path checkpoint;
        @Parameters(paramLabel = "FILE", arity = "1", description = "the same as --checkpoint FILE (a preset's name or a *.json file: as --preset)") String file;
        @Option(names = "--list", description = "list the built-in presets: method, size, data and what each is for") boolean list;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Source source;

    @Mixin Options.Overrides set;

    @Override
    public Integer call() {
        if (source.list) {
            System.out.print(Describe.list());
            return 0;
        }
        Describe.Description d = source.preset != null ? Describe.preset(source.preset, set.overrides)
                : source.checkpoint != null ? Describe.checkpoint(source.checkpoint, set.overrides) : Describe.named(source.file, set.overrides);
        if (!d.guessed().isEmpty()) Main.noteGuessed(source.checkpoint != null ? source.checkpoint : Path.of(source.file), d.guessed());
        System.out.print(d.text());
        return 0;
    }
}
