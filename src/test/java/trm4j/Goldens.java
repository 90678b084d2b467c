package trm4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import trm4j.engine.Device;

/** The fixtures the reference code wrote (src/test/resources/trm4j/golden: make_golden.py, make_trajectory.py), each from a pinned commit. */
public final class Goldens {
    public static final Path DIR = Path.of("src/test/resources/trm4j/golden");

    private static final Map<String, String> PINS = Map.of(
            "SamsungSAILMontreal/TinyRecursiveModels", "e7b68717f0a6c4cbb4ce6fbef787b14f42083bd9",
            "machinestein/Deep-Improvement-Supervision", "032f11601b81d1d9a8526fb4864a066394ccf44d",
            "imoneoi/adam_atan2", "42a1aeb");

    private Goldens() {}

    /** A golden file, refused unless it comes from the pinned commit of its reference repository. */
    public static JsonNode read(String name) throws Exception {
        JsonNode g = new ObjectMapper().readTree(DIR.resolve(name + ".json").toFile());
        String repo = g.path("reference").path("repo").asText();
        assertEquals(PINS.get(repo), g.path("reference").path("commit").asText(), name + ": made from " + repo + " at another commit");
        return g;
    }

    /** Where the golden tests run their networks: -Dtrm4j.test.device (cpu unless set; cuda on a GPU machine). */
    public static Device device() {
        return Device.parse(System.getProperty("trm4j.test.device", "cpu"), "trm4j.test.device").available("trm4j.test.device");
    }

    /** The model settings a golden names, as overrides for loading its weights. */
    public static Map<String, String> model(JsonNode g) {
        Map<String, String> model = new LinkedHashMap<>();
        g.get("model").fields().forEachRemaining(e -> model.put(e.getKey(), e.getValue().asText()));
        return model;
    }

    public static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asDouble();
        return out;
    }

    public static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asLong();
        return out;
    }
}
