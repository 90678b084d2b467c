package trm4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import trm4j.config.ModelConfig;
import trm4j.engine.AttentionKernel;
import trm4j.engine.Device;
import trm4j.engine.Precision;
import trm4j.engine.Scope;
import trm4j.engine.Threads;
import trm4j.engine.Torch;

/**
 * The network f of docs/METHOD.md section 2 with its embeddings and heads. Tensors are named as in the
 * reference TRM state dict, so that checkpoints and reference exports share one layout.
 */
public final class Network implements RecursiveModel, AutoCloseable {
    public static final String EMBED = "embed_tokens.embedding_weight";
    public static final String LM_HEAD = "lm_head.weight";
    public static final String Q_WEIGHT = "q_head.weight";
    public static final String Q_BIAS = "q_head.bias";
    public static final String STEP_EMBED = "timestep_embed.embedding_weight";
    public static final String Y0 = "H_init";
    public static final String Z0 = "L_init";
    public static final String PUZZLE = "puzzle_emb.weights";
    public static final String POSITIONS = "embed_pos.embedding_weight";

    /** The weights of one block; mlp_t blocks have tokenGateUp/tokenDown instead of qkv/o. */
    private record Block(Tensor qkv, Tensor out, Tensor tokenGateUp, Tensor tokenDown, Tensor gateUp, Tensor down) {}

    private final ModelConfig config;
    private final Precision precision;
    private final Device device;
    private final Map<String, Tensor> weights;   // trainable (puzzle table excluded), in a fixed order
    private final Tensor y0, z0, puzzleTable;
    private final List<Block> blocks = new ArrayList<>();
    private final Rope rope;          // null without positional encoding
    private final Tensor qkScale;     // [q scale, 1] when there is no rope to carry it

    /** Names and shapes of every tensor of a configuration, in checkpoint order. */
    public static Map<String, long[]> layout(ModelConfig c) {
        int d = c.hiddenSize();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put(EMBED, new long[] {c.vocabSize(), d});
        if (c.stepEmbedding()) s.put(STEP_EMBED, new long[] {c.nSup() + 2, d});
        if (c.posEncoding() == ModelConfig.PosEncoding.LEARNED) s.put(POSITIONS, new long[] {c.totalSeqLen(), d});
        for (int i = 0; i < c.layers(); i++) {
            String pre = "L_level.layers." + i + ".";
            if (c.mlpT()) {
                int width = c.totalSeqLen(), inner = c.swigluInner(width);
                s.put(pre + "mlp_t.gate_up_proj.weight", new long[] {2L * inner, width});
                s.put(pre + "mlp_t.down_proj.weight", new long[] {width, inner});
            } else {
                s.put(pre + "self_attn.qkv_proj.weight", new long[] {3L * d, d});
                s.put(pre + "self_attn.o_proj.weight", new long[] {d, d});
            }
            int inner = c.swigluInner(d);
            s.put(pre + "mlp.gate_up_proj.weight", new long[] {2L * inner, d});
            s.put(pre + "mlp.down_proj.weight", new long[] {d, inner});
        }
        s.put(LM_HEAD, new long[] {c.vocabSize(), d});
        s.put(Q_WEIGHT, new long[] {2, d});
        s.put(Q_BIAS, new long[] {2});
        s.put(Y0, new long[] {d});
        s.put(Z0, new long[] {d});
        s.put(PUZZLE, new long[] {c.puzzleIds(), c.puzzleWidth()});
        return s;
    }

    /** A freshly initialised network on the CPU (docs/METHOD.md section 2); seed torch first for reproducibility. */
    public static Network init(ModelConfig c, Precision p) {
        return init(c, p, Device.CPU);
    }

    /** A freshly initialised network on a device; seed torch first for reproducibility. */
    public static Network init(ModelConfig c, Precision p, Device d) {
        ScalarType t = p.weights;
        double embedStd = 1 / Math.sqrt(c.hiddenSize());
        Map<String, Tensor> all = new LinkedHashMap<>();
        layout(c).forEach((name, shape) -> {
            Tensor v;
            switch (name) {
                case EMBED: case STEP_EMBED: case POSITIONS: v = Init.truncNormal(d, t, embedStd, shape); break;
                case Y0: case Z0: v = Init.truncNormal(d, t, 1, shape); break;
                case Q_WEIGHT: case PUZZLE: v = Torch.zeros(d, t, shape); break;   // q starts silent, puzzles blank
                case Q_BIAS: v = Torch.zeros(d, t, shape).fill_(Torch.scalar(-5)); break;
                default: v = Init.truncNormal(d, t, 1 / Math.sqrt(shape[1]), shape);  // linear [out, in]
            }
            all.put(name, v);
        });
        return new Network(c, p, d, all);
    }

    /**
     * A network on the CPU over given tensors (reference names). Shapes must already be checked
     * (by the checkpoint reader); the tensors are converted to the precision's weight type.
     */
    public Network(ModelConfig c, Precision p, Map<String, Tensor> tensors) {
        this(c, p, Device.CPU, tensors);
    }

    /** The same on a device; the tensors are moved there. */
    public Network(ModelConfig c, Precision p, Device d, Map<String, Tensor> tensors) {
        this.config = c;
        this.precision = p;
        this.device = d;
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor v = Scope.own(d.put(e.getValue().detach()).to(p.weights).contiguous());
            if (!trainable(e.getKey())) continue;
            v.set_requires_grad(true);
            w.put(e.getKey(), v);
        }
        this.weights = Collections.unmodifiableMap(w);
        this.y0 = Scope.own(d.put(tensors.get(Y0).detach()).to(p.weights).contiguous());
        this.z0 = Scope.own(d.put(tensors.get(Z0).detach()).to(p.weights).contiguous());
        this.puzzleTable = Scope.own(d.put(tensors.get(PUZZLE).detach()).to(p.weights).contiguous());
        for (int i = 0; i < c.layers(); i++) {
            String pre = "L_level.layers." + i + ".";
            blocks.add(new Block(w.get(pre + "self_attn.qkv_proj.weight"), w.get(pre + "self_attn.o_proj.weight"),
                    w.get(pre + "mlp_t.gate_up_proj.weight"), w.get(pre + "mlp_t.down_proj.weight"),
                    w.get(pre + "mlp.gate_up_proj.weight"), w.get(pre + "mlp.down_proj.weight")));
        }
        double scale = 1 / Math.sqrt(c.headDim());
        rope = c.posEncoding() == ModelConfig.PosEncoding.ROPE ? Rope.of(c.totalSeqLen(), c.headDim(), c.ropeTheta(), scale, p.weights, d) : null;
        qkScale = rope == null ? Scope.own(Rope.qScale(scale, p.weights, d)) : null;
    }

    @Override public ModelConfig config() { return config; }
    @Override public Precision precision() { return precision; }
    @Override public Device device() { return device; }

    /** The trainable weights by reference name (the puzzle-embedding table is not among them). */
    public Map<String, Tensor> weights() { return weights; }

    /** Every tensor a checkpoint holds: the weights, y0 (H_init), z0 (L_init) and the puzzle table. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> all = new LinkedHashMap<>(weights);
        all.put(Y0, y0);
        all.put(Z0, z0);
        all.put(PUZZLE, puzzleTable);
        return all;
    }

    /** The puzzle-embedding table [ids, D]; it gets no dense gradient (docs/METHOD.md section 4). */
    public Tensor puzzleTable() { return puzzleTable; }

    /** Trainable parameters as the papers count them (the puzzle-embedding table excluded). */
    public long parameterCount() {
        return weights.values().stream().mapToLong(Tensor::numel).sum();
    }

    /** The same count from a configuration alone, without building anything. */
    public static long parameterCount(ModelConfig c) {
        return layout(c).entrySet().stream().filter(e -> trainable(e.getKey()))
                .mapToLong(e -> Arrays.stream(e.getValue()).reduce(1, (x, y) -> x * y)).sum();
    }

    /** y0, z0 are fixed and the puzzle table is updated sparsely: everything else is a weight. */
    private static boolean trainable(String name) {
        return !name.equals(Y0) && !name.equals(Z0) && !name.equals(PUZZLE);
    }

    /** Frees every tensor of the network (its weights, states, tables); it cannot compute afterwards. */
    @Override public void close() {
        weights.values().forEach(Tensor::close);
        for (Tensor t : new Tensor[] {y0, z0, puzzleTable, qkScale}) if (t != null) t.close();
        if (rope != null) {
            rope.cos().close();
            rope.sin().close();
        }
    }

    /** Clears the gradients of the weights (those that have one). */
    public void zeroGrad() {
        for (Tensor w : weights.values()) {
            Tensor g = w.grad();
            if (g.defined()) g.zero_();
        }
    }

    // ---------------------------------------------------------------- inputs and heads

    @Override public StepOutput step(Carry carry, Tensor tokens, Tensor puzzleRows, Tensor stepIds) {
        return Recursion.step(this, carry, embed(tokens, puzzleRows, stepIds));
    }

    @Override public Tensor puzzleRows(Tensor ids) {
        return puzzleTable.index_select(0, ids).detach();
    }

    /**
     * Input embedding x: [puzzle row, zero-padded to the P prefix slots ; token embeddings] (+ step
     * embedding) (+ learned positions, both then times 1/sqrt(2) as the reference does), times
     * sqrt(D). {@code puzzleRows} [B, puzzle width] may be a leaf that requires grad; {@code stepIds}
     * [B] is required when the model has a step embedding, else ignored.
     */
    public Tensor embed(Tensor tokens, Tensor puzzleRows, Tensor steps) {
        long b = tokens.size(0);
        int d = config.hiddenSize(), p = config.puzzleEmbLen();
        Tensor e = torch.embedding(weights.get(EMBED), tokens);
        if (p > 0) {
            Tensor rows = puzzleRows.to(precision.weights);
            long pad = (long) p * d - config.puzzleWidth();
            if (pad > 0) rows = torch.cat(new TensorVector(rows, Torch.zeros(device, precision.weights, b, pad)), 1);
            e = torch.cat(new TensorVector(rows.view(b, p, d), e), 1);
        }
        if (config.stepEmbedding()) e = e.add(torch.embedding(weights.get(STEP_EMBED), steps).unsqueeze(1));
        if (config.posEncoding() == ModelConfig.PosEncoding.LEARNED) e = e.add(weights.get(POSITIONS)).mul(Torch.scalar(0.707106781));
        return e.mul(Torch.scalar(Math.sqrt(d))).to(precision.activations);
    }

    /**
     * [B, S, D] into the layout f works in. mlp_t networks work positions first, [S, B, D]: token
     * mixing is then one matmul on h viewed as [S, B*D], and a supervision step moves its state
     * once at each end instead of twice in every block. Attention networks work in [B, S, D].
     */
    public Tensor toWorkLayout(Tensor bsd) {
        return config.mlpT() ? bsd.transpose(0, 1).contiguous() : bsd;
    }

    /** The inverse of {@link #toWorkLayout}: back to [B, S, D]. */
    public Tensor fromWorkLayout(Tensor h) {
        return toWorkLayout(h);   // swapping the first two axes is its own inverse
    }

    @Override public Carry initialCarry(long batch) {
        long[] shape = {batch, config.totalSeqLen(), config.hiddenSize()};
        return new Carry(y0.to(precision.activations).expand(shape).contiguous(),
                z0.to(precision.activations).expand(shape).contiguous());
    }

    @Override public Tensor lmHead(Tensor y) {
        return torch.linear(y.narrow(1, config.puzzleEmbLen(), config.seqLen()), weights.get(LM_HEAD));
    }

    /**
     * The halting logit [B] from q_head on y at position 0, in float32 (float64 at FP64). q_head
     * has the reference's two outputs (halt, continue); only halt is trained (docs/METHOD.md section 4).
     */
    public Tensor qHalt(Tensor y) {
        return torch.linear(y.select(1, 0), weights.get(Q_WEIGHT), new TensorOptional(weights.get(Q_BIAS)))
                .select(1, 0).to(precision == Precision.FP64 ? ScalarType.Double : ScalarType.Float);
    }

    // ---------------------------------------------------------------- the network f

    /**
     * f(h, injection) = blocks(h + injection), both in the work layout (see {@link #toWorkLayout}).
     * The call's intermediate tensors are released as soon as it returns (autograd keeps what backward needs on its own):
     * held until the end of a supervision step, they multiplied its memory by the number of calls.
     */
    public Tensor f(Tensor h, Tensor injection) {
        return Scope.returning(() -> {
            Tensor x = h.add(injection);
            for (Block b : blocks) x = block(x, b);
            return x;
        });
    }

    /**
     * Post-norm block: h = rms(h + mix(h)); h = rms(h + swiglu(h)). mix is attention, or for
     * mlp_t a SwiGLU across positions normalised over positions (docs/METHOD.md section 2).
     */
    private Tensor block(Tensor h, Block b) {
        double eps = config.rmsEps();
        h = config.mlpT() ? rmsNorm(h.add(tokenMix(h, b.tokenGateUp(), b.tokenDown())), eps, 0)
                : rmsNorm(h.add(attention(h, b)), eps, -1);
        return rmsNorm(h.add(swiglu(h, b.gateUp(), b.down())), eps, -1);
    }

    /**
     * mlp_t's SwiGLU over the position axis of h [S, B, D], as two plain matmuls on h viewed as
     * [S, B*D]: the weights [2I, S] and [S, I] multiply from the left, and nothing is copied. The
     * reference form (transpose to [B, D, S], a linear layer, transpose back) copied element by
     * element and spent two thirds of a trm-sudoku-mlp step doing so.
     */
    static Tensor tokenMix(Tensor h, Tensor gateUp, Tensor down) {
        Tensor columns = h.reshape(h.size(0), -1);
        return torch.matmul(down, gated(Torch.parts(torch.matmul(gateUp, columns).chunk(2, 0)))).view(h.sizes());
    }

    private Tensor attention(Tensor h, Block b) {
        long batch = h.size(0), seq = h.size(1);
        int heads = config.heads(), hd = config.headDim();
        Tensor qkv = torch.linear(h, b.qkv()).view(batch, seq, 3, heads, hd);
        // q and k rotate together; the rotation tables also carry q's scale 1/sqrt(hd), so that
        // the scores need no multiplication of their own (fewer passes over memory per call).
        // split/unbind/squeeze rather than narrow/select: their backward writes each gradient once,
        // where select's fills a zero tensor of the whole input per slice.
        Tensor[] qkAndV = Torch.parts(qkv.split_with_sizes(new long[] {2, 1}, 2));
        Tensor qk = qkAndV[0], v = qkAndV[1].squeeze(2).transpose(1, 2);
        qk = rope != null ? rope.apply(qk) : qk.mul(qkScale).to(qk.scalar_type().intern());
        Tensor[] qAndK = Torch.parts(qk.unbind(2));
        Tensor q = qAndK[0].transpose(1, 2), k = qAndK[1].transpose(1, 2);
        Tensor o = AttentionKernel.current().fused(device, precision, seq, GradMode.is_enabled())
                ? fusedAttention(q, k, v) : composedAttention(q, k, v, precision);
        o = o.transpose(1, 2).reshape(batch, seq, (long) heads * hd);
        return torch.linear(o, b.out());
    }

    /** softmax(q k^T) v for q [B, H, S, hd] already scaled, in libtorch's fused kernel. */
    static Tensor fusedAttention(Tensor q, Tensor k, Tensor v) {
        // q is already scaled: the kernel's own scale must be 1
        Supplier<Tensor> fused = () -> torch.scaled_dot_product_attention(q, k, v, new TensorOptional(), 0.0, false, new DoubleOptional(1.0), false);
        // The fused kernel multiplies blocks of queries by blocks of keys inside OpenMP's threads;
        // from a size on, OpenBLAS would thread those products too and nest its threads in
        // OpenMP's. Switching OpenBLAS to one thread has a cost, so it is done only where nesting
        // can happen (bench/README.md has the sizes and the cost).
        if (!q.is_cpu() || q.size(2) * q.size(3) <= 4096) return fused.get();
        Tensor o = Threads.withSerialBlas(fused);
        if (o.requires_grad()) Threads.serialBlasInBackward(o, q, k, v);   // its backward nests the same way
        return o;
    }

    /** The same as matmul, softmax, matmul. */
    static Tensor composedAttention(Tensor q, Tensor k, Tensor v, Precision precision) {
        // In bf16 the softmax keeps its output in bf16 (it computes in fp32 inside): an fp32 copy
        // of the S x S probabilities, kept for backward, doubled the memory of a step.
        Tensor scores = torch.matmul(q, k.transpose(-2, -1));
        ScalarType softmaxType = precision == Precision.FP64 ? ScalarType.Double
                : precision == Precision.BF16 ? v.scalar_type().intern() : ScalarType.Float;
        return torch.matmul(torch.softmax(scores, -1, new ScalarTypeOptional(softmaxType)).to(v.scalar_type().intern()), v);
    }

    static Tensor swiglu(Tensor x, Tensor gateUp, Tensor down) {
        return torch.linear(gated(Torch.parts(torch.linear(x, gateUp).chunk(2, -1))), down);
    }

    /**
     * silu(gate) * up of a SwiGLU. Without gradient it overwrites the gate in place: the gate-up
     * product is the largest tensor of a call, and nothing needs it afterwards.
     */
    private static Tensor gated(Tensor[] gateUp) {
        Tensor gate = gateUp[0], up = gateUp[1];
        return GradMode.is_enabled() ? torch.silu(gate).mul(up) : torch.silu_(gate).mul_(up);
    }

    /**
     * RMSNorm without a learned scale over one axis, computed in at least float32: libtorch's kernel
     * over the last axis (it upcasts bf16 inside, and keeps less for backward), a composed one over
     * any other.
     */
    static Tensor rmsNorm(Tensor x, double eps, long axis) {
        ScalarType in = x.scalar_type().intern();   // autocast may hand back float32: return the input's type
        if (axis == -1 || axis == x.dim() - 1)
            return torch.rms_norm(x, new long[] {x.size(-1)}, new TensorOptional(), new DoubleOptional(eps)).to(in);
        Tensor xf = x.to(in == ScalarType.Double ? ScalarType.Double : ScalarType.Float);
        return xf.mul(xf.square().mean(new long[] {axis}, true, new ScalarTypeOptional()).add(Torch.scalar(eps)).rsqrt()).to(in);
    }

}
