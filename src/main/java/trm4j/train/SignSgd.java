package trm4j.train;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import trm4j.engine.Torch;

/**
 * Sign-SGD on the rows of the puzzle-embedding table that a batch used (docs/METHOD.md section 4): the
 * gradients of the gathered rows are summed per id, and only those rows change:
 * p = p*(1 - lr*wd) - lr*sign(grad). The table never sees a dense gradient, and nothing is read
 * back: a batch's rows are grouped by id with a [B, B] comparison, not by a host-side map (or
 * {@code unique}, whose output size the device would have to report).
 */
public final class SignSgd {
    private SignSgd() {}

    /**
     * @param table   [ids, D], updated in place
     * @param ids     [B] the batch's puzzle ids, one per row of {@code rowGrad}
     * @param rowGrad [B, D] gradient of the gathered rows
     */
    public static void step(Tensor table, Tensor ids, Tensor rowGrad, double lr, double wd) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            // first[i]: the first row with row i's id. Its slot sums the gradient of every row with that id.
            Tensor first = ids.unsqueeze(1).eq(ids.unsqueeze(0)).to(torch.ScalarType.Byte).argmax(new LongOptional(1), false);
            Tensor summed = torch.zeros_like(rowGrad).index_add_(0, first, rowGrad);
            Tensor rows = table.index_select(0, ids).mul_(Torch.scalar(1 - lr * wd))
                    .sub_(summed.index_select(0, first).sign().to(table.scalar_type().intern()), Torch.scalar(lr));
            table.index_copy_(0, ids, rows);   // rows of one id carry the same value: their order does not matter
        }
    }
}
