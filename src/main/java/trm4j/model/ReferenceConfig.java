package trm4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The model fields of the reference trainer's {@code all_config.yaml}, which {@code pretrain.py}
 * writes beside its checkpoints: its {@code arch} section under trm4j's names (H_cycles is T,
 * L_cycles is n, halt_max_steps is N_sup, ...). Options trm4j cannot express yet are refused in one
 * line rather than loaded as something else.
 */
final class ReferenceConfig {
    static final String FILE = "all_config.yaml";
    /** reference arch key -> trm4j model field */
    private static final Map<String, String> NAMES = Map.ofEntries(Map.entry("hidden_size", "hidden_size"),
            Map.entry("num_heads", "heads"), Map.entry("L_layers", "layers"), Map.entry("expansion", "expansion"),
            Map.entry("H_cycles", "T"), Map.entry("L_cycles", "n"), Map.entry("halt_max_steps", "N_sup"),
            Map.entry("mlp_t", "mlp_t"), Map.entry("rms_norm_eps", "rms_eps"), Map.entry("rope_theta", "rope_theta"),
            Map.entry("puzzle_emb_len", "puzzle_emb_len"));

    private ReferenceConfig() {}

    /** The fields the YAML beside {@code checkpoint} sets, or an empty object when there is none. */
    static ObjectNode beside(Path checkpoint) {
        Path yaml = checkpoint.toAbsolutePath().resolveSibling(FILE);
        ObjectNode out = Presets.JSON.createObjectNode();
        if (!Files.isRegularFile(yaml)) return out;
        JsonNode arch;
        try {
            arch = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile()).path("arch");
        } catch (IOException e) {
            throw new CheckpointException(yaml + ": not readable YAML (" + firstLine(e.getMessage()) + ")");
        }
        if (!arch.isObject()) throw new CheckpointException(yaml + ": no arch section");
        NAMES.forEach((ref, ours) -> {
            JsonNode v = arch.get(ref);
            if (v != null && !v.isNull()) out.set(ours, v);
        });
        String pos = arch.path("pos_encodings").asText("rope");
        if (!pos.equals("rope") && !pos.equals("none"))
            throw new CheckpointException(yaml + ": arch.pos_encodings " + pos + " is not supported yet (rope and none are)");
        out.put("pos_encoding", pos);
        JsonNode ndim = arch.get("puzzle_emb_ndim"), hidden = arch.get("hidden_size");
        if (ndim != null && hidden != null && ndim.asInt() != hidden.asInt() && ndim.asInt() != 0)
            throw new CheckpointException(yaml + ": arch.puzzle_emb_ndim " + ndim.asInt() + " differs from hidden_size " + hidden.asInt()
                    + ", which trm4j does not support yet");
        if (out.path("puzzle_emb_len").asInt(-1) == 0) out.put("puzzle_emb_len", 1);   // 0 means ceil(ndim / hidden) = 1
        return out;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
