package trm4j.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.checkpoint.Checkpoint;
import trm4j.config.DataConfig;
import trm4j.config.Json;
import trm4j.config.ModelConfig;
import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.model.Network;
import trm4j.train.TrainState;

/** What {@code trm4j info} prints: a model's configuration, network calls and parameters, from a preset or a checkpoint. */
public final class Describe {
    private Describe() {}

    /** @param guessed the model fields a reference checkpoint did not give (the reference defaults were used) */
    public record Description(String text, List<String> guessed) {}

    /** A preset with its overrides; its data and train sections are validated as a run's would be. */
    public static Description preset(String name, Map<String, String> overrides) {
        ObjectNode doc = Presets.load(name, overrides);
        String where = "preset " + name;
        ModelConfig config = Presets.modelOf(doc, where);
        Presets.section(doc, "data", DataConfig.class, where);
        Presets.section(doc, "train", TrainConfig.class, where);
        StringBuilder b = new StringBuilder(model("preset: " + name, config, Network.parameterCount(config)));
        for (String section : new String[] {"data", "train"}) fields(b.append(section).append(":\n"), doc.get(section));
        return new Description(b.toString(), List.of());
    }

    /** A trm4j checkpoint, or a reference one (its configuration inferred from the shapes). */
    public static Description checkpoint(Path path, Map<String, String> overrides) {
        Path file = ModelFile.resolve(path);
        Natives.tuneProcess();
        Checkpoint.Loaded loaded = Checkpoint.load(file, Precision.FP32, Device.CPU, overrides);
        String counters = loaded.metadata().get(Checkpoint.COUNTERS_KEY);
        String from = "checkpoint: " + file + (loaded.inferred() ? " (reference layout, configuration inferred from shapes)"
                : counters != null ? " (a run's training state at step " + TrainState.counters(file, counters).step() + ": the weights the run evaluates with)" : "");
        return new Description(model(from, loaded.network().config(), loaded.network().parameterCount()), loaded.guessed());
    }

    private static String model(String from, ModelConfig config, long params) {
        StringBuilder b = new StringBuilder(from).append("\nmodel:\n");
        fields(b, Json.MAPPER.valueToTree(config));
        return b.append("network calls: ").append(config.callsPerStep()).append(" per supervision step (T*(n+1)), ")
                .append((long) config.callsPerStep() * config.nSup()).append(" per sample (N_sup*T*(n+1))\n")
                .append("puzzle-embedding table: ").append(config.puzzleIds()).append(" x ").append(config.hiddenSize()).append(" (not counted)\n")
                .append("parameters: ").append(params).append('\n').toString();
    }

    private static StringBuilder fields(StringBuilder b, JsonNode section) {
        section.fields().forEachRemaining(f -> b.append("  ").append(f.getKey()).append(": ").append(f.getValue()).append('\n'));
        return b;
    }
}
