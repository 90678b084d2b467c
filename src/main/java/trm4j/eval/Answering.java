package trm4j.eval;

import trm4j.config.Method;
import trm4j.model.Sampling;

/**
 * How a model answers held-out data: its {@link Method} decides what each step is fed and which
 * confidence breaks ties between votes; {@code guidance} is the guided-decoding weight w (1 =
 * plain, docs/METHOD.md); {@code batch} puzzles go through the network at once, each as
 * {@code sampling}'s copies, one of which {@code select} chooses.
 */
public record Answering(Method method, double guidance, int batch, Sampling sampling, Selection select) {
    public Answering {
        if (batch < 1) throw new IllegalArgumentException("batch " + batch);
    }

    /** One deterministic trajectory per puzzle. */
    public Answering(Method method, double guidance, int batch) {
        this(method, guidance, batch, Sampling.NONE, Selection.VOTE);
    }
}
