package trm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import trm4j.config.ModelConfig;
import trm4j.data.Batch;
import trm4j.engine.Device;
import trm4j.engine.Precision;
import trm4j.engine.Torch;

/** Autograd through the graph-carrying cycle against central finite differences, in float64. */
class GradientCheckTest {
    private static final long[] TOKENS = {0, 1, 2, 3, 4, 2, 4, 3, 2, 1, 0, 1};
    private static final long[] LABELS = {1, Batch.IGNORE, 2, 4, 0, 3, 2, 2, Batch.IGNORE, 1, 0, 4};

    /** Loss of one supervision step from the fixed initial carry: stable-max CE + BCE on q_halt. */
    private static Tensor loss(Network net, Tensor rows) {
        Tensor tokens = Torch.fromLongs(TOKENS, 2, 6), labels = Torch.fromLongs(LABELS, 2, 6);
        Tensor steps = Torch.fromLongs(new long[] {1, 3}, 2);
        Tensor x = net.embed(tokens, rows, steps);
        StepOutput out = Recursion.step(net, net.initialCarry(2), x);
        Tensor target = Torch.fromDoubles(new double[] {1, 0}, 2);
        return StableMax.sequenceMeanSum(out.logits(), labels)
                .add(torch.binary_cross_entropy_with_logits(out.qHalt(), target).mul(Torch.scalar(0.5)));
    }

    private static void check(ModelConfig c) {
        Torch.seed(7);
        Network net = Network.init(c, Precision.FP64);
        // q_head starts at zero, puzzle rows blank: give them values so that their gradients flow.
        try (var g = new NoGradGuard()) {
            net.weights().get(Network.Q_WEIGHT).normal_(0, 0.3, null);
        }
        Tensor rows = torch.randn(new long[] {2, c.hiddenSize()}, Device.CPU.options(Precision.FP64.weights)).mul(Torch.scalar(0.1));
        rows.set_requires_grad(true);
        loss(net, rows).backward();

        Random rnd = new Random(1);
        int checked = 0;
        for (Map.Entry<String, Tensor> e : net.weights().entrySet()) {
            checked += compare(e.getKey(), e.getValue(), () -> loss(net, rows), rnd);
        }
        checked += compare("puzzle rows", rows, () -> loss(net, rows), rnd);
        assertTrue(checked > 20, "too few entries checked: " + checked);
    }

    /** Compares 3 random entries of a leaf's gradient with (L(w+h) - L(w-h)) / 2h. */
    private static int compare(String name, Tensor leaf, Supplier<Tensor> f, Random rnd) {
        Tensor grad = leaf.grad();
        if (!grad.defined()) {
            // Only the step embedding rows of unused steps may be untouched; a whole tensor never is.
            throw new AssertionError(name + " got no gradient");
        }
        double[] g = Torch.toDoubles(grad);
        Tensor flat = leaf.detach().view(-1);
        double h = 1e-6;
        for (int k = 0; k < 3; k++) {
            int i = rnd.nextInt((int) flat.numel());
            double w = flat.get(i).item_double();
            flat.get(i).fill_(Torch.scalar(w + h));
            double up = f.get().item_double();
            flat.get(i).fill_(Torch.scalar(w - h));
            double down = f.get().item_double();
            flat.get(i).fill_(Torch.scalar(w));
            double fd = (up - down) / (2 * h);
            assertEquals(fd, g[i], 1e-6 + 1e-5 * Math.abs(fd), name + "[" + i + "]: autograd " + g[i] + " vs finite difference " + fd);
        }
        return 3;
    }

    @Test
    void attentionNetworkGradientsMatchFiniteDifferences() {
        check(Tiny.attention(1, 2, true));
    }

    @Test
    void mlpTNetworkGradientsMatchFiniteDifferences() {
        check(Tiny.mlpT(1, 2));
    }

    /**
     * With T > 1 the gradient is that of the last cycle alone, started from the state the no-grad
     * cycles left: the same as a T=1 step from that state.
     */
    @Test
    void gradientFlowsOnlyThroughTheLastCycle() {
        ModelConfig c3 = Tiny.attention(3, 2, false), c1 = Tiny.attention(1, 2, false);
        Torch.seed(3);
        Network net = Network.init(c3, Precision.FP64);
        Tensor tokens = Torch.fromLongs(TOKENS, 2, 6), labels = Torch.fromLongs(LABELS, 2, 6);
        Tensor rows = net.puzzleRows(Torch.fromLongs(new long[] {1, 2}, 2));

        Tensor x = net.embed(tokens, rows, null);
        StableMax.sequenceMeanSum(Recursion.step(net, net.initialCarry(2), x).logits(), labels).backward();
        Map<String, double[]> full = grads(net);
        net.zeroGrad();

        // Replay the two no-grad cycles by hand, then run a T=1 step of the same weights from there.
        Carry carry = net.initialCarry(2);
        Tensor y = carry.y(), z = carry.z();
        try (var g = new NoGradGuard()) {
            Tensor xd = net.embed(tokens, rows, null);
            for (int cycle = 0; cycle < 2; cycle++) {
                for (int i = 0; i < 2; i++) z = net.f(z, y.add(xd));
                y = net.f(y, z);
            }
        }
        Network one = new Network(c1, Precision.FP64, net.tensors());
        Tensor x1 = one.embed(tokens, rows, null);
        StableMax.sequenceMeanSum(Recursion.step(one, new Carry(y, z), x1).logits(), labels).backward();
        Map<String, double[]> last = grads(one);
        for (String name : full.keySet()) {
            double[] a = full.get(name), b = last.get(name);
            for (int i = 0; i < a.length; i++) assertEquals(b[i], a[i], 1e-12, name);
        }
    }

    private static Map<String, double[]> grads(Network net) {
        Map<String, double[]> m = new TreeMap<>();
        net.weights().forEach((k, v) -> { if (v.grad().defined()) m.put(k, Torch.toDoubles(v.grad())); });
        return m;
    }
}
