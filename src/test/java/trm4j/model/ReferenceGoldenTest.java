package trm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import trm4j.checkpoint.Checkpoint;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.engine.Torch;

/**
 * trm4j against the reference code itself: the weights and the outputs after two supervision steps
 * from y0/z0 come from SamsungSAILMontreal/TinyRecursiveModels (TRM) and
 * machinestein/Deep-Improvement-Supervision (DIS: step embedding s, the argmax of step s-1 as the
 * next input), run under PyTorch by make_golden.py beside the fixtures; trm4j loads the torch.save
 * file and must give the same logits and q logits: 1e-3 in float32, 2e-4 in float64.
 */
class ReferenceGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/trm4j/golden");

    @ParameterizedTest
    @CsvSource({"trm_attention, FP32, 1e-3", "trm_attention, FP64, 2e-4", "trm_mlp_t, FP32, 1e-3", "trm_mlp_t, FP64, 2e-4",
            "trm_learned, FP32, 1e-3", "trm_learned, FP64, 2e-4", "dis_attention, FP32, 1e-3", "dis_attention, FP64, 2e-4"})
    void twoSupervisionStepsMatchTheReferenceCode(String variant, Precision precision, double tolerance) throws Exception {
        Natives.load();
        JsonNode g = new ObjectMapper().readTree(DIR.resolve(variant + ".json").toFile());
        Map<String, String> model = new LinkedHashMap<>();
        g.get("model").fields().forEachRemaining(e -> model.put(e.getKey(), e.getValue().asText()));
        Network net = Checkpoint.load(DIR.resolve(variant + ".pt"), precision, Device.CPU, model).network();
        boolean dis = net.config().stepEmbedding();
        long[] inputs = longs(g.get("inputs")), ids = longs(g.get("puzzle_ids"));
        JsonNode expected = g.get(precision == Precision.FP32 ? "float32" : "float64");
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor tokens = Torch.fromLongs(inputs, ids.length, inputs.length / ids.length), rows = net.puzzleRows(Torch.fromLongs(ids, ids.length));
            Carry carry = net.initialCarry(ids.length);
            for (int s = 0; s < 2; s++) {
                Tensor step = Torch.fromLongs(new long[] {s + 1, s + 1, s + 1}, ids.length);
                StepOutput out = net.step(carry, tokens, rows, dis ? step : null);
                if (dis) tokens = out.logits().argmax(new LongOptional(-1), false);
                compare(expected.get(s).get("logits"), out.logits(), tolerance, variant + " step " + (s + 1) + " logits");
                compare(expected.get(s).get("q_halt"), out.qHalt(), tolerance, variant + " step " + (s + 1) + " q_halt");
                carry = out.carry();
            }
        }
    }

    private static void compare(JsonNode expected, Tensor got, double tolerance, String what) {
        double[] g = Torch.toDoubles(got);
        assertEquals(expected.size(), g.length, what);
        for (int i = 0; i < g.length; i++) assertEquals(expected.get(i).asDouble(), g[i], tolerance, what + " [" + i + "]");
    }

    private static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asLong();
        return out;
    }
}
