package trm4j.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.DidYouMean;
import trm4j.UserError;
import trm4j.checkpoint.Checkpoint;
import trm4j.config.DataConfig;
import trm4j.config.Json;
import trm4j.config.ModelConfig;
import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.data.ArcSets;
import trm4j.data.PuzzleKinds;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.model.Network;
import trm4j.train.RunFolder;
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
        ModelConfig config;
        try {
            config = Presets.modelOf(doc, where);
            Presets.section(doc, "data", DataConfig.class, where);
            Presets.section(doc, "train", TrainConfig.class, where);
        } catch (UserError e) {
            throw Presets.blame(e, doc, where, overrides);
        }
        StringBuilder b = new StringBuilder(model("preset: " + name, config, Network.parameterCount(config)));
        for (String section : new String[] {"data", "train"}) fields(b.append(section).append(":\n"), doc.get(section), true);
        return new Description(b.toString(), List.of());
    }

    /** {@code info --list}: each built-in preset in one line, with its method, size and data and what it is for. */
    public static String list() {
        String row = "%-16s %-6s %10s  %-28s %s%n";
        StringBuilder b = new StringBuilder(String.format(row, "preset", "method", "parameters", "data", "what it is for"));
        for (String name : Presets.names()) {
            ObjectNode doc = Presets.load(name, Map.of());
            long params = Network.parameterCount(Presets.modelOf(doc, name));
            b.append(String.format(row, name, Presets.trainOf(doc, name).method().id().toUpperCase(),
                    params >= 1_000_000 ? String.format("%.1fM", params / 1e6) : String.format("%dk", Math.round(params / 1e3)),
                    data(Presets.dataOf(doc, name)), Presets.purpose(name)));
        }
        return b.append("Generated data needs nothing. ARC presets read the small sample in trm4j's jar (data.root=").append(ArcSets.SAMPLE)
                .append("); the full sets: trm4j data download SET (arc-agi-1 also needs conceptarc), then --set root=data\n").toString();
    }

    private static String data(DataConfig d) {
        if (d instanceof DataConfig.Arc a) return "ARC: " + a.set() + (a.set().equals("arc-agi-1") ? " + conceptarc" : "");
        return PuzzleKinds.summary((DataConfig.Puzzles) d);
    }

    /** A checkpoint or a run's folder that exists, else a preset's file (*.json) or name. */
    public static Description named(String name, Map<String, String> overrides) {
        boolean preset = name.endsWith(".json") || Presets.names().contains(name) && !Files.exists(Path.of(name));
        String near = preset || Files.exists(Path.of(name)) || name.contains("/") ? "" : DidYouMean.of(name, Presets.names());
        if (!near.isEmpty()) throw new UserError(name + ": no such file, nor a preset" + near);   // a preset's name mistyped, most likely
        return preset ? preset(name, overrides) : checkpoint(Path.of(name), overrides);
    }

    /** A trm4j checkpoint, or a reference one (its configuration inferred from the shapes). */
    public static Description checkpoint(Path path, Map<String, String> overrides) {
        Path file = ModelFile.resolve(path);
        Natives.tuneProcess();
        Checkpoint.Loaded loaded = Checkpoint.load(file, Precision.FP32, Device.CPU, overrides);
        String counters = loaded.metadata().get(Checkpoint.COUNTERS_KEY);
        String from = "checkpoint: " + file + (loaded.inferred() ? " (reference layout, configuration inferred from shapes)"
                : counters != null ? " (a run's training state at step " + TrainState.counters(file, counters).step() + ": the weights the run evaluates with)" : "");
        StringBuilder b = new StringBuilder(model(from, loaded.network().config(), loaded.network().parameterCount()));
        String preset = loaded.metadata().get(RunFolder.PRESET_KEY);
        if (preset != null) {   // a run's model: what it was trained on and how
            try {
                JsonNode doc = Json.MAPPER.readTree(preset);
                if (doc.path("preset").isTextual()) b.append("run of preset: ").append(UserError.oneLine(doc.get("preset").asText())).append('\n');
                for (String section : new String[] {"data", "train", RunSetup.FILES}) if (doc.get(section) instanceof ObjectNode o) fields(b.append(section).append(":\n"), o, false);
            } catch (JsonProcessingException e) {
                b.append("run: its preset cannot be read (").append(Json.problem(e)).append(")\n");
            }
        }
        return new Description(b.toString(), loaded.guessed());
    }

    private static String model(String from, ModelConfig config, long params) {
        StringBuilder b = new StringBuilder(from).append("\nmodel:\n");
        fields(b, Json.MAPPER.valueToTree(config), false);
        return b.append("network calls: ").append(config.callsPerStep()).append(" per supervision step (T*(n+1)), ")
                .append((long) config.callsPerStep() * config.nSup()).append(" per sample (N_sup*T*(n+1))\n")
                .append("puzzle-embedding table: ").append(config.puzzleIds()).append(" x ").append(config.hiddenSize()).append(" (not counted)\n")
                .append("parameters: ").append(params).append('\n').toString();
    }

    /** @param preset a preset's section, whose steps a count of epochs replaces (a run's records the steps they came to) */
    private static StringBuilder fields(StringBuilder b, JsonNode section, boolean preset) {
        // A crafted checkpoint's names stay on their lines (values print as JSON, escaped already).
        boolean byEpochs = preset && section.path("epochs").asLong(0) > 0;
        section.fields().forEachRemaining(f -> b.append("  ").append(UserError.oneLine(f.getKey())).append(": ").append(f.getValue())
                .append(byEpochs && f.getKey().equals("steps") ? "   (not used: the run counts epochs, and its steps follow from the data, as train says)" : "")
                .append('\n'));
        return b;
    }
}
