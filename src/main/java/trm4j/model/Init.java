package trm4j.model;

import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.engine.Device;
import trm4j.engine.Torch;

/** Initialisers of docs/METHOD.md section 2. */
final class Init {
    private Init() {}

    /**
     * Truncated normal on [-2 std, 2 std] whose standard deviation really is {@code std} (the
     * reference follows JAX here: torch's own trunc_normal_ leaves the std short by about 12%).
     */
    static Tensor truncNormal(Device d, ScalarType type, double std, long... shape) {
        Tensor t = Torch.zeros(d, type, shape);
        if (std == 0) return t;
        double lower = -2, upper = 2, sqrt2 = Math.sqrt(2);
        double a = erf(lower / sqrt2), b = erf(upper / sqrt2), z = (b - a) / 2;
        double c = 1 / Math.sqrt(2 * Math.PI);
        double pdfU = c * Math.exp(-0.5 * lower * lower), pdfL = c * Math.exp(-0.5 * upper * upper);
        double compStd = std / Math.sqrt(1 - (upper * pdfU - lower * pdfL) / z - Math.pow((pdfU - pdfL) / z, 2));
        t.uniform_(a, b, null);
        t.erfinv_();
        t.mul_(Torch.scalar(sqrt2 * compStd));
        t.clamp_(new ScalarOptional(Torch.scalar(lower * compStd)),
                new ScalarOptional(Torch.scalar(upper * compStd)));
        return t;
    }

    /** erf(x) = 1 - erfc(x), erfc by Numerical Recipes' Chebyshev fit (relative error < 1.2e-7): ample for an initialiser. */
    static double erf(double x) {
        double t = 1.0 / (1.0 + 0.5 * Math.abs(x));
        double y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - y : y - 1;
    }
}
