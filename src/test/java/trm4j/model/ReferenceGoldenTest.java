package trm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static trm4j.Goldens.DIR;
import static trm4j.Goldens.doubles;
import static trm4j.Goldens.longs;

import java.util.Map;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.Goldens;
import trm4j.checkpoint.Checkpoint;
import trm4j.data.Batch;
import trm4j.engine.Device;
import trm4j.engine.Natives;
import trm4j.engine.Precision;
import trm4j.engine.Torch;
import trm4j.train.Adam;

/**
 * trm4j against the reference code itself: the weights and the outputs after two supervision steps
 * from y0/z0 come from SamsungSAILMontreal/TinyRecursiveModels (TRM) and
 * machinestein/Deep-Improvement-Supervision (DIS: step embedding s, the argmax of step s-1 as the
 * next input), run under PyTorch by make_golden.py beside the fixtures at pinned commits; trm4j loads the
 * torch.save file and must give the same logits and q logits (1e-3 in float32; 1e-10 in float64, where
 * make_golden.py computes the reference's RMSNorm and RoPE tables in float64 too; the reference's q head
 * answers in float32 whatever the dtype, so q in float64 to 1e-6), and in float64 the same gradient of
 * every weight for one supervision step's cross-entropy (1e-10). The loss and its gradient, and five AdamATan2
 * steps, against the reference's own code too. The network runs on the device {@link Goldens#device} names (a GPU
 * check runs this class with -Dtrm4j.test.device=cuda, bench/gpu/check.sh).
 */
class ReferenceGoldenTest {

    @ParameterizedTest
    @CsvSource({"trm_attention, .pt, FP32, 1e-3", "trm_attention, .pt, FP64, 1e-10", "trm_mlp_t, .pt, FP32, 1e-3", "trm_mlp_t, .pt, FP64, 1e-10",
            "trm_learned, .pt, FP32, 1e-3", "trm_learned, .pt, FP64, 1e-10", "dis_attention, .pt, FP32, 1e-3", "dis_attention, .pt, FP64, 1e-10",
            // the same weights as a safetensors export names them (_orig_mod.model.inner.*), written by make_golden.py
            "trm_attention, .safetensors, FP64, 1e-10"})
    void twoSupervisionStepsMatchTheReferenceCode(String variant, String format, Precision precision, double tolerance) throws Exception {
        Natives.load();
        JsonNode g = Goldens.read(variant);
        Device d = Goldens.device();
        Network net = Checkpoint.load(DIR.resolve(variant + format), precision, d, Goldens.model(g)).network();
        boolean dis = net.config().stepEmbedding();
        long[] inputs = longs(g.get("inputs")), ids = longs(g.get("puzzle_ids"));
        JsonNode expected = g.get(precision == Precision.FP32 ? "float32" : "float64");
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor tokens = Torch.fromLongs(d, inputs, ids.length, inputs.length / ids.length), rows = net.puzzleRows(Torch.fromLongs(d, ids, ids.length));
            Carry carry = net.initialCarry(ids.length);
            for (int s = 0; s < 2; s++) {
                Tensor step = Torch.fromLongs(d, new long[] {s + 1, s + 1, s + 1}, ids.length);
                StepOutput out = net.step(carry, tokens, rows, dis ? step : null);
                if (dis) tokens = out.logits().argmax(new LongOptional(-1), false);
                compare(expected.get(s).get("logits"), out.logits(), tolerance, variant + " step " + (s + 1) + " logits");
                compare(expected.get(s).get("q_halt"), out.qHalt(), Math.max(tolerance, 1e-6), variant + " step " + (s + 1) + " q_halt");
                carry = out.carry();
            }
        }
    }


    /** In float64, the gradient of every weight for one supervision step's stable-max cross-entropy (mean per sequence, summed). */
    @ParameterizedTest
    @CsvSource({"trm_attention", "trm_mlp_t", "trm_learned", "dis_attention"})
    void theGradientOfOneSupervisionStepMatchesTheReferenceCode(String variant) throws Exception {
        Natives.load();
        JsonNode g = Goldens.read(variant);
        Device d = Goldens.device();
        Network net = Checkpoint.load(DIR.resolve(variant + ".pt"), Precision.FP64, d, Goldens.model(g)).network();
        net.weights().values().forEach(w -> w.set_requires_grad(true));
        long[] inputs = longs(g.get("inputs")), ids = longs(g.get("puzzle_ids")), labels = longs(g.get("labels"));
        int b = ids.length, seq = inputs.length / b;
        Tensor tokens = Torch.fromLongs(d, inputs, b, seq), target = Torch.fromLongs(d, labels, b, seq);
        Tensor rows = net.puzzleRows(Torch.fromLongs(d, ids, b)).detach();
        Tensor steps = net.config().stepEmbedding() ? Torch.fromLongs(d, new long[] {1, 1, 1}, b) : null;
        StepOutput out = net.step(net.initialCarry(b), tokens, rows, steps);
        Loss loss = Loss.of(out, target, null, 1.0, 0);
        assertEquals(g.get("grad_loss").asDouble(), loss.total().item_double(), 1e-10, variant + " loss");
        loss.total().backward();
        int compared = 0;
        for (var e : g.get("grads").properties()) {
            Tensor w = net.weights().get(e.getKey());
            if (w == null) continue;   // the reference's own buffers, which trm4j keeps outside the weights
            compare(e.getValue(), w.grad(), 1e-10, variant + " d loss / d " + e.getKey());
            compared++;
        }
        assertEquals(net.weights().values().stream().filter(w -> w.grad().defined()).count(), compared, variant + ": every weight's gradient compared");
    }

    /** The TRM loss of models/losses.py (ACTLossHead): value and gradient, labels ignored where -100. */
    @Test
    void theLossAndItsGradientMatchTheReferenceCode() throws Exception {
        Natives.load();
        JsonNode g = Goldens.read("loss");
        Tensor logits = Torch.fromDoubles(doubles(g.get("logits")), 3, 6, 5).requires_grad_(true);
        Tensor q = Torch.fromDoubles(doubles(g.get("q_halt")), 3).requires_grad_(true);
        long[] labels = longs(g.get("labels"));
        for (int i = 0; i < labels.length; i++) if (labels[i] == -100) labels[i] = Batch.IGNORE;
        Tensor target = Torch.fromLongs(labels, 3, 6);
        double[] exactRows = new double[3];
        for (int i = 0; i < 3; i++) exactRows[i] = g.get("exact").get(i).asBoolean() ? 1 : 0;
        Loss loss = Loss.of(new StepOutput(logits, q, null), target, Torch.fromDoubles(exactRows, 3).gt(Torch.scalar(0.5)), 1.0, 0.5);
        assertEquals(g.get("lm_loss").asDouble(), loss.ce().item_double(), 1e-12);
        assertEquals(g.get("total").asDouble(), loss.total().item_double(), 1e-12);
        loss.total().backward();
        compare(g.get("grad_logits"), logits.grad(), 1e-12, "d loss / d logits");
        compare(g.get("grad_q_halt"), q.grad(), 1e-12, "d loss / d q_halt");
    }

    /** Five steps of the adam-atan2 package's own reference implementation (its test file), in float64. */
    @Test
    void adamAtan2MatchesThePackagesReferenceImplementation() throws Exception {
        Natives.load();
        JsonNode g = Goldens.read("adam_atan2");
        Tensor p = Torch.fromDoubles(doubles(g.get("param")), g.get("param").size()).requires_grad_(true);
        Adam adam = new Adam(true, g.get("beta1").asDouble(), g.get("beta2").asDouble(), g.get("weight_decay").asDouble(), Map.of("p", p));
        for (JsonNode step : g.get("steps")) {
            p.mutable_grad().put(Torch.fromDoubles(doubles(step.get("grad")), step.get("grad").size()));
            adam.step(Map.of("p", p), g.get("lr").asDouble());
            compare(step.get("param"), p, 1e-15, "parameter after a step");
        }
    }

    private static void compare(JsonNode expected, Tensor got, double tolerance, String what) {
        double[] g = Torch.toDoubles(got);
        assertEquals(expected.size(), g.length, what);
        for (int i = 0; i < g.length; i++) assertEquals(expected.get(i).asDouble(), g[i], tolerance, what + " [" + i + "]");
    }
}
