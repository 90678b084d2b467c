package trm4j.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.engine.Device;
import trm4j.engine.Scope;
import trm4j.engine.Torch;

/**
 * Rotary position embeddings ("rotate half", docs/METHOD.md section 2) for q and k at once, as tables
 * [S, 2, 1, hd] (row 0 for q, row 1 for k). rotate_half(x) = [-x2, x1] is a roll of x by half a
 * head times a sign, so the sign goes into the sin table and a rotation is two passes over memory:
 * x*cos + roll(x)*sin. q's rows also carry the attention scale 1/sqrt(hd).
 */
record Rope(Tensor cos, Tensor sin) {

    /** Tables for {@code positions} positions of head size {@code headDim}; q's rows scaled by {@code qScale}. */
    static Rope of(int positions, int headDim, double theta, double qScale, ScalarType type, Device d) {
        int half = headDim / 2, row = 2 * headDim;
        double[] cos = new double[positions * row], sin = new double[positions * row];
        for (int pos = 0; pos < positions; pos++) {
            for (int i = 0; i < half; i++) {
                double a = pos / Math.pow(theta, (2.0 * i) / headDim);
                for (int qk = 0; qk < 2; qk++) {
                    double scale = qk == 0 ? qScale : 1;
                    int at = pos * row + qk * headDim + i;
                    cos[at] = cos[at + half] = scale * Math.cos(a);
                    sin[at] = -scale * Math.sin(a);      // multiplies x2 in the first half: -x2 sin
                    sin[at + half] = scale * Math.sin(a);  // multiplies x1 in the second half: +x1 sin
                }
            }
        }
        // Owned by the network that holds them, for its life.
        return new Rope(Scope.own(Torch.fromDoubles(d, cos, positions, 2, 1, headDim).to(type)),
                Scope.own(Torch.fromDoubles(d, sin, positions, 2, 1, headDim).to(type)));
    }

    /** q and k as [B, S, 2, H, hd] rotated (q also scaled), in x's type; computed in the tables' type. */
    Tensor apply(Tensor x) {
        ScalarType in = x.scalar_type().intern();
        Tensor rolled = x.roll(new long[] {x.size(-1) / 2}, -1);   // [x2, x1]
        return torch.addcmul(x.mul(cos), rolled, sin).to(in);
    }

    /** Without rotary embeddings: [q scale, 1] to multiply [B, S, 2, H, hd] by. */
    static Tensor qScale(double scale, ScalarType type, Device d) {
        return Torch.fromDoubles(d, new double[] {scale, 1}, 2, 1, 1).to(type);
    }
}
