package trm4j.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.bytedeco.pytorch.Tensor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.config.Json;
import trm4j.config.ModelConfig;
import trm4j.config.Presets;
import trm4j.engine.Device;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.model.Network;

/**
 * Model checkpoints: safetensors under the reference TRM names with the {@link ModelConfig} in the
 * header metadata. Also reads reference PyTorch exports ({@code _orig_mod.} / {@code model.inner.}
 * prefixes, no metadata), inferring the configuration from the shapes.
 */
public final class Checkpoint {
    public static final String CONFIG_KEY = "trm4j.model";
    /** A training checkpoint (train.TrainState) is marked by its counters and keeps the network and its EMA under these prefixes. */
    public static final String COUNTERS_KEY = "trm4j.counters", NET_PREFIX = "net.", EMA_PREFIX = "ema.";

    /**
     * A loaded model; {@code inferred} tells that the configuration came from shapes (and the
     * reference's all_config.yaml when it is beside the file), not metadata; {@code guessed} names
     * the fields that neither the weights, the YAML nor --set gave (reference defaults were used).
     */
    public record Loaded(Network network, Map<String, String> metadata, boolean inferred, List<String> guessed) {}

    private Checkpoint() {}

    public static void save(Network net, Path file, Map<String, String> metadata) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(CONFIG_KEY, Json.MAPPER.writeValueAsString(net.config()));
        Safetensors.write(file, net.tensors(), meta);
    }

    /** Loads and checks every tensor before building the network on a device; nothing is half-loaded. */
    public static Loaded load(Path file, Precision precision, Device device, Map<String, String> overrides) {
        return load(file, precision, device, overrides, false);
    }

    /**
     * @param onlyIfInferred apply {@code overrides} only to a configuration inferred from shapes, not
     *                       to one the file states (evaluation refuses changes to those)
     */
    public static Loaded load(Path file, Precision precision, Device device, Map<String, String> overrides, boolean onlyIfInferred) {
        Safetensors.Contents contents = contents(file);
        Map<String, Tensor> tensors = referenceNames(modelTensors(contents));
        String json = contents.metadata().get(CONFIG_KEY);
        boolean inferred = json == null;
        ModelConfig config;
        List<String> guessed = new ArrayList<>();
        try {
            ObjectNode doc = Json.MAPPER.createObjectNode();
            if (inferred) {
                // Shapes first, then the reference's YAML, then --set; validated only after all three.
                ObjectNode model = infer(file, tensors, guessed);
                ObjectNode yaml = ReferenceConfig.beside(file);
                model.setAll(yaml);
                guessed.removeIf(f -> yaml.has(f) || overrides.containsKey(f) || overrides.containsKey("model." + f));
                doc.set("model", model);
            } else {
                JsonNode model = Json.MAPPER.readTree(json);
                if (model == null || !model.isObject()) throw new CheckpointException(file + ": metadata " + CONFIG_KEY + " is not a JSON object");
                doc.set("model", model);
            }
            config = Presets.modelOf(Presets.apply(doc, file.toString(), inferred || !onlyIfInferred ? overrides : Map.of()), file.toString());
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + ": metadata " + CONFIG_KEY + " is not valid JSON");
        }
        checkLayout(file, config, tensors);
        checkFinite(file, tensors);
        return new Loaded(new Network(config, precision, device, tensors), contents.metadata(), inferred, List.copyOf(guessed));
    }

    /** A checkpoint's tensors under the reference names, read as safetensors or as a torch.save file. */
    public static Map<String, Tensor> tensors(Path file) {
        Map<String, Tensor> t = referenceNames(modelTensors(contents(file)));
        checkFinite(file, t);
        return t;
    }

    private static Safetensors.Contents contents(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file))   // a folder, a FIFO or a device would block or mislead
            throw new CheckpointException(file + ": not a regular file");
        return Files.isRegularFile(file) && TorchSave.looksLikeZip(file) ? new Safetensors.Contents(TorchSave.read(file), Map.of())
                : Safetensors.read(file);
    }

    /**
     * The model a file holds. In a training checkpoint, the weights its run evaluates with: the
     * network's, with the EMA's in their place where the run keeps one (as in the run's model.safetensors).
     */
    private static Map<String, Tensor> modelTensors(Safetensors.Contents c) {
        if (!c.metadata().containsKey(COUNTERS_KEY)) return c.tensors();
        Map<String, Tensor> model = unprefixed(c.tensors(), NET_PREFIX);
        model.putAll(unprefixed(c.tensors(), EMA_PREFIX));
        return model;
    }

    /** The tensors whose names start with {@code prefix}, under their names without it. */
    public static Map<String, Tensor> unprefixed(Map<String, Tensor> tensors, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> { if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), t); });
        return out;
    }

    private static Map<String, Tensor> referenceNames(Map<String, Tensor> read) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        read.forEach((name, t) -> tensors.put(referenceName(name), t));
        return tensors;
    }

    /** Every tensor the configuration needs, with its shape, and nothing else; else one line. */
    public static void checkLayout(Path file, ModelConfig config, Map<String, Tensor> tensors) {
        Map<String, long[]> layout = Network.layout(config);
        for (Map.Entry<String, long[]> e : layout.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) throw new CheckpointException(file + ": tensor " + e.getKey() + " is missing");
            long[] shape = Torch.shape(t);
            if (!Arrays.equals(shape, e.getValue()))
                throw new CheckpointException(file + ": tensor " + e.getKey() + " has shape " + Arrays.toString(shape)
                        + ", the configuration needs " + Arrays.toString(e.getValue()));
            if (!t.is_floating_point())
                throw new CheckpointException(file + ": tensor " + e.getKey() + " is not a floating-point tensor");
        }
        for (String name : tensors.keySet())
            if (!layout.containsKey(name)) throw new CheckpointException(file + ": tensor " + name + " is not part of this network");
    }

    /** Weights that are NaN or infinite would answer garbage with exit status 0: refused, naming them. */
    public static void checkFinite(Path file, Map<String, Tensor> tensors) {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet())
            if (!e.getValue().isfinite().all().item_bool()) bad.add(e.getKey());   // host read: once per tensor, at load
        if (!bad.isEmpty())
            throw new CheckpointException(file + ": tensor" + (bad.size() > 1 ? "s " : " ") + String.join(", ", bad.subList(0, Math.min(5, bad.size())))
                    + (bad.size() > 5 ? ", ..." : "") + " hold NaN or infinite values: the weights are spoiled (was the run's loss NaN?)");
    }

    /** The name without the reference's wrapper prefixes. */
    static String referenceName(String name) {
        for (String prefix : new String[] {"_orig_mod.", "model.", "inner."})
            if (name.startsWith(prefix)) name = name.substring(prefix.length());
        return name;
    }

    /**
     * The sequence length of the reference tasks by their vocabulary: Sudoku (11 tokens, 9x9 = 81
     * cells) and N-Queens (3 tokens, 8x8 = 64); the others (ARC, Maze) use the 30x30 canvas, 900.
     */
    private static final Map<Integer, Integer> SEQ_LEN_BY_VOCAB = Map.of(11, 81, 3, 64);

    /**
     * The model section the shapes imply, not yet validated. Heads, T, n, N_sup and the sequence
     * length of attention models are not in the weights: the reference defaults are used and their
     * names added to {@code guessed}.
     */
    static ObjectNode infer(Path file, Map<String, Tensor> t, List<String> guessed) {
        Tensor embed = t.get(Network.EMBED), puzzle = t.get(Network.PUZZLE), step = t.get(Network.STEP_EMBED);
        if (embed == null) throw new CheckpointException(file + ": tensor " + Network.EMBED + " is missing (is this a TRM checkpoint?)");
        if (puzzle == null) throw new CheckpointException(file + ": tensor " + Network.PUZZLE + " is missing");
        int vocab = (int) embed.size(0), d = (int) embed.size(1);
        TreeSet<Integer> layers = new TreeSet<>();
        for (String name : t.keySet())
            if (name.startsWith("L_level.layers.")) {
                String rest = name.substring("L_level.layers.".length());
                try {
                    layers.add(Integer.parseInt(rest.substring(0, rest.indexOf('.'))));
                } catch (RuntimeException e) {
                    throw new CheckpointException(file + ": tensor " + name + " has no layer number");
                }
            }
        if (layers.isEmpty()) throw new CheckpointException(file + ": no L_level.layers.* tensors");
        Tensor tokenMix = t.get("L_level.layers.0.mlp_t.gate_up_proj.weight");
        boolean mlpT = tokenMix != null;
        int prefix = 16;   // the reference's puzzle-embedding positions; its weights do not say (the guessed list names it)
        boolean dis = step != null;
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("hidden_size", d).put("heads", 8).put("layers", layers.last() + 1).put("expansion", 4.0);
        // An attention model's sequence length is not in its weights: its task's, told by the vocabulary.
        m.put("seq_len", mlpT ? (int) tokenMix.size(1) - prefix : SEQ_LEN_BY_VOCAB.getOrDefault(vocab, 900));
        m.put("vocab_size", vocab).put("puzzle_emb_len", prefix).put("puzzle_ids", (int) puzzle.size(0));
        m.put("puzzle_emb_ndim", puzzle.size(1) == d ? 0 : (int) puzzle.size(1));
        Tensor positions = t.get(Network.POSITIONS);
        m.put("pos_encoding", positions != null ? "learned" : mlpT ? "none" : "rope").put("mlp_t", mlpT);
        if (positions != null) m.put("seq_len", (int) positions.size(0) - prefix);
        // DIS's step embedding has N_sup + 2 rows (Network's shapes); the rest are the papers' settings
        m.put("T", dis ? 1 : 3).put("n", dis ? 2 : 6).put("N_sup", dis ? (int) step.size(0) - 2 : 16);
        m.put("step_embedding", dis).put("rms_eps", 1e-5).put("rope_theta", 10000.0);
        guessed.addAll(List.of("heads", "T", "n"));
        if (!mlpT && positions == null) guessed.add("seq_len");
        if (positions != null || (puzzle.size(1) != d)) guessed.add("puzzle_emb_len");
        if (!dis) guessed.add("N_sup");
        return m;
    }
}
