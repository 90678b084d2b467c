package trm4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.config.ModelConfig;
import trm4j.engine.Device;
import trm4j.engine.Precision;
import trm4j.engine.Torch;

/**
 * A stand-in network for wiring tests: it records what every step received and answers with
 * logits and halting logits the test scripts. Its carry is a marker: y0 = -1 (z0 = -2), and the
 * carry after call k (0-based) is k+1 (z: -(k+1)) everywhere, so a test can tell where a row's
 * state came from. Puzzle rows are the puzzle ids themselves, so a test can tell which sample a
 * row holds.
 */
public final class RecordingModel implements RecursiveModel {
    /** What one step received. */
    public record Call(long[] tokens, long[] stepIds, double[] carryY, double[] puzzleIds) {}

    /** The answer of call k to its tokens [B][seq]: logits [B][seq][vocab]. */
    public interface Logits {
        double[][][] of(int call, long[][] tokens);
    }

    /** The halting logits of call k, [B]. */
    public interface Halting {
        double[] of(int call, int rows);
    }

    public final List<Call> calls = new ArrayList<>();
    private final ModelConfig config;
    private final Logits logits;
    private final Halting halting;
    private final double[][][] before;

    /** @param before the logits of y0 (guided decoding's first "before"), or null */
    public RecordingModel(ModelConfig config, Logits logits, Halting halting, double[][][] before) {
        this.config = config;
        this.logits = logits;
        this.halting = halting;
        this.before = before;
    }

    @Override public ModelConfig config() { return config; }

    @Override public Precision precision() { return Precision.FP64; }

    @Override public Device device() { return Device.CPU; }

    @Override public Carry initialCarry(long batch) {
        long[] shape = {batch, config.totalSeqLen(), config.hiddenSize()};
        return new Carry(filled(-1, shape), filled(-2, shape));
    }

    @Override public Tensor puzzleRows(Tensor ids) {
        return ids.to(ScalarType.Double).unsqueeze(1).detach();
    }

    @Override public StepOutput step(Carry carry, Tensor tokens, Tensor puzzleRows, Tensor stepIds) {
        int b = (int) tokens.size(0), seq = (int) tokens.size(1), k = calls.size();
        long[] flat = Torch.toLongs(tokens);
        double[] y = Torch.toDoubles(carry.y()), firstOfRow = new double[b];
        for (int i = 0; i < b; i++) firstOfRow[i] = y[i * (y.length / b)];
        calls.add(new Call(flat, stepIds == null ? null : Torch.toLongs(stepIds), firstOfRow, Torch.toDoubles(puzzleRows)));
        long[][] rows = new long[b][seq];
        for (int i = 0; i < b; i++) System.arraycopy(flat, i * seq, rows[i], 0, seq);
        Tensor l = tensor(logits.of(k, rows));
        l.set_requires_grad(true);
        long[] shape = Torch.shape(carry.y());
        return new StepOutput(l, Torch.fromDoubles(halting.of(k, b), b), new Carry(filled(k + 1, shape), filled(-(k + 1), shape)));
    }

    @Override public Tensor lmHead(Tensor y) {
        return tensor(before);
    }

    public static Tensor tensor(double[][][] v) {
        int b = v.length, s = v[0].length, n = v[0][0].length;
        double[] flat = new double[b * s * n];
        for (int i = 0; i < b; i++) for (int j = 0; j < s; j++) System.arraycopy(v[i][j], 0, flat, (i * s + j) * n, n);
        return Torch.fromDoubles(flat, b, s, n);
    }

    /** Logits that make {@code token} the argmax with a margin. */
    public static double[] oneHot(long token, int vocab) {
        double[] l = new double[vocab];
        l[(int) token] = 4;
        return l;
    }

    private static Tensor filled(double v, long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] a = new double[(int) n];
        Arrays.fill(a, v);
        return Torch.fromDoubles(a, shape);
    }
}
