package trm4j.model;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.engine.Autocast;
import trm4j.engine.Torch;

/**
 * A trained model answering: N_sup supervision steps without gradient (evaluation never halts
 * early, SPEC.md section 4). A DIS model sees its own previous prediction as the next step's input
 * ({@code feedPrediction}); a TRM model sees the same input at every step.
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

    public static Answer run(Network net, long[] tokens, long[] puzzleIds, boolean feedPrediction, double guidance) {
        ModelConfig c = net.config();
        int b = puzzleIds.length, seq = c.seqLen();
        List<byte[][]> predictions = new ArrayList<>();
        Tensor kept;
        double[] q;
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard();
             Autocast ac = net.precision().enter()) {
            Tensor input = Torch.fromLongs(tokens, b, seq), ids = Torch.fromLongs(puzzleIds, b);
            Tensor rows = net.puzzleRows(ids);
            Carry carry = net.initialCarry(b);
            Tensor before = net.lmHead(carry.y()).to(ScalarType.Float);
            Tensor logits = before;
            StepOutput out = null;
            for (int s = 1; s <= c.nSup(); s++) {
                Tensor steps = torch.full(new long[] {b}, Torch.scalar(s), Torch.options(ScalarType.Long));
                out = Recursion.step(net, carry, net.embed(input, rows, steps));
                Tensor after = out.logits().to(ScalarType.Float);
                logits = guidance == 1.0 ? after : before.mul(Torch.scalar(1 - guidance)).add(after.mul(Torch.scalar(guidance)));
                before = after;
                carry = out.carry();
                Tensor argmax = logits.argmax(new org.bytedeco.pytorch.LongOptional(-1), false);
                predictions.add(rows(argmax));
                if (feedPrediction) input = argmax;
            }
            q = Torch.toDoubles(out.qHalt());
            kept = Torch.keep(logits.contiguous());
        }
        return new Answer(predictions, kept, q);
    }

    /** Token ids [B, seq] (long) as byte rows. */
    public static byte[][] rows(Tensor tokens) {
        int b = (int) tokens.size(0), seq = (int) tokens.size(1);
        long[] flat = new long[b * seq];
        tokens.contiguous().data_ptr_long().get(flat);
        byte[][] out = new byte[b][seq];
        for (int i = 0; i < b; i++) for (int j = 0; j < seq; j++) out[i][j] = (byte) flat[i * seq + j];
        return out;
    }
}
