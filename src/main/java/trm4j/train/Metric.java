package trm4j.train;

/**
 * A quantity the training step meters, named as a training line of metrics.jsonl names it
 * (docs/METRICS.md): the loss and its cross-entropy, the accuracies, TRM's halting step and head,
 * the samples that finished, and DIS's exact accuracy after each supervision step s.
 */
public record Metric(String name) {
    public static final Metric LOSS = new Metric("loss"), CE = new Metric("ce"), TOKEN_ACC = new Metric("token_acc"),
            EXACT_ACC = new Metric("exact_acc"), HALT_STEPS = new Metric("halt_steps"), Q_HALT_ACC = new Metric("q_halt_acc"),
            SAMPLES = new Metric("samples");

    /** DIS: exact accuracy after supervision step s (1-based). */
    public static Metric stepAcc(int s) {
        return new Metric("step_acc." + s);
    }
}
