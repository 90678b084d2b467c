package trm4j.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.UserError;
import trm4j.checkpoint.Checkpoint;
import trm4j.checkpoint.CheckpointException;
import trm4j.config.DataConfig;
import trm4j.config.Json;
import trm4j.config.Method;
import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.PrecisionSetting;
import trm4j.model.Network;
import trm4j.train.RunFolder;

/**
 * A model file as the jobs use it: the network, and the preset of the run that trained it (its
 * method and its data). A reference checkpoint, which has no preset, gets the ARC preset's data
 * and method around its model; its configuration comes from its shapes, and model fields may be
 * given (they may not change a trm4j checkpoint's).
 *
 * @param reference whether the file had no trm4j preset
 * @param guessed   the model fields of a reference checkpoint that neither its weights, an
 *                  all_config.yaml beside it nor an override gave (the reference's defaults were used)
 */
public record ModelFile(Path file, Network network, ObjectNode preset, boolean reference, List<String> guessed) implements AutoCloseable {
    /** The preset whose data and method evaluate a checkpoint that has no trm4j run preset. */
    public static final String REFERENCE_PRESET = "trm-arc";

    /** The model file a path names: the path itself, or a run folder's model.safetensors. */
    public static Path resolve(Path path) {
        if (!Files.isDirectory(path)) return path;
        Path model = path.resolve(RunFolder.MODEL_FILE);
        if (!Files.isRegularFile(model))
            throw new CheckpointException(path + ": a folder without " + RunFolder.MODEL_FILE + " (not a run folder, or its run has not reached a checkpoint yet)");
        return model;
    }

    /**
     * Loads a model from a file or a run folder; {@code overrides} may hold model fields (used here) and data
     * fields (left for {@link #dataOverrides}).
     */
    public static ModelFile load(Path path, PrecisionSetting precision, Device device, Map<String, String> overrides) {
        Path file = resolve(path);
        Natives.load();
        Map<String, String> model = modelOverrides(overrides);
        Checkpoint.Loaded loaded = Checkpoint.load(file, PrecisionChoice.of(precision, device).precision(), device, model, true);
        try {   // a refusal below frees the weights just read
            ModelFile m = of(file, loaded, model);
            m.evaluated(overrides);   // a misspelt data field is named at load, not at the first evaluation
            return m;
        } catch (RuntimeException e) {
            loaded.network().close();
            throw e;
        }
    }

    private static ModelFile of(Path file, Checkpoint.Loaded loaded, Map<String, String> model) {
        if (!loaded.inferred() && !model.isEmpty())
            throw new UserError("overrides " + model.keySet().iterator().next() + ": the model's fields come from " + file + " and cannot change");
        String stored = loaded.metadata().get(RunFolder.PRESET_KEY);
        if (stored == null) {
            ObjectNode doc = Presets.load(REFERENCE_PRESET, Map.of());
            doc.set("model", Json.MAPPER.valueToTree(loaded.network().config()));
            return new ModelFile(file, loaded.network(), doc, true, loaded.guessed());
        }
        try {
            JsonNode doc = Json.MAPPER.readTree(stored);
            if (!(doc instanceof ObjectNode o)) throw new UserError(file + ": metadata " + RunFolder.PRESET_KEY + " is not a JSON object");
            ObjectNode preset = Presets.upgrade(o);
            Presets.trainOf(preset, file + ": metadata " + RunFolder.PRESET_KEY);   // a bad stored preset is one line here, not later
            Presets.dataOf(preset, file + ": metadata " + RunFolder.PRESET_KEY);
            return new ModelFile(file, loaded.network(), preset, false, List.of());
        } catch (JsonProcessingException e) {
            throw new UserError(file + ": metadata " + RunFolder.PRESET_KEY + " is not valid JSON");
        }
    }

    public TrainConfig train() {
        return Presets.trainOf(preset, file.toString());
    }

    public Method method() {
        return train().method();
    }

    public DataConfig data() {
        return Presets.dataOf(preset, file.toString());
    }

    /** The name of the data's kind ({@code sudoku}, {@code arc}, ...). */
    public String kind() {
        return data().kind();
    }

    /**
     * The run's document as an evaluation reads it, with {@code overrides}' data fields set: each must name a field of the run's
     * data (a puzzle file only where the run recorded its files).
     */
    public ObjectNode evaluated(Map<String, String> overrides) {
        for (String split : RunSetup.SPLITS)
            if (overrides.containsKey(split + "_file") && !preset.has(RunSetup.FILES) && !preset.path("data").path("kind").asText().equals("arc"))
                throw new UserError("overrides " + split + "_file: " + file + (preset.has(TrainRun.PRESET) ? " was trained on generated puzzles"
                        : " records no puzzle files (generated, or trained before runs recorded them)") + ", and is scored on the ones its preset makes; "
                        + "'trm4j solve --checkpoint " + file + " SET' answers a puzzle set of its kind and counts the answers equal to the set's");
        return Presets.apply(preset.deepCopy(), file.toString(), dataOverrides(overrides));
    }

    /** The overrides that name model fields (a reference checkpoint's configuration); the others are data fields. */
    static Map<String, String> modelOverrides(Map<String, String> overrides) {
        Map<String, String> out = new LinkedHashMap<>();
        ObjectNode base = Presets.load(REFERENCE_PRESET, Map.of());
        overrides.forEach((key, value) -> {
            if (isModel(base, key)) out.put(key.startsWith("model.") ? key.substring(6) : key, value);
        });
        return out;
    }

    /** The overrides that are not model fields. */
    static Map<String, String> dataOverrides(Map<String, String> overrides) {
        Map<String, String> out = new LinkedHashMap<>();
        ObjectNode base = Presets.load(REFERENCE_PRESET, Map.of());
        overrides.forEach((key, value) -> {
            if (!isModel(base, key)) out.put(key, value);
        });
        return out;
    }

    private static boolean isModel(ObjectNode base, String key) {
        String field = key.startsWith("model.") ? key.substring(6) : key;
        return key.startsWith("model.") || (!key.contains(".") && base.path("model").has(field) && !base.path("data").has(field));
    }

    @Override public void close() {
        network.close();
    }
}
