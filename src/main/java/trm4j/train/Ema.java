package trm4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import trm4j.engine.Torch;

/** Exponential moving average of the weights (TRM evaluates with it): e = d*e + (1-d)*w. */
public final class Ema {
    private final double decay;
    private final Map<String, Tensor> shadow = new LinkedHashMap<>();

    public Ema(double decay, Map<String, Tensor> weights) {
        this.decay = decay;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            weights.forEach((k, w) -> shadow.put(k, w.detach().clone()));
        }
    }

    public void update(Map<String, Tensor> weights) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            weights.forEach((k, w) -> shadow.get(k).lerp_(w, Torch.scalar(1 - decay)));
        }
    }

    public Map<String, Tensor> weights() { return shadow; }

    public void restore(Map<String, Tensor> saved) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            saved.forEach((k, w) -> shadow.get(k).copy_(w));
        }
    }
}
