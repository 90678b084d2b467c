package trm4j.model;

import java.util.List;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.config.Method;
import trm4j.config.ModelConfig;
import trm4j.engine.Autocast;
import trm4j.engine.Draws;
import trm4j.engine.Holder;
import trm4j.engine.Scope;
import trm4j.engine.TensorRecord;
import trm4j.engine.Threads;
import trm4j.engine.Torch;

/**
 * A trained model answering: N_sup supervision steps without gradient (evaluation never halts
 * early, docs/METHOD.md). A DIS model sees its own previous prediction as the next step's input
 * ({@link Method#feedsPrediction}); a TRM model sees the same input at every step.
 *
 * <p>Guided decoding: the logits before a step are the unconditional ones and those after it the
 * conditional ones; the answer is (1-w)*before + w*after, w = 1 being plain.
 *
 * <p>The steps stay on the device; the answers of all of them are read back once, at the end.
 * Nothing native outlives a call.
 */
public final class Inference {
    private Inference() {}

    /**
     * @param predictions per step s = 1..N_sup (index s-1), the argmax tokens [B][seq]
     * @param qHalt       per step, the halting logits [B]
     * @param cells       per position of the last step [B*seq], the stable-max probability of its most likely token; null unless asked for
     */
    public record Answer(byte[][][] predictions, double[][] qHalt, double[] cells) {}

    /** @param cellProbabilities also compute {@link Answer#cells} (DIS's voting confidence) */
    public static Answer run(RecursiveModel net, long[] tokens, long[] puzzleIds, Method method, double guidance, boolean cellProbabilities) {
        return run(net, tokens, puzzleIds, 0, method, guidance, cellProbabilities, Sampling.NONE);
    }

    /**
     * The same with sampled trajectories: the answer's rows are the puzzles' copies, puzzle i's
     * sample k at row i x samples + k.
     *
     * @param first the index of the batch's first puzzle in its set: a copy's noise is drawn from the seed, its
     *              puzzle's index and its copy number, so that any batching or split over ranks gives the same answers,
     *              and the first K samples are the same for any larger K
     */
    public static Answer run(RecursiveModel net, long[] tokens, long[] puzzleIds, long first, Method method, double guidance, boolean cellProbabilities,
                             Sampling sampling) {
        int k = sampling.samples();
        return runCopies(net, copies(tokens, net.config().seqLen(), k), copies(puzzleIds, 1, k), first, method, guidance, cellProbabilities, sampling);
    }

    /**
     * The same on copies made by the caller, each with its own input (puzzle i's copy k at row i x samples + k): the
     * copies of {@link Sampling#augment}, each under its own symmetry.
     */
    public static Answer runCopies(RecursiveModel net, long[] tokens, long[] puzzleIds, long first, Method method, double guidance,
                                   boolean cellProbabilities, Sampling sampling) {
        Threads.adapt();   // a batch is a step boundary: follow the machine's load
        ModelConfig c = net.config();
        int seq = c.seqLen(), nSup = c.nSup(), b = puzzleIds.length;
        try (Scope call = Scope.open(); NoGradGuard noGrad = new NoGradGuard(); Autocast ac = net.precision().enter(net.device());
             Holder<Carried> state = new Holder<>()) {
            Tensor rows = net.puzzleRows(Torch.fromLongs(net.device(), puzzleIds, b));
            Tensor slots = sampling.noisy() ? Torch.fromLongs(net.device(), slots(first, b, sampling.samples()), b) : null;   // one upload; every step's draws reuse it
            Carry start = net.initialCarry(b);
            state.replace(new Carried(Torch.fromLongs(net.device(), tokens, b, seq), net.lmHead(start.y()).to(ScalarType.Float), start));
            Tensor logits = null;
            TensorVector argmaxes = new TensorVector(), halts = new TensorVector();
            for (int s = 1; s <= nSup; s++) {
                // Each step in its own scope, keeping only what the next one needs (carry, logits, input): the
                // memory of an evaluation stays that of one step, not of N_sup network calls.
                try (Scope step = Scope.open()) {
                    Carried at = state.get();
                    Tensor ids = torch.full(new long[] {b}, Torch.scalar(s), net.device().options(ScalarType.Long));
                    Carry from = sampling.noisy() ? noised(at.carry, sampling, s, slots) : at.carry;
                    StepOutput out = net.step(from, at.input, rows, ids);
                    Tensor after = out.logits().to(ScalarType.Float);
                    Tensor guided = guided(at.before, after, guidance);
                    Tensor argmax = guided.argmax(new LongOptional(-1), false);
                    argmaxes.push_back(step.handOut(argmax));
                    halts.push_back(step.handOut(out.qHalt().to(ScalarType.Double)));
                    state.replace(new Carried(method.feedsPrediction() ? argmax : at.input, after, out.carry()));
                    if (s == nSup) logits = step.handOut(guided);
                }
            }
            // The one read of a batch: every step's answer and halting logit.
            long[] flat = Torch.toLongs(torch.stack(argmaxes));
            double[] q = Torch.toDoubles(torch.stack(halts));
            double[] cells = cellProbabilities ? Torch.toDoubles(StableMax.logProbs(logits).amax(new long[] {-1}, false).exp()) : null;
            byte[][][] predictions = new byte[nSup][b][seq];
            double[][] qHalt = new double[nSup][b];
            for (int s = 0; s < nSup; s++)
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < seq; j++) predictions[s][i][j] = (byte) flat[(s * b + i) * seq + j];
                    qHalt[s][i] = q[s * b + i];
                }
            return new Answer(predictions, qHalt, cells);
        }
    }

    /** What one step hands the next: its input tokens, the logits before it (for guidance), and (y, z). */
    private record Carried(Tensor input, Tensor before, Carry carry) implements TensorRecord {
        @Override public List<Tensor> tensors() {
            return List.of(input, before, carry.y(), carry.z());
        }
    }

    /** Each row of a [rows, width] array {@code k} times in a row. */
    public static long[] copies(long[] rows, int width, int k) {
        long[] out = new long[rows.length * k];
        for (int r = 0; r < rows.length / width; r++)
            for (int j = 0; j < k; j++) System.arraycopy(rows, r * width, out, (r * k + j) * width, width);
        return out;
    }

    /** Noise slots per puzzle: fixed apart from {@link Sampling#MAX_SAMPLES}, so that a seed's samples stay the same if that bound moves. */
    private static final long SLOTS_PER_PUZZLE = 1024;

    /** Each row's slot of noise: puzzle (first + r / k) x {@link #SLOTS_PER_PUZZLE} + copy (r mod k). */
    static long[] slots(long first, int rows, int k) {
        long[] out = new long[rows];
        for (int r = 0; r < rows; r++) out[r] = (first + r / k) * SLOTS_PER_PUZZLE + r % k;
        return out;
    }

    /** The carry with Gaussian noise of the sampling's scale on z (and y): step s's draws for each row's slot, on the device. */
    static Carry noised(Carry carry, Sampling sampling, int s, Tensor slots) {
        Tensor z = carry.z().add(gaussian(carry.z(), Draws.key(sampling.seed(), 0x5A3L, s), slots, sampling.noise()));
        Tensor y = sampling.noiseY() ? carry.y().add(gaussian(carry.y(), Draws.key(sampling.seed(), 0x5A4L, s), slots, sampling.noise())) : carry.y();
        return new Carry(y, z);
    }

    /** Noise like {@code like} [rows, ...], Box-Muller over {@link Draws}: value j of a row takes draws 2j and 2j + 1 of its slot's own. */
    private static Tensor gaussian(Tensor like, long key, Tensor slots, double sigma) {
        long n = like.numel(), perRow = n / like.size(0);
        Tensor counters = slots.mul(Torch.scalar(2 * perRow)).unsqueeze(1)
                .add(torch.arange(Torch.scalar(2 * perRow), slots.options()).unsqueeze(0));
        Tensor u = Draws.uniform(key, counters).view(n, 2);
        Tensor radius = torch.log1p(u.select(1, 0).neg()).mul(Torch.scalar(-2.0)).sqrt();   // 1 - u in (0, 1]: no log of 0
        Tensor normal = radius.mul(u.select(1, 1).mul(Torch.scalar(2 * Math.PI)).cos());
        return normal.mul(Torch.scalar(sigma)).view(like.sizes()).to(like.scalar_type().intern());
    }

    /** Guided decoding: (1-w) x the logits before a step + w x the logits after it; w = 1 is plain. */
    static Tensor guided(Tensor before, Tensor after, double w) {
        return w == 1.0 ? after : before.mul(Torch.scalar(1 - w)).add(after.mul(Torch.scalar(w)));
    }
}
