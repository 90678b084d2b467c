package trm4j.model;

import trm4j.config.ModelConfig;

/** Small configurations for numerical tests. */
public final class Tiny {
    private Tiny() {}

    public static ModelConfig attention(int T, int n, boolean step) {
        return base().T(T).n(n).stepEmbedding(step).build();
    }

    private static ModelConfig.Builder base() {
        return ModelConfig.builder().hiddenSize(16).heads(2).seqLen(6).vocabSize(5).puzzleEmbLen(2).puzzleIds(3).nSup(4);
    }

    public static ModelConfig mlpT(int T, int n) {
        return base().layers(1).posEncoding(ModelConfig.PosEncoding.NONE).mlpT(true).T(T).n(n).build();
    }
}
