package trm4j.model;

/** Small configurations for numerical tests. */
final class Tiny {
    private Tiny() {}

    static ModelConfig attention(int T, int n, boolean step) {
        return new ModelConfig(16, 2, 2, 4.0, 6, 5, 2, 3, 0, "rope", false, T, n, 4, step, 1e-5, 10000.0);
    }

    static ModelConfig mlpT(int T, int n) {
        return new ModelConfig(16, 2, 1, 4.0, 6, 5, 2, 3, 0, "none", true, T, n, 4, false, 1e-5, 10000.0);
    }
}
