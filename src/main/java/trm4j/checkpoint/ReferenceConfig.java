package trm4j.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import trm4j.config.Json;

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
            Map.entry("puzzle_emb_len", "puzzle_emb_len"), Map.entry("puzzle_emb_ndim", "puzzle_emb_ndim"));

    private ReferenceConfig() {}

    /** The fields the YAML beside {@code checkpoint} sets, or an empty object when there is none. */
    static ObjectNode beside(Path checkpoint) {
        Path yaml = checkpoint.toAbsolutePath().resolveSibling(FILE);
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (!Files.isRegularFile(yaml)) return out;
        JsonNode arch;
        try {
            arch = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile()).path("arch");
        } catch (IOException e) {
            throw new CheckpointException(yaml + ": not readable YAML (" + Json.firstLine(e.getMessage()) + ")");
        }
        if (!arch.isObject()) throw new CheckpointException(yaml + ": no arch section");
        NAMES.forEach((ref, ours) -> {
            JsonNode v = arch.get(ref);
            if (v != null && !v.isNull()) out.set(ours, v);
        });
        String pos = arch.path("pos_encodings").asText("rope");
        if (!List.of("rope", "learned", "none").contains(pos))
            throw new CheckpointException(yaml + ": arch.pos_encodings " + pos + " is not one of rope, learned, none");
        out.put("pos_encoding", pos);
        int hidden = arch.path("hidden_size").asInt(0), ndim = arch.path("puzzle_emb_ndim").asInt(-1);
        if (ndim == 0) throw new CheckpointException(yaml + ": arch.puzzle_emb_ndim 0 (no puzzle embedding) is not supported");
        if (ndim > 0 && ndim == hidden) out.put("puzzle_emb_ndim", 0);   // trm4j's 0 means hidden_size
        if (out.path("puzzle_emb_len").asInt(-1) == 0 && hidden > 0)       // the reference's 0: ceil(ndim / hidden) slots
            out.put("puzzle_emb_len", (Math.max(ndim, hidden) + hidden - 1) / hidden);
        return out;
    }
}
