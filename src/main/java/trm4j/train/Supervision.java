package trm4j.train;

import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import trm4j.config.TrainConfig;
import trm4j.data.Prefetcher;
import trm4j.engine.Group;
import trm4j.engine.TensorRecord;
import trm4j.model.Carry;
import trm4j.model.RecursiveModel;

/**
 * What a training method decides per supervision step (docs/METHOD.md): which rows, what each is
 * fed, its target and weight, and afterwards which rows halt and what carries over. Its state
 * {@code S} (rows, carry, counters) is one value: {@link #begin} and {@link #end} each return a new
 * one, and the {@link Trainer} holds it from one step to the next. The {@link SupervisionStep} runs
 * the step in between. Everything stays on the device: no decision reads a tensor back.
 *
 * <p>{@link #of} makes the policy of a run's method; another policy (a variant of a method) runs
 * through {@link Trainer#Trainer(trm4j.model.Network, TrainConfig, trm4j.data.TrainingSet, Group, Supervision)}.
 */
public interface Supervision<S extends TensorRecord> {
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

    /** A step's feed and the state it starts from (rows refilled, carries reset). */
    record Begun<S>(Feed feed, S state) {}

    /**
     * The next step: draws from the stream what it needs.
     *
     * @param state the state the previous step left; null at the start of a run and between batches
     */
    Begun<S> begin(S state, RecursiveModel net, Prefetcher data, long step);

    /**
     * The state after a step: its carry, the rows' counters. The method's metrics go to the meter,
     * with "samples": the samples that ran their last supervision step.
     *
     * @param begun the state the step started from
     * @return null when nothing carries over (between batches)
     */
    S end(S begun, RecursiveModel net, Feed fed, SupervisionStep.Outcome out, long step, Meter meter);

    /** Whether a checkpoint taken with this state resumes exactly (DIS: only between batches). */
    boolean atBoundary(S state);

    /** The state as a checkpoint holds it (gathered from the ranks: every rank takes part); empty when there is none. */
    Map<String, Tensor> save(S state);

    /** The state a checkpoint holds, for this rank; null for none. */
    S restore(RecursiveModel net, Map<String, Tensor> saved);

    /** The policy of a run's method, for this rank's slice of the batch. */
    static Supervision<?> of(RecursiveModel net, TrainConfig c, Group group) {
        RankSlice slice = RankSlice.of(c.batch(), group);
        return c.method().match(trm -> new TrmSupervision(net.config(), slice, trm, c.seed(), group, null),
                dis -> new DisSupervision(net.config(), slice, dis, c.seed(), null));
    }
}
