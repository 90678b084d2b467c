package trm4j.model;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;

import trm4j.config.Method;
import trm4j.config.ModelConfig;
import trm4j.engine.Autocast;
import trm4j.engine.Scope;
import trm4j.engine.Threads;
import trm4j.engine.Torch;

/**
 * A trained model answering: N_sup supervision steps without gradient (evaluation never halts
 * early, SPEC.md section 4). A DIS model sees its own previous prediction as the next step's input
 * ({@link Method#feedsPrediction}); a TRM model sees the same input at every step.
 *
 * <p>Guided decoding (SPEC.md section 5): the logits before a step are the unconditional ones and
 * those after it the conditional ones; the answer is (1-w)*before + w*after, w = 1 being plain.
 */
public final class Inference {
    private Inference() {}

    /**
     * @param predictions per step s = 1..N_sup, the argmax tokens [B][seq]
     * @param logits      the last step's (guided) logits [B, seq, vocab], float32
     * @param qHalt       the last step's halting logits [B]
     */
    public record Answer(List<byte[][]> predictions, Tensor logits, double[] qHalt) {}

    public static Answer run(RecursiveModel net, long[] tokens, long[] puzzleIds, Method method, double guidance) {
        boolean feedPrediction = method.feedsPrediction();
        Threads.adapt();   // a batch is a step boundary: follow the machine's load
        ModelConfig c = net.config();
        int b = puzzleIds.length, seq = c.seqLen();
        List<byte[][]> predictions = new ArrayList<>();
        Tensor kept = null;
        double[] q = null;
        // Each step runs in its own scope and keeps only what the next one needs (carry, logits,
        // input): one scope around all N_sup steps held every call's output to the end, which
        // multiplied the memory of an ARC evaluation by the number of calls.
        try (NoGradGuard noGrad = new NoGradGuard(); Autocast ac = net.precision().enter(net.device()); State state = new State()) {
            try (Scope scope = Scope.open()) {
                state.input = Scope.own(Torch.fromLongs(net.device(), tokens, b, seq));
                state.rows = Scope.own(net.puzzleRows(Torch.fromLongs(net.device(), puzzleIds, b)));
                state.carry = net.initialCarry(b).kept();
                state.before = Scope.own(net.lmHead(state.carry.y()).to(ScalarType.Float));
            }
            for (int s = 1; s <= c.nSup(); s++) {
                try (Scope scope = Scope.open()) {
                    Tensor steps = torch.full(new long[] {b}, Torch.scalar(s), net.device().options(ScalarType.Long));
                    StepOutput out = net.step(state.carry, state.input, state.rows, steps);
                    Tensor after = out.logits().to(ScalarType.Float);
                    Tensor logits = guided(state.before, after, guidance);
                    Tensor argmax = logits.argmax(new org.bytedeco.pytorch.LongOptional(-1), false);
                    predictions.add(rows(argmax));
                    state.next(out.carry().kept(), Scope.own(after), feedPrediction ? Scope.own(argmax) : null);
                    if (s == c.nSup()) {
                        q = Torch.toDoubles(out.qHalt());
                        kept = Scope.own(logits.contiguous());
                    }
                }
            }
        }
        return new Answer(predictions, kept, q);
    }

    /** Guided decoding: (1-w) x the logits before a step + w x the logits after it; w = 1 is plain. */
    static Tensor guided(Tensor before, Tensor after, double w) {
        return w == 1.0 ? after : before.mul(Torch.scalar(1 - w)).add(after.mul(Torch.scalar(w)));
    }

    /** The tensors carried from one step to the next, owned here and freed when replaced. */
    private static final class State implements AutoCloseable {
        Tensor input, rows, before;
        Carry carry;

        void next(Carry carry, Tensor before, Tensor input) {
            this.carry.close();
            this.before.close();
            this.carry = carry;
            this.before = before;
            if (input != null) {
                this.input.close();
                this.input = input;
            }
        }

        @Override public void close() {
            if (input != null) input.close();
            if (rows != null) rows.close();
            if (before != null) before.close();
            if (carry != null) carry.close();
        }
    }

    /** Token ids [B, seq] (long) as byte rows. */
    public static byte[][] rows(Tensor tokens) {
        int b = (int) tokens.size(0), seq = (int) tokens.size(1);
        long[] flat = Torch.toLongs(tokens);
        byte[][] out = new byte[b][seq];
        for (int i = 0; i < b; i++) for (int j = 0; j < seq; j++) out[i][j] = (byte) flat[i * seq + j];
        return out;
    }
}
