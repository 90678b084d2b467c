package trm4j.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import trm4j.checkpoint.CheckpointException;
import trm4j.config.TrainConfig;
import trm4j.engine.Scope;
import trm4j.engine.Torch;

/**
 * Adam with decoupled weight decay (p *= 1 - lr*wd), in two forms (docs/METHOD.md sections 4-5):
 * AdamW, whose update is m_hat / (sqrt(v_hat) + eps), and AdamATan2 as the {@code adam-atan2} package
 * the references train with computes it: atan2(m, sqrt(v_hat)) / (1 - beta1^t), the first bias
 * correction in the step size rather than inside the atan2 (at the first steps the two differ by up to
 * 10x); free of eps.
 *
 * <p>The parameters that receive gradients live in one flat buffer, and so do their gradients and
 * moments (each parameter and its gradient become views into them at the first step). An update
 * is then about ten passes over one tensor instead of ten small ops per parameter: libtorch's
 * multi-tensor {@code _foreach_} ops would do the same, but the Java mapping has none. A parameter
 * that never gets a gradient (DIS's q head) is left alone, weight decay included, as in PyTorch.
 */
public final class Adam {
    private static final double EPS = 1e-8;
    private final boolean atan2;
    private final double beta1, beta2, weightDecay;
    private final Map<String, Tensor> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private Tensor flatParams, flatGrads, flatM, flatV;   // set at the first step
    private Map<String, Tensor> bound;                    // the parameters the buffers were built for
    private long t;

    public Adam(boolean atan2, double beta1, double beta2, double weightDecay, Map<String, Tensor> params) {
        this.atan2 = atan2;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        // Moments start as separate zeros so that a checkpoint can be restored before the first step.
        params.forEach((name, p) -> {
            m.put(name, torch.zeros_like(p));
            v.put(name, torch.zeros_like(p));
            shapes.put(name, Torch.shape(p));
        });
    }

    public static Adam of(TrainConfig c, Map<String, Tensor> params) {
        return new Adam(c.optimizer() == TrainConfig.Optimizer.ADAM_ATAN2, c.beta1(), c.beta2(), c.weightDecay(), params);
    }

    /** One update of every parameter that has a gradient. */
    public void step(Map<String, Tensor> params, double lr) {
        if (bound != params) flatten(params);
        if (flatParams == null) return;   // nothing has a gradient yet
        t++;
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor g = flatGrads;
            flatM.mul_(Torch.scalar(beta1)).add_(g, Torch.scalar(1 - beta1));
            flatV.mul_(Torch.scalar(beta2)).addcmul_(g, g, Torch.scalar(1 - beta2));
            Tensor vRoot = flatV.div(Torch.scalar(c2)).sqrt_();
            Tensor update = atan2 ? flatM.atan2(vRoot) : flatM.div(Torch.scalar(c1)).div_(vRoot.add_(Torch.scalar(EPS)));
            flatParams.mul_(Torch.scalar(1 - lr * weightDecay)).sub_(update, Torch.scalar(atan2 ? lr / c1 : lr));
        }
    }

    /** The gradients of the parameters this optimiser updates, as one flat tensor (null before any has one): one all-reduce sums them over ranks. */
    public Tensor gradients(Map<String, Tensor> params) {
        if (bound != params) flatten(params);
        return flatGrads;
    }

    /** Clears the gradients of the parameters this optimiser updates (one pass over the flat buffer). */
    public void zeroGrad(Map<String, Tensor> params) {
        if (bound == params && flatGrads != null) {
            flatGrads.zero_();
            return;
        }
        for (Tensor p : params.values()) if (p.grad().defined()) p.grad().zero_();
    }

    /**
     * Moves the parameters that have a gradient, their gradients and their moments into flat
     * buffers; each tensor becomes a view of its slice (set_data keeps the parameter the same
     * autograd leaf, so the network and checkpoints see no difference).
     */
    private void flatten(Map<String, Tensor> params) {
        List<String> names = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            if (!e.getValue().grad().defined()) continue;
            names.add(e.getKey());
            total += e.getValue().numel();
        }
        if (names.isEmpty()) return;
        Tensor first = params.get(names.get(0));
        // The buffers and the moments' views outlive the step that creates them (it may run in a scope).
        Tensor fp = Scope.own(torch.empty(new long[] {total}, first.options(), null)), fg = Scope.own(torch.empty_like(fp)),
                fm = Scope.own(torch.empty_like(fp)), fv = Scope.own(torch.empty_like(fp));
        try (NoGradGuard noGrad = new NoGradGuard()) {
            long at = 0;
            for (String name : names) {
                Tensor p = params.get(name);
                long n = p.numel();
                long[] shape = shapes.get(name);
                Tensor ps = fp.narrow(0, at, n).view(shape), gs = fg.narrow(0, at, n).view(shape);
                Tensor ms = Scope.own(fm.narrow(0, at, n).view(shape)), vs = Scope.own(fv.narrow(0, at, n).view(shape));
                ps.copy_(p.detach());
                gs.copy_(p.grad());
                ms.copy_(m.get(name));
                vs.copy_(v.get(name));
                p.__dispatch_set_data(ps);
                p.mutable_grad().put(gs);
                m.put(name, ms);
                v.put(name, vs);
                at += n;
            }
        }
        flatParams = fp;
        flatGrads = fg;
        flatM = fm;
        flatV = fv;
        bound = params;
    }

    /** The moments by name ({@code m.NAME}, {@code v.NAME}) and the step count, for checkpoints. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        m.forEach((k, x) -> s.put("m." + k, x));
        v.forEach((k, x) -> s.put("v." + k, x));
        return s;
    }

    public long stepCount() { return t; }

    /** The moments of a checkpoint: every one this optimiser has, of its shape, and no other; else a {@link CheckpointException}. */
    public void restore(Map<String, Tensor> state, long stepCount) {
        for (Map.Entry<String, Tensor> e : state().entrySet()) {
            Tensor saved = state.get(e.getKey());
            if (saved == null) throw new CheckpointException("the checkpoint has no optimiser moment adam." + e.getKey() + ": it cannot resume exactly");
            if (!Arrays.equals(Torch.shape(saved), Torch.shape(e.getValue())))
                throw new CheckpointException("optimiser moment adam." + e.getKey() + " has shape " + Arrays.toString(Torch.shape(saved)) + ", the network needs "
                        + Arrays.toString(Torch.shape(e.getValue())));
        }
        for (String k : state.keySet())
            if (!k.startsWith("m.") && !k.startsWith("v.") || !(k.startsWith("m.") ? m : v).containsKey(k.substring(2)))
                throw new CheckpointException("optimiser moment adam." + k + " belongs to no weight of this network");
        try (NoGradGuard noGrad = new NoGradGuard()) {
            state.forEach((k, x) -> (k.startsWith("m.") ? m : v).get(k.substring(2)).copy_(x));
        }
        t = stepCount;
    }
}
