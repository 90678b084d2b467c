package trm4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.Outputs;
import trm4j.checkpoint.Checkpoint;
import trm4j.config.Json;
import trm4j.metrics.MetricsLine;

/**
 * A run's folder, kept up to date as a listener of its {@link Trainer}: {@code metrics.jsonl}
 * (every line), and at each checkpoint moment {@code checkpoint.safetensors} (the whole training
 * state) and {@code model.safetensors} (the weights evaluation uses), each written atomically.
 */
public final class RunFolder implements Trainer.Listener {
    public static final String MODEL_FILE = "model.safetensors", METRICS_FILE = "metrics.jsonl", PRESET_FILE = "preset.json";
    /** Metadata key of the run's preset document in both checkpoint files. */
    public static final String PRESET_KEY = TrainState.PRESET_KEY;
    /** The files a run writes in its folder. */
    public static final List<String> FILES = List.of(TrainState.FILE, MODEL_FILE, METRICS_FILE, PRESET_FILE);

    private final Path dir;
    private final JsonNode preset;
    private final MetricsLog log;
    private boolean presetWritten;   // the document does not change during a run: written with its first checkpoint, not over a later edit

    /** @param metricsBytes the metrics a resumed run keeps (the rest was written after its checkpoint); 0 for a new run */
    public RunFolder(Path dir, JsonNode preset, long metricsBytes) {
        this.dir = dir;
        this.preset = preset;
        this.log = new MetricsLog(dir.resolve(METRICS_FILE), metricsBytes);
    }

    /** The run files present in a folder. */
    public static List<String> present(Path dir) {
        return FILES.stream().filter(f -> Files.exists(dir.resolve(f))).toList();
    }

    @Override public void logged(MetricsLine line, long totalSteps) {
        log.write(line);
    }

    @Override public void checkpoint(Trainer trainer) {
        try {
            trainer.save(dir.resolve(TrainState.FILE), preset, log.length());
            Checkpoint.save(trainer.evaluationModel(), dir.resolve(MODEL_FILE), Map.of(PRESET_KEY, preset.toString()));
            if (!presetWritten) Outputs.writeAtomically(dir.resolve(PRESET_FILE), Json.PRETTY.writeValueAsBytes(preset));   // the checkpoint's document, to read and edit
            presetWritten = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint in " + dir, e);
        }
    }
}
