package trm4j.eval;

import trm4j.config.Method;

/**
 * How a model answers held-out data: its {@link Method} decides what each step is fed and which
 * confidence breaks ties between votes; {@code guidance} is the guided-decoding weight w (1 =
 * plain, docs/METHOD.md); {@code batch} rows go through the network at once.
 */
public record Answering(Method method, double guidance, int batch) {
    public Answering {
        if (batch < 1) throw new IllegalArgumentException("batch " + batch);
    }
}
