package trm4j.train;

import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import trm4j.config.Method;
import trm4j.config.TrainConfig;
import trm4j.data.Prefetcher;
import trm4j.engine.Group;
import trm4j.model.Carry;
import trm4j.model.RecursiveModel;

/**
 * What a training method decides per supervision step (docs/METHOD.md): which rows, what each is
 * fed, its target and weight, and afterwards which rows halt and what carries over. The
 * {@link SupervisionStep} runs the step; the {@link Trainer} owns everything else. Everything
 * here stays on the device: no decision reads a tensor back.
 */
public interface Supervision {
    /**
     * What one supervision step is fed and trained against.
     *
     * @param rows       the samples of the batch (their answers and puzzle ids)
     * @param tokens     the input tokens [B, seq] (DIS: the previous step's prediction, or the input)
     * @param stepIndex  DIS: the step s = 1..N_sup for the step embedding; 0 for none
     * @param carry      (y, z) the step starts from
     * @param target     the labels the step is trained against [B, seq] (DIS: frame s of each path)
     * @param weight     the cross-entropy's weight
     * @param haltWeight the weight of BCE(q_halt, "the prediction is the whole target"); 0 for none
     */
    record Feed(Rows rows, Tensor tokens, int stepIndex, Carry carry, Tensor target, double weight, double haltWeight) {}

    /** The next step's feed; may draw samples from the stream. */
    Feed next(RecursiveModel net, Prefetcher data, long step);

    /**
     * Takes what the step gave: the carry for the next step, which rows halt, the method's metrics.
     *
     * @return how many samples finished (ran their last supervision step), a 0-dim tensor, or null for none
     */
    Tensor took(RecursiveModel net, Feed fed, SupervisionStep.Outcome out, long step, Meter meter);

    /** True between batches, when no state but the stream position needs saving. */
    boolean atBoundary();

    /** The state carried between steps, for a checkpoint (may be empty at a boundary). */
    Map<String, Tensor> state();

    void restore(RecursiveModel net, Map<String, Tensor> state);

    /** The policy of a run's method, for this rank's slice of the batch. */
    static Supervision of(RecursiveModel net, TrainConfig c, Group group) {
        return c.method() instanceof Method.Dis dis ? new DisSupervision(net.config(), c, dis, group)
                : new TrmSupervision(net.config(), c, (Method.Trm) c.method(), group);
    }
}
