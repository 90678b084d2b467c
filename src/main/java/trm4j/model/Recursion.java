package trm4j.model;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import trm4j.config.ModelConfig;

/** One supervision step of a Tiny Recursive Model (docs/METHOD.md section 3). */
public final class Recursion {
    private Recursion() {}

    /**
     * Runs T cycles of "n latent updates, then one answer update" from the carry; only the last
     * cycle keeps the graph, so backpropagation sees T-1 fewer cycles than the forward pass ran.
     *
     * @param input the input embedding x [B, P+seq, D] (token, puzzle and step embeddings, scaled)
     */
    public static StepOutput step(Network net, Carry carry, Tensor input) {
        ModelConfig c = net.config();
        // The network's own layout for the whole step (mlp_t: positions first); the carry stays [B, S, D].
        Tensor x = net.toWorkLayout(input), y = net.toWorkLayout(carry.y()), z = net.toWorkLayout(carry.z());
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int cycle = 0; cycle < c.T() - 1; cycle++) {   // T-1 cycles without gradient
                for (int i = 0; i < c.n(); i++) z = net.f(z, y.add(x)); // z = f(z, y + x), n times
                y = net.f(y, z);                                         // y = f(y, z)
            }
        }
        for (int i = 0; i < c.n(); i++) z = net.f(z, y.add(x));         // the one cycle with gradient
        y = net.fromWorkLayout(net.f(y, z));
        return new StepOutput(net.lmHead(y), net.qHalt(y), new Carry(y.detach(), net.fromWorkLayout(z.detach())));
    }
}
