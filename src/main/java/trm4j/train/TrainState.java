package trm4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.checkpoint.Checkpoint;
import trm4j.checkpoint.CheckpointException;
import trm4j.checkpoint.Safetensors;
import trm4j.config.Json;
import trm4j.config.ModelConfig;
import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.engine.Precision;
import trm4j.engine.PrecisionChoice;
import trm4j.model.Network;

/**
 * A training checkpoint ({@code checkpoint.safetensors}, written atomically): the network under
 * {@code net.}, the EMA under {@code ema.}, Adam's moments under {@code adam.}, the supervision's
 * carried state under {@code sup.}, and in the metadata the run's preset document and the
 * counters ({@link Counters}) that put the data stream and the metrics back where they were.
 */
public final class TrainState {
    public static final String FILE = "checkpoint.safetensors";
    public static final String PRESET_KEY = "trm4j.preset";

    /**
     * Where a run stands; wallMillis accumulates over the starts of a resumed run; {@code evaluating}: the checkpoint
     * was written before an evaluation of its step, which the metrics kept with it do not hold yet (absent, as in
     * earlier checkpoints: false). (Checkpoints before network calls were computed from the configuration also hold
     * call counters: ignored.)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Counters(long step, long position, long adamSteps, long metricsBytes, long samples, long wallMillis, boolean evaluating) {
        public Counters {
            if (step < 0 || position < 0 || adamSteps < 0 || metricsBytes < 0 || samples < 0 || wallMillis < 0)
                throw new CheckpointException("the checkpoint's counters are negative: " + step + ", " + position + ", " + adamSteps + ", "
                        + metricsBytes + ", " + samples + ", " + wallMillis + " (step, position, adam steps, metrics bytes, samples, wall ms)");
        }
    }

    /** A loaded checkpoint: the network is ready to train, the rest is for the trainer to restore. */
    public record Saved(Network network, JsonNode preset, Counters counters, Map<String, Tensor> tensors) {
        Map<String, Tensor> prefixed(String prefix) {
            return Checkpoint.unprefixed(tensors, prefix);
        }
    }

    private TrainState() {}

    static void save(Path file, Network net, Ema ema, Adam adam, Map<String, Tensor> supervision, JsonNode preset, Counters counters) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        net.tensors().forEach((k, v) -> t.put(Checkpoint.NET_PREFIX + k, v));
        if (ema != null) ema.weights().forEach((k, v) -> t.put(Checkpoint.EMA_PREFIX + k, v));
        adam.state().forEach((k, v) -> t.put("adam." + k, v));
        supervision.forEach((k, v) -> t.put("sup." + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.CONFIG_KEY, Json.MAPPER.writeValueAsString(net.config()));
        meta.put(PRESET_KEY, Json.MAPPER.writeValueAsString(preset));
        meta.put(Checkpoint.COUNTERS_KEY, Json.MAPPER.writeValueAsString(counters));
        Safetensors.write(file, t, meta);
    }

    /** A checkpoint's counters from their metadata text; malformed ones are a one-line {@link CheckpointException}. */
    public static Counters counters(Path file, String json) {
        try {
            JsonNode tree = Json.MAPPER.readTree(json);
            if (tree instanceof ObjectNode o && !o.has("evaluating")) o.put("evaluating", false);   // written before the flag existed
            return Json.MAPPER.treeToValue(tree, Counters.class);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof CheckpointException ce) throw new CheckpointException(file + ": " + ce.getMessage());
            throw new CheckpointException(file + ": metadata " + Checkpoint.COUNTERS_KEY + " is not valid: " + Json.problem(e));
        }
    }

    /** Reads a checkpoint (the network in the precision its run trains in); anything missing or malformed is a one-line {@link CheckpointException}. */
    public static Saved load(Path file) {
        Safetensors.Contents c = Safetensors.read(file);
        String config = c.metadata().get(Checkpoint.CONFIG_KEY), preset = c.metadata().get(PRESET_KEY), counters = c.metadata().get(Checkpoint.COUNTERS_KEY);
        if (config == null || preset == null || counters == null)
            throw new CheckpointException(file + ": not a trm4j training checkpoint (metadata " + PRESET_KEY + " is missing)");
        try {
            JsonNode read = Json.MAPPER.readTree(preset);
            if (!(read instanceof ObjectNode)) throw new CheckpointException(file + ": metadata " + PRESET_KEY + " is not a JSON object");
            ObjectNode doc = Presets.upgrade((ObjectNode) read);
            TrainConfig tc = Presets.trainOf(doc, file.toString());
            Precision precision = PrecisionChoice.of(tc.precision(), tc.device()).precision();
            JsonNode model = Json.MAPPER.readTree(config);
            if (!(model instanceof ObjectNode)) throw new CheckpointException(file + ": metadata " + Checkpoint.CONFIG_KEY + " is not a JSON object");
            ModelConfig mc = Presets.modelOf(Presets.upgrade((ObjectNode) Json.MAPPER.createObjectNode().set("model", model)), file.toString());
            Map<String, Tensor> net = Checkpoint.unprefixed(c.tensors(), Checkpoint.NET_PREFIX);
            Checkpoint.checkLayout(file, mc, net);
            Checkpoint.checkFinite(file, c.tensors());
            return new Saved(new Network(mc, precision, tc.device(), net), doc, counters(file, counters), c.tensors());
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + ": metadata is not valid JSON");
        }
    }
}
