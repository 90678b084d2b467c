package trm4j.train;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import trm4j.data.Batch;
import trm4j.engine.Device;
import trm4j.engine.TensorRecord;
import trm4j.engine.Torch;
import trm4j.model.Carry;

/** The samples a batch's rows hold, on the device: input tokens [B, seq], answers [B, seq] (PAD as {@link Batch#IGNORE}) and puzzle ids [B]. */
public record Rows(Tensor inputs, Tensor labels, Tensor ids) implements TensorRecord {
    /** A batch of samples on the device: one upload. */
    public static Rows of(Batch b, Device d) {
        return upload(b, d, new long[0]).rows();
    }

    /** A batch of samples on the device, with {@code extra} [n] host values beside it: one upload for all (views into it). */
    static Uploaded upload(Batch b, Device d, long[] extra) {
        int n = b.size() * b.seq();
        long[] all = new long[2 * n + b.size() + extra.length];
        System.arraycopy(b.tokens(), 0, all, 0, n);
        System.arraycopy(b.labels(), 0, all, n, n);
        System.arraycopy(b.puzzleIds(), 0, all, 2 * n, b.size());
        System.arraycopy(extra, 0, all, 2 * n + b.size(), extra.length);
        Tensor t = Torch.fromLongs(d, all, all.length);   // the upload of a batch
        Rows rows = new Rows(t.narrow(0, 0, n).view(b.size(), b.seq()), t.narrow(0, n, n).view(b.size(), b.seq()), t.narrow(0, 2L * n, b.size()));
        return new Uploaded(rows, t.narrow(0, 2L * n + b.size(), extra.length));
    }

    /** A batch's rows, and the extra values uploaded with them. */
    record Uploaded(Rows rows, Tensor extra) {}

    @Override public List<Tensor> tensors() {
        return List.of(inputs, labels, ids);
    }

    /** These rows where {@code take} [B] is false, {@code fresh}'s where it is true. */
    Rows where(Tensor take, Rows fresh) {
        Tensor rowsOf = take.view(-1, 1);
        return new Rows(torch.where(rowsOf, fresh.inputs, inputs), torch.where(rowsOf, fresh.labels, labels), torch.where(take, fresh.ids, ids));
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
}
