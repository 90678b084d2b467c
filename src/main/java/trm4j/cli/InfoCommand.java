package trm4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import trm4j.config.ModelConfig;
import trm4j.config.Presets;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.model.Checkpoint;
import trm4j.model.Network;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print a model's configuration, network calls and parameter count (from a preset or a checkpoint).")
final class InfoCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--preset", paramLabel = "NAME", description = "a built-in preset (list: --list)") String preset;
        @Option(names = "--checkpoint", paramLabel = "FILE", description = "a trm4j or reference TRM safetensors file") Path checkpoint;
        @Option(names = "--list", description = "list the built-in presets") boolean list;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Source source;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a configuration field, e.g. --set T=2")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (source.list) {
            Presets.names().forEach(System.out::println);
            return 0;
        }
        ModelConfig config;
        long params;
        String from;
        JsonNode other = null;   // a preset's data and train sections, validated like a run's
        if (source.preset != null) {
            com.fasterxml.jackson.databind.node.ObjectNode doc = Presets.load(source.preset, overrides);
            String where = "preset " + source.preset;
            config = Presets.modelOf(doc, where);
            Presets.section(doc, "data", trm4j.config.DataConfig.class, where);
            Presets.section(doc, "train", trm4j.config.TrainConfig.class, where);
            other = doc;
            params = Network.parameterCount(config);
            from = "preset: " + source.preset;
        } else {
            Natives.tuneProcess();
            Checkpoint.Loaded loaded = Checkpoint.load(source.checkpoint, Precision.FP32, Device.CPU, overrides);
            config = loaded.network().config();
            params = loaded.network().parameterCount();
            from = "checkpoint: " + source.checkpoint + (loaded.inferred() ? " (reference layout, configuration inferred from shapes)" : "");
            Notes.guessed(source.checkpoint, loaded.guessed());
        }
        System.out.println(from);
        System.out.println("model:");
        JsonNode json = new ObjectMapper().valueToTree(config);
        json.fields().forEachRemaining(f -> System.out.println("  " + f.getKey() + ": " + f.getValue()));
        System.out.println("network calls: " + config.callsPerStep() + " per supervision step (T*(n+1)), "
                + (long) config.callsPerStep() * config.nSup() + " per sample (N_sup*T*(n+1))");
        System.out.println("puzzle-embedding table: " + config.puzzleIds() + " x " + config.hiddenSize() + " (not counted)");
        System.out.println("parameters: " + params);
        if (other != null) for (String section : new String[] {"data", "train"}) {
            System.out.println(section + ":");
            other.get(section).fields().forEachRemaining(f -> System.out.println("  " + f.getKey() + ": " + f.getValue()));
        }
        return 0;
    }
}
