package trm4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.UserError;
import trm4j.config.ModelConfig;
import trm4j.config.TrainConfig;
import trm4j.data.Prefetcher;
import trm4j.data.TrainingSet;
import trm4j.engine.Cpu;
import trm4j.engine.Group;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.Scope;
import trm4j.engine.Threads;
import trm4j.model.Network;

/**
 * The training loop shared by TRM and DIS: one optimiser step per supervision step. The
 * {@link Supervision} policy decides what each step is fed and trained against; the
 * {@link SupervisionStep} runs it; then AdamATan2/AdamW on the weights, sign-SGD on the touched
 * puzzle rows, EMA. Metrics lines, evaluations and checkpoint moments go to the listeners (the
 * run folder, the progress bar), so the same loop trains in memory when nobody writes files.
 *
 * <p>Data-parallel ({@link Group} of several ranks): each rank runs its slice of the batch; the
 * gradients are summed over the ranks in one all-reduce of the flat gradient buffer, the touched
 * puzzle rows and their gradients are gathered so that every rank applies the same sign-SGD
 * update, and the loss, the finished samples, the metrics and a stop request are summed. Every
 * rank thus takes the optimiser steps of one process with the whole batch.
 */
public final class Trainer {
    /** What the loop reports; every method has a default, so a listener takes what it needs. */
    public interface Listener {
        /** A metrics line: the engine at the start, training every log_every steps, each evaluation. */
        default void logged(Map<String, Object> line, long totalSteps) {}

        /** A step the run can resume from exactly: the moment to save the state ({@link Trainer#save}). */
        default void checkpoint(Trainer trainer) {}

        /** Optimiser step {@code step} (1-based) is done; nothing of it has been read back yet. */
        default void stepped(long step) {}
    }

    /** Evaluates a model (the EMA weights when on) on held-out data; returns the fields of an "eval" line. */
    public interface Evaluator {
        Map<String, Object> evaluate(Network model, long step);
    }

    /** The end of a run: the last metrics line, the last evaluation (null when stopped early), whether {@link #requestStop} ended it. */
    public record Result(Map<String, Object> last, Map<String, Object> eval, boolean stopped) {}

    private final Network net;
    private final TrainConfig c;
    private final Group group;
    private final TrainingSet data;
    private final Adam adam;
    private final Ema ema;
    private final Supervision supervision;
    private final LearningRate weightLr, puzzleLr;
    private final List<Listener> listeners = new ArrayList<>();
    private Evaluator evaluator = (model, step) -> Map.of();
    private TrainState.Counters at = new TrainState.Counters(0, 0, 0, 0, 0, 0);
    private Map<String, Tensor> supervisionState = Map.of();   // taken at a checkpoint moment, on every rank
    private long savedStep = -1;
    private volatile boolean stopRequested;

    public Trainer(Network net, TrainConfig c, TrainingSet data) {
        this(net, c, data, Group.SINGLE);
    }

    public Trainer(Network net, TrainConfig c, TrainingSet data, Group group) {
        if (c.batch() % group.size() != 0)
            throw new UserError("train.batch " + c.batch() + " does not split into " + group.size() + " ranks: make it a multiple of " + group.size());
        this.net = net;
        this.c = c;
        this.data = data;
        this.group = group;
        // Every rank starts from rank 0's tensors (weights, y0/z0, puzzle table), whatever its own initialisation did.
        for (Tensor t : net.tensors().values()) group.broadcast(t.detach());
        this.adam = Adam.of(c, net.weights());
        this.ema = c.method().ema() > 0 ? new Ema(c.method().ema(), net.weights()) : null;
        this.supervision = Supervision.of(net, c, group);
        this.weightLr = LearningRate.of(c, c.lr());
        this.puzzleLr = LearningRate.of(c, c.puzzleLr());
    }

    public Trainer listen(Listener l) {
        listeners.add(l);
        return this;
    }

    public Trainer evaluateWith(Evaluator e) {
        evaluator = e;
        return this;
    }

    /** Continues from a checkpoint of this run (the network was already built from it). */
    public void restore(TrainState.Saved saved) {
        at = saved.counters();
        savedStep = at.step();
        adam.restore(saved.prefixed("adam."), at.adamSteps());
        if (ema != null) ema.restore(saved.prefixed("ema."));
        supervision.restore(net, saved.prefixed("sup."));
    }

    public long step() { return at.step(); }

    /**
     * Asks the run to stop with a checkpoint at the next step that can resume exactly (DIS: the end
     * of a batch's N_sup steps). Safe to call from any thread, such as a signal handler's.
     */
    public void requestStop() { stopRequested = true; }

    public Result run() {
        long startMillis = System.currentTimeMillis(), windowMillis = startMillis, wallBefore = at.wallMillis();
        long finished = at.samples(), windowSamples = finished;   // samples whose last step ran (counted at each drain)
        Map<String, Object> last = Map.of(), eval = null;
        Meter meter = new Meter(net.device());
        Map<String, double[]> window = Map.of();
        emit(engineLine());
        try (Prefetcher stream = new Prefetcher(data, at.position(), Math.max(64, 4 * c.batch()))) {
            for (long step = at.step(); step < c.steps(); step++) {
                Threads.adapt();
                double lr = weightLr.at(step);
                step(stream, step, lr, meter);
                for (Listener l : listeners) l.stepped(step + 1);
                long now = System.currentTimeMillis(), wall = wallBefore + now - startMillis;
                boolean end = step + 1 == c.steps(), logged = (step + 1) % c.logEvery() == 0 || end;
                boolean saving = end || ((step + 1) % c.checkpointEvery() == 0 && supervision.atBoundary());
                // The host sync of a logging window: every metric of the window read back at once (also
                // before a checkpoint between log lines, whose sums then go on into the next line).
                Map<String, double[]> drained = logged || saving ? meter.drain(group) : Map.of();
                finished += (long) drained.getOrDefault("samples", new double[1])[0];
                checkFinite(drained, step);
                window = Meter.plus(window, drained);
                at = new TrainState.Counters(step + 1, stream.position(), adam.stepCount(), at.metricsBytes(), finished, wall);
                if (logged) {
                    last = line(Meter.means(window), lr, (finished - windowSamples) / Math.max(1e-3, (now - windowMillis) / 1000.0));
                    emit(last);
                    window = Map.of();
                    windowSamples = finished;
                    windowMillis = now;
                }
                if ((c.evalEvery() > 0 && (step + 1) % c.evalEvery() == 0) || end) {
                    eval = new LinkedHashMap<>(evaluator.evaluate(evaluationModel(), step + 1));
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("step", step + 1);
                    e.put("eval", eval);
                    e.put("calls", calls(step + 1, net.config()));
                    e.put("wall_s", wall / 1000.0);
                    emit(e);
                }
                // Mid-batch DIS state is not saved: a checkpoint waits for a batch boundary.
                if (saving) checkpoint();
                // A stop is agreed between the ranks where a log line was read anyway, at a step the run can resume from.
                if (logged && !end && supervision.atBoundary() && group.allReduceSum(stopRequested ? 1 : 0)[0] > 0) {
                    if (savedStep != step + 1) checkpoint();
                    return new Result(last, null, true);
                }
            }
        }
        return new Result(last, eval, false);
    }

    /** A window whose loss is not finite ends the run in one line (the weights are already spoiled). */
    private void checkFinite(Map<String, double[]> window, long step) {
        double[] loss = window.get("loss");
        if (loss == null || Double.isFinite(loss[0])) return;
        throw new UserError("training stopped: the loss became " + loss[0] + " by step " + (step + 1)
                + (savedStep < 0 ? "; no checkpoint was written yet" : "; the last good checkpoint is at step " + savedStep));
    }

    /**
     * One optimiser step on one supervision step of the batch: the policy's feed, the shared step,
     * the gradients summed over the ranks, the updates. Nothing is read back to the host.
     */
    private void step(Prefetcher stream, long step, double lr, Meter meter) {
        try (Scope scope = Scope.open()) {
            Supervision.Feed feed = supervision.next(net, stream, step);
            SupervisionStep.Outcome out = SupervisionStep.run(net, feed, c.microBatch(), c.batch());
            Tensor grads = adam.gradients(net.weights());
            if (grads != null) group.allReduceSum(grads);
            adam.step(net.weights(), lr);
            Tensor rowGrad = out.puzzleRows().grad();
            if (rowGrad.defined())
                SignSgd.step(net.puzzleTable(), group.allGather(feed.rows().ids()), group.allGather(rowGrad), puzzleLr.at(step), c.puzzleWd());
            if (ema != null) ema.update(net.weights());
            adam.zeroGrad(net.weights());
            Tensor done = supervision.took(net, feed, out, step, meter);   // last: it may free the feed's rows
            if (done != null) meter.add("samples", done, 0);
            // Each rank's loss is its share of the batch's: counted once, by rank 0, after the sum.
            meter.add("loss", out.loss(), group.isMain() ? 1 : 0);
            meter.add("ce", out.ce(), group.isMain() ? 1 : 0);
        }
    }

    /** Network calls of {@code steps} optimiser steps, each a supervision step on the whole batch: T*(n+1). */
    static long calls(long steps, ModelConfig m) {
        return steps * m.callsPerStep();
    }

    private Map<String, Object> line(Map<String, Double> w, double lr, double samplesPerSecond) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", at.step());
        m.put("position", at.position());
        for (String k : new String[] {"loss", "ce", "token_acc", "exact_acc", "halt_steps", "q_halt_acc"})
            if (w.containsKey(k)) m.put(k, w.get(k));
        List<Double> perStep = new ArrayList<>();
        for (int s = 1; w.containsKey("step_acc." + s); s++) perStep.add(w.get("step_acc." + s));
        if (!perStep.isEmpty()) m.put("step_acc", perStep);
        m.put("lr", lr);
        ModelConfig mc = net.config();
        long calls = calls(at.step(), mc), withGrad = at.step() * (mc.n() + 1);   // the last cycle has the gradient
        m.put("calls_grad", withGrad);
        m.put("calls_nograd", calls - withGrad);
        m.put("samples", at.samples());
        // A call runs the network on a whole batch: per sample, that is batch calls over samples finished.
        m.put("calls_per_sample", at.samples() == 0 ? null : (double) calls * c.batch() / at.samples());
        m.put("samples_per_s", samplesPerSecond);
        m.put("threads", Threads.current());
        m.put("wall_s", at.wallMillis() / 1000.0);
        return m;
    }

    /** What this start (or resumption) of the run computes with, for its metrics: the machine can change on resume. */
    private Map<String, Object> engineLine() {
        PrecisionChoice choice = PrecisionChoice.of(c.precision(), net.device());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("precision", net.precision().toString());
        e.put("precision_reason", choice.precision() == net.precision() ? choice.reason() : "as saved in the checkpoint");
        e.put("device", net.device().toString());
        e.put("threads", Threads.current());
        e.put("threads_adapt", Threads.adaptive());
        e.put("cpu", Cpu.current().describe());
        e.put("ranks", group.size());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", at.step());
        line.put("engine", e);
        return line;
    }

    private void emit(Map<String, Object> line) {
        for (Listener l : listeners) l.logged(line, c.steps());
    }

    private void checkpoint() {
        supervisionState = supervision.state();   // gathered from the ranks: every rank takes part
        for (Listener l : listeners) l.checkpoint(this);
        savedStep = at.step();
    }

    /** The weights evaluation uses: the EMA when it is on (SPEC.md section 4), else the weights. */
    public Network evaluationModel() {
        if (ema == null) return net;
        Map<String, Tensor> t = new LinkedHashMap<>(net.tensors());
        t.putAll(ema.weights());
        return new Network(net.config(), net.precision(), net.device(), t);
    }

    /** Writes the whole training state atomically (see {@link TrainState}); {@code metricsBytes}: the metrics log's length now. */
    public void save(Path file, JsonNode preset, long metricsBytes) throws java.io.IOException {
        at = new TrainState.Counters(at.step(), at.position(), at.adamSteps(), metricsBytes, at.samples(), at.wallMillis());
        TrainState.save(file, net, ema, adam, supervisionState, preset, at);
    }
}
