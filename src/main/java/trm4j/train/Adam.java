package trm4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import trm4j.engine.Torch;

/**
 * Adam with decoupled weight decay (p *= 1 - lr*wd), in two forms (SPEC.md sections 4-5):
 * AdamW, whose update is m_hat / (sqrt(v_hat) + eps), and AdamATan2, whose update is
 * atan2(m_hat, sqrt(v_hat)): bounded by pi/2 and free of eps.
 */
public final class Adam {
    private static final double EPS = 1e-8;
    private final boolean atan2;
    private final double beta1, beta2, weightDecay;
    private final Map<String, Tensor> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
    private long t;

    /** Moments are allocated here, once, for every parameter (not inside a step's scope). */
    public Adam(boolean atan2, double beta1, double beta2, double weightDecay, Map<String, Tensor> params) {
        this.atan2 = atan2;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        params.forEach((name, p) -> {
            m.put(name, torch.zeros_like(p));
            v.put(name, torch.zeros_like(p));
        });
    }

    public static Adam of(TrainConfig c, Map<String, Tensor> params) {
        return new Adam(c.optimizer().equals("adam_atan2"), c.beta1(), c.beta2(), c.weightDecay(), params);
    }

    /** One update of every parameter that has a gradient. */
    public void step(Map<String, Tensor> params, double lr) {
        t++;
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            params.forEach((name, p) -> {
                Tensor g = p.grad();
                if (!g.defined()) return;
                Tensor mt = m.get(name), vt = v.get(name);
                mt.mul_(Torch.scalar(beta1)).add_(g, Torch.scalar(1 - beta1));
                vt.mul_(Torch.scalar(beta2)).addcmul_(g, g, Torch.scalar(1 - beta2));
                Tensor mHat = mt.div(Torch.scalar(c1)), vRoot = vt.div(Torch.scalar(c2)).sqrt();
                Tensor update = atan2 ? mHat.atan2(vRoot) : mHat.div(vRoot.add(Torch.scalar(EPS)));
                p.mul_(Torch.scalar(1 - lr * weightDecay)).sub_(update, Torch.scalar(lr));
            });
        }
    }

    /** The moments by name ({@code m.NAME}, {@code v.NAME}) and the step count, for checkpoints. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        m.forEach((k, x) -> s.put("m." + k, x));
        v.forEach((k, x) -> s.put("v." + k, x));
        return s;
    }

    public long stepCount() { return t; }

    public void restore(Map<String, Tensor> state, long stepCount) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            state.forEach((k, x) -> (k.startsWith("m.") ? m : v).get(k.substring(2)).copy_(x));
        }
        t = stepCount;
    }
}
