package trm4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import trm4j.engine.Torch;

/**
 * Sign-SGD on the rows of the puzzle-embedding table that a batch used (SPEC.md section 4): the
 * gradients of the gathered rows are summed per id, and only those rows change:
 * p = p*(1 - lr*wd) - lr*sign(grad). The table never sees a dense gradient.
 */
public final class SignSgd {
    private SignSgd() {}

    /**
     * @param table   [ids, D], updated in place
     * @param ids     the batch's puzzle ids, one per row of {@code rowGrad}
     * @param rowGrad [B, D] gradient of the gathered rows
     */
    public static void step(Tensor table, long[] ids, Tensor rowGrad, double lr, double wd) {
        Map<Long, Integer> slot = new LinkedHashMap<>();
        long[] inverse = new long[ids.length];
        for (int i = 0; i < ids.length; i++) inverse[i] = slot.computeIfAbsent(ids[i], k -> slot.size());
        long[] unique = slot.keySet().stream().mapToLong(Long::longValue).toArray();
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Tensor at = Torch.fromLongs(unique, unique.length);
            Tensor summed = Torch.zeros(rowGrad.scalar_type().intern(), unique.length, rowGrad.size(1))
                    .index_add_(0, Torch.fromLongs(inverse, inverse.length), rowGrad);
            Tensor rows = table.index_select(0, at).mul_(Torch.scalar(1 - lr * wd))
                    .sub_(summed.sign().to(table.scalar_type().intern()), Torch.scalar(lr));
            table.index_copy_(0, at, rows);
        }
    }
}
