package trm4j.train;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import trm4j.data.Batch;
import trm4j.engine.Device;
import trm4j.engine.Scope;
import trm4j.engine.Torch;
import trm4j.model.Carry;

/**
 * The samples a batch's rows hold, on the device: input tokens [B, seq], answers [B, seq] (PAD as
 * {@link Batch#IGNORE}) and puzzle ids [B]. Owned: the holder closes them.
 */
public record Rows(Tensor inputs, Tensor labels, Tensor ids) implements AutoCloseable {
    /** A batch of samples moved to the device: the one host-to-device copy of a batch. */
    public static Rows of(Batch b, Device d) {
        return new Rows(Scope.own(Torch.fromLongs(d, b.tokens(), b.size(), b.seq())),
                Scope.own(Torch.fromLongs(d, b.labels(), b.size(), b.seq())), Scope.own(Torch.fromLongs(d, b.puzzleIds(), b.size())));
    }

    /** These rows where {@code take} [B] is false, {@code fresh}'s where it is true. */
    Rows where(Tensor take, Rows fresh) {
        Tensor rowsOf = take.view(-1, 1);
        return new Rows(Scope.own(torch.where(rowsOf, fresh.inputs, inputs)), Scope.own(torch.where(rowsOf, fresh.labels, labels)),
                Scope.own(torch.where(take, fresh.ids, ids)));
    }

    /** [B] true where a prediction [B, seq] has every non-ignored answer token (docs/METHOD.md section 6). */
    Tensor exact(Tensor predicted) {
        return exact(predicted, labels);
    }

    /** [B] true where a prediction has every non-ignored token of a target. */
    static Tensor exact(Tensor predicted, Tensor target) {
        return predicted.eq(target).logical_or(target.eq(Torch.scalar(Batch.IGNORE))).all(1);
    }

    /** The non-ignored answer tokens a prediction gets right, and how many there are: two 0-dim tensors. */
    Tensor[] tokens(Tensor predicted) {
        Tensor valid = labels.ne(Torch.scalar(Batch.IGNORE));
        return new Tensor[] {predicted.eq(labels).logical_and(valid).sum(), valid.sum()};
    }

    /** Row-wise selection of a carry: {@code fresh}'s rows where {@code take} [B] is true. */
    static Carry where(Tensor take, Carry fresh, Carry old) {
        Tensor m = take.view(-1, 1, 1);
        return new Carry(torch.where(m, fresh.y(), old.y()), torch.where(m, fresh.z(), old.z()));
    }

    @Override public void close() {
        inputs.close();
        labels.close();
        ids.close();
    }
}
