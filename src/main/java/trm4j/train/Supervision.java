package trm4j.train;

import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import trm4j.data.Prefetcher;
import trm4j.model.Network;

/**
 * What a training method decides per supervision step: which samples, which input, which target,
 * which rows carry on. The {@link Trainer} owns everything else (optimisers, checkpoints, metrics).
 */
interface Supervision {
    /**
     * One supervision step up to the gradients (forward and backward, see {@link MicroBatches}).
     *
     * @return the loss (already divided by the batch size), the gathered puzzle rows (a leaf
     *         whose gradient sign-SGD applies to the rows' ids) and how many samples finished
     */
    Step forward(Network net, Prefetcher data, long step, Meter meter);

    record Step(double loss, Tensor puzzleRows, long[] ids, int finished) {}

    /** True between batches, when no state but the stream position needs saving. */
    boolean atBoundary();

    /** The state carried between steps, for a checkpoint (may be empty at a boundary). */
    Map<String, Tensor> state();

    void restore(Network net, Map<String, Tensor> state);
}
