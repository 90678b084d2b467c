package trm4j.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import trm4j.UserError;

/**
 * The network and its recursion (docs/METHOD.md sections 2-3). Presets are JSON files under
 * {@code resources/trm4j/presets}; see {@link Presets}.
 *
 * @param hiddenSize    D
 * @param heads         H (head dim D/H)
 * @param layers        L, blocks in the one shared network f
 * @param expansion     SwiGLU expansion (inner = (2/3)*expansion*width, rounded up to a multiple of 256)
 * @param seqLen        tokens per sample (without the puzzle-embedding prefix)
 * @param vocabSize     token vocabulary
 * @param puzzleEmbLen  P, prefix positions that hold the puzzle embedding in slot 0
 * @param puzzleIds     rows of the puzzle-embedding table (id 0 is the blank puzzle)
 * @param puzzleEmbNdim width of a puzzle embedding, filling the first ceil(ndim/D) prefix slots (the
 *                      reference's puzzle_emb_ndim); 0 means D, one slot (docs/METHOD.md section 2)
 * @param posEncoding   rope, learned (a trained table added to the input, the reference's
 *                      option) or none
 * @param mlpT          replace attention by a SwiGLU across the sequence axis (TRM's Sudoku variant)
 * @param T             recursion cycles per supervision step (T-1 without gradient)
 * @param n             latent updates z per cycle
 * @param nSup          N_sup, supervision steps per sample
 * @param stepEmbedding DIS step conditioning: a learned (N_sup+2) x D table added to the input
 */
public record ModelConfig(
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("heads") int heads,
        @JsonProperty("layers") int layers,
        @JsonProperty("expansion") double expansion,
        @JsonProperty("seq_len") int seqLen,
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("puzzle_emb_len") int puzzleEmbLen,
        @JsonProperty("puzzle_ids") int puzzleIds,
        @JsonProperty("puzzle_emb_ndim") int puzzleEmbNdim,
        @JsonProperty("pos_encoding") PosEncoding posEncoding,
        @JsonProperty("mlp_t") boolean mlpT,
        @JsonProperty("T") int T,
        @JsonProperty("n") int n,
        @JsonProperty("N_sup") int nSup,
        @JsonProperty("step_embedding") boolean stepEmbedding,
        @JsonProperty("rms_eps") double rmsEps,
        @JsonProperty("rope_theta") double ropeTheta) {

    /**
     * Bounds well beyond any published TRM or DIS model, so that a configuration from a file (a
     * checkpoint's metadata) can ask neither for memory nor for work without end.
     */
    public static final int MAX_HIDDEN = 8192, MAX_HEADS = 256, MAX_LAYERS = 64, MAX_SEQ = 4096, MAX_VOCAB = 1 << 16,
            MAX_PREFIX = 256, MAX_PUZZLE_IDS = 50_000_000, MAX_RECURSION = 64, MAX_N_SUP = 256;

    public ModelConfig {
        require(hiddenSize > 0 && hiddenSize <= MAX_HIDDEN, "hidden_size", "must be in 1.." + MAX_HIDDEN);
        require(heads > 0 && heads <= MAX_HEADS, "heads", "must be in 1.." + MAX_HEADS);
        require(hiddenSize % heads == 0, "heads", "must divide hidden_size " + hiddenSize);
        require(layers > 0 && layers <= MAX_LAYERS, "layers", "must be in 1.." + MAX_LAYERS);
        require(expansion > 0 && expansion <= 64, "expansion", "must be in (0, 64]");
        require(seqLen > 0 && seqLen <= MAX_SEQ, "seq_len", "must be in 1.." + MAX_SEQ);
        require(vocabSize > 1 && vocabSize <= MAX_VOCAB, "vocab_size", "must be in 2.." + MAX_VOCAB);
        require(puzzleEmbLen >= 0 && puzzleEmbLen <= MAX_PREFIX, "puzzle_emb_len", "must be in 0.." + MAX_PREFIX);
        require(puzzleIds >= 1 && puzzleIds <= MAX_PUZZLE_IDS, "puzzle_ids", "must be in 1.." + MAX_PUZZLE_IDS);
        require(puzzleEmbNdim >= 0 && puzzleEmbNdim <= MAX_PREFIX * MAX_HIDDEN, "puzzle_emb_ndim", "must be >= 0 (0 means hidden_size)");
        require(puzzleEmbLen == 0 || (long) puzzleEmbLen * hiddenSize >= (puzzleEmbNdim == 0 ? hiddenSize : puzzleEmbNdim), "puzzle_emb_ndim",
                "needs puzzle_emb_len * hidden_size >= " + puzzleEmbNdim + " (the prefix holds the puzzle embedding)");
        require(posEncoding != null, "pos_encoding", "must be rope, learned or none");
        require(!(mlpT && posEncoding == PosEncoding.ROPE), "pos_encoding", "mlp_t has no positional encoding: set pos_encoding=none");
        require(T >= 1 && T <= MAX_RECURSION, "T", "must be in 1.." + MAX_RECURSION);
        require(n >= 1 && n <= MAX_RECURSION, "n", "must be in 1.." + MAX_RECURSION);
        require(nSup >= 1 && nSup <= MAX_N_SUP, "N_sup", "must be in 1.." + MAX_N_SUP);
        require(rmsEps > 0 && rmsEps < 1, "rms_eps", "must be in (0, 1)");
        require(ropeTheta > 0 && ropeTheta < Double.POSITIVE_INFINITY, "rope_theta", "must be a finite positive number");
    }

    /** How positions are told apart: rotary embeddings, a trained table (the reference's "learned"), or not at all. */
    public enum PosEncoding { @JsonProperty("rope") ROPE, @JsonProperty("learned") LEARNED, @JsonProperty("none") NONE }

    private static void require(boolean ok, String field, String message) {
        if (!ok) throw new UserError("model." + field + ": " + message);
    }

    /** Positions the network sees: the puzzle prefix and the tokens. */
    public int totalSeqLen() {
        return seqLen + puzzleEmbLen;
    }

    public int headDim() {
        return hiddenSize / heads;
    }

    /** SwiGLU inner width for an input width (the reference's rounding). */
    public int swigluInner(int width) {
        long inner = Math.round(expansion * width * 2.0 / 3.0);
        return (int) ((inner + 255) / 256 * 256);
    }

    /** Network calls of one supervision step: T*(n+1). */
    public int callsPerStep() {
        return T * (n + 1);
    }

    public ModelConfig withPuzzleIds(int ids) {
        return toBuilder().puzzleIds(ids).build();
    }

    /** The width of a puzzle embedding (puzzle_emb_ndim, D when 0). */
    public int puzzleWidth() {
        return puzzleEmbNdim == 0 ? hiddenSize : puzzleEmbNdim;
    }

    /** A builder with the reference TRM's defaults (T=3, n=6, N_sup=16, RoPE, no puzzle prefix); seq_len and vocab_size must be set. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.hiddenSize = hiddenSize;
        b.heads = heads;
        b.layers = layers;
        b.expansion = expansion;
        b.seqLen = seqLen;
        b.vocabSize = vocabSize;
        b.puzzleEmbLen = puzzleEmbLen;
        b.puzzleIds = puzzleIds;
        b.puzzleEmbNdim = puzzleEmbNdim;
        b.posEncoding = posEncoding;
        b.mlpT = mlpT;
        b.T = T;
        b.n = n;
        b.nSup = nSup;
        b.stepEmbedding = stepEmbedding;
        b.rmsEps = rmsEps;
        b.ropeTheta = ropeTheta;
        return b;
    }

    /** Named fields for code that builds a configuration (presets build theirs from JSON). */
    public static final class Builder {
        private int hiddenSize = 64;
        private int heads = 4;
        private int layers = 2;
        private double expansion = 4.0;
        private int seqLen = 0;
        private int vocabSize = 0;
        private int puzzleEmbLen = 0;
        private int puzzleIds = 1;
        private int puzzleEmbNdim = 0;
        private PosEncoding posEncoding = PosEncoding.ROPE;
        private boolean mlpT = false;
        private int T = 3;
        private int n = 6;
        private int nSup = 16;
        private boolean stepEmbedding = false;
        private double rmsEps = 1e-5;
        private double ropeTheta = 10000.0;

        public Builder hiddenSize(int v) { hiddenSize = v; return this; }
        public Builder heads(int v) { heads = v; return this; }
        public Builder layers(int v) { layers = v; return this; }
        public Builder expansion(double v) { expansion = v; return this; }
        public Builder seqLen(int v) { seqLen = v; return this; }
        public Builder vocabSize(int v) { vocabSize = v; return this; }
        public Builder puzzleEmbLen(int v) { puzzleEmbLen = v; return this; }
        public Builder puzzleIds(int v) { puzzleIds = v; return this; }
        public Builder puzzleEmbNdim(int v) { puzzleEmbNdim = v; return this; }
        public Builder posEncoding(PosEncoding v) { posEncoding = v; return this; }
        public Builder mlpT(boolean v) { mlpT = v; return this; }
        public Builder T(int v) { T = v; return this; }
        public Builder n(int v) { n = v; return this; }
        public Builder nSup(int v) { nSup = v; return this; }
        public Builder stepEmbedding(boolean v) { stepEmbedding = v; return this; }
        public Builder rmsEps(double v) { rmsEps = v; return this; }
        public Builder ropeTheta(double v) { ropeTheta = v; return this; }

        public ModelConfig build() {
            return new ModelConfig(hiddenSize, heads, layers, expansion, seqLen, vocabSize, puzzleEmbLen, puzzleIds, puzzleEmbNdim, posEncoding, mlpT, T, n, nSup, stepEmbedding, rmsEps, ropeTheta);
        }
    }
}
