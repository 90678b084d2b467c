package trm4j.train;

import trm4j.data.Prefetcher;
import trm4j.engine.Holder;
import trm4j.engine.TensorRecord;
import trm4j.model.RecursiveModel;

/** A policy driven one supervision step at a time, its state held as the trainer holds it. */
final class Driven<S extends TensorRecord> {
    final Supervision<S> policy;
    final Holder<S> state = new Holder<>();
    private Supervision.Begun<S> begun;

    private Driven(Supervision<S> policy) {
        this.policy = policy;
    }

    static <S extends TensorRecord> Driven<S> of(Supervision<S> policy) {
        return new Driven<>(policy);
    }

    Supervision.Feed next(RecursiveModel net, Prefetcher data, long step) {
        begun = policy.begin(state.get(), net, data, step);
        return begun.feed();
    }

    void took(RecursiveModel net, Supervision.Feed fed, SupervisionStep.Outcome out, long step, Meter meter) {
        state.replace(policy.end(begun.state(), net, fed, out, step, meter));
    }
}
