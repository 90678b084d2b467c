package trm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.EdgeVector;
import org.bytedeco.pytorch.Node;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import trm4j.config.ModelConfig;
import trm4j.engine.Autocast;
import trm4j.engine.Device;
import trm4j.engine.Precision;
import trm4j.engine.Torch;

public class RecursionTest {
    private static Tensor tokens(ModelConfig c, int batch, long seed) {
        Torch.seed(seed);
        return torch.randint(c.vocabSize(), new long[] {batch, c.seqLen()}, Device.CPU.options(ScalarType.Long));
    }

    @Test
    void countsTNTimesNPlusOneCallsOfWhichNPlusOneWithGradient() {
        ModelConfig c = Tiny.attention(3, 4, false);
        Network net = Network.init(c, Precision.FP32);
        Tensor x = net.embed(tokens(c, 2, 1), net.puzzleRows(Torch.fromLongs(new long[] {0, 1}, 2)), null);
        StepOutput out = Recursion.step(net, net.initialCarry(2), x);
        assertEquals(List.of(2L, 6L, 5L), Arrays.stream(Torch.shape(out.logits())).boxed().toList());
        assertFalse(out.carry().y().requires_grad(), "the carry is detached");
        assertTrue(out.logits().requires_grad());
    }

    /**
     * The T-1 no-grad cycles keep no activations: the autograd graph behind the logits is the same
     * size for T=1 and T=4, so the memory it holds does not grow with T.
     */
    @Test
    void noGradCyclesBuildNoGraph() {
        int one = graphNodes(1), four = graphNodes(4);
        assertEquals(one, four, "graph nodes for T=1 and T=4");
        assertTrue(one > 50, "the graph of the one cycle is there: " + one + " nodes");
    }

    private static int graphNodes(int T) {
        ModelConfig c = Tiny.attention(T, 2, false);
        Network net = Network.init(c, Precision.FP32);
        Tensor x = net.embed(tokens(c, 2, 2), net.puzzleRows(Torch.fromLongs(new long[2], 2)), null);
        Tensor logits = Recursion.step(net, net.initialCarry(2), x).logits();
        Set<Long> seen = new HashSet<>();
        ArrayDeque<Node> todo = new ArrayDeque<>(List.of(logits.grad_fn()));
        while (!todo.isEmpty()) {
            Node node = todo.pop();
            if (node == null || node.isNull() || !seen.add(node.address())) continue;
            EdgeVector edges = node.next_edges();
            for (long i = 0; i < edges.size(); i++) if (edges.get(i).is_valid()) todo.push(edges.get(i).function());
        }
        return seen.size();
    }

    @Test
    void bf16AutocastStaysWithinTwoPercentOfFp32() {
        ModelConfig c = ModelConfig.builder().hiddenSize(64).heads(4).seqLen(30).vocabSize(12).puzzleEmbLen(16).puzzleIds(4)
                .T(2).n(2).nSup(6).stepEmbedding(true).build();
        Torch.seed(5);
        Network fp32 = Network.init(c, Precision.FP32);
        Network bf16 = new Network(c, Precision.BF16, fp32.tensors());
        Tensor tok = tokens(c, 4, 9), ids = Torch.fromLongs(new long[] {0, 1, 2, 3}, 4), steps = Torch.fromLongs(new long[] {1, 2, 3, 4}, 4);
        Tensor ref = Recursion.step(fp32, fp32.initialCarry(4), fp32.embed(tok, fp32.puzzleRows(ids), steps)).logits();
        Tensor got;
        try (Autocast a = Precision.BF16.enter(Device.CPU)) {
            got = Recursion.step(bf16, bf16.initialCarry(4), bf16.embed(tok, bf16.puzzleRows(ids), steps)).logits();
        }
        assertEquals(ScalarType.BFloat16, got.scalar_type().intern(), "matmuls ran in bf16");
        double rel = relativeError(got, ref);
        assertTrue(rel < 2e-2, "relative error " + rel);
        assertTrue(rel > 0, "bf16 must differ from fp32 at all, else autocast did not run");
    }

    public static double relativeError(Tensor a, Tensor b) {
        double[] x = Torch.toDoubles(a), y = Torch.toDoubles(b);
        double num = 0, den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - y[i]) * (x[i] - y[i]);
            den += y[i] * y[i];
        }
        return Math.sqrt(num / den);
    }
}
