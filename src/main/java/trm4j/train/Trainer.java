package trm4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.bytedeco.pytorch.Tensor;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.UserError;
import trm4j.checkpoint.Checkpoint;
import trm4j.config.ModelConfig;
import trm4j.config.TrainConfig;
import trm4j.data.Prefetcher;
import trm4j.data.TrainingSet;
import trm4j.engine.Cpu;
import trm4j.engine.Group;
import trm4j.engine.Holder;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.Scope;
import trm4j.engine.TensorRecord;
import trm4j.engine.Threads;
import trm4j.metrics.MetricsLine;
import trm4j.metrics.Scores;
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
        default void logged(MetricsLine line, long totalSteps) {}

        /** A step the run can resume from exactly: the moment to save the state ({@link Trainer#save}). */
        default void checkpoint(Trainer trainer) {}

        /** Optimiser step {@code step} (1-based) is done; nothing of it has been read back yet. */
        default void stepped(long step) {}
    }

    /** Evaluates a model (the EMA weights when on) on held-out data. */
    public interface Evaluator {
        /** What one evaluation scored: see {@link MetricsLine.Evaluation}; null: nothing was evaluated. */
        record Scored(MetricsLine.Split split, Scores scores, Scores test) {}

        /** @param stop asked between batches: when it says so, the evaluation may end early (the trainer then discards it) */
        Scored evaluate(Network model, long step, BooleanSupplier stop);
    }

    /** An evaluation's line (null: nothing was evaluated), or a stop that cut it short. */
    private record Evaluated(MetricsLine.Evaluation line, boolean cut) {}

    /** The loss became NaN or infinite: the weights are spoiled, and the run ends in one line. */
    public static final class Diverged extends UserError {
        public final long step;

        Diverged(String message, long step) {
            super(message);
            this.step = step;
        }
    }

    /** The end of a run: the last training line, the last evaluation (null when stopped early), whether {@link #requestStop} ended it. */
    public record Result(MetricsLine.Training last, MetricsLine.Evaluation eval, boolean stopped) {}

    private final Network net;
    private final TrainConfig c;
    private final Group group;
    private final TrainingSet data;
    private final Adam adam;
    private final Ema ema;
    private final Supervised<?> supervised;
    private final LearningRate weightLr, puzzleLr;
    private final List<Listener> listeners = new ArrayList<>();
    private Evaluator evaluator = (model, step, stop) -> null;
    private TrainState.Counters at = new TrainState.Counters(0, 0, 0, 0, 0, 0, false);
    private Map<String, Tensor> supervisionState = Map.of();   // taken at a checkpoint moment, on every rank
    private long savedStep = -1;
    private volatile boolean stopRequested;

    public Trainer(Network net, TrainConfig c, TrainingSet data) {
        this(net, c, data, Group.alone(net.device()));
    }

    public Trainer(Network net, TrainConfig c, TrainingSet data, Group group) {
        this(net, c, data, group, Supervision.of(net, c, group));
    }

    /**
     * With a policy of the caller's instead of the method's own ({@link Supervision#of}): a variant
     * of a method, or one that replays recorded draws.
     */
    public Trainer(Network net, TrainConfig c, TrainingSet data, Group group, Supervision<?> policy) {
        c.checkRanks(group.size(), null);
        this.net = net;
        this.c = c;
        this.data = data;
        this.group = group;
        // Every rank starts from rank 0's tensors (weights, y0/z0, puzzle table), whatever its own initialisation did.
        for (Tensor t : net.tensors().values()) group.broadcast(t.detach());
        this.adam = Adam.of(c, net.weights());
        this.ema = c.method().ema() > 0 ? new Ema(c.method().ema(), net.weights()) : null;
        this.supervised = new Supervised<>(policy);
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
        if (ema != null) ema.restore(saved.prefixed(Checkpoint.EMA_PREFIX));
        supervised.restore(net, saved.prefixed("sup."));
    }

    public long step() { return at.step(); }

    /**
     * Asks the run to stop with a checkpoint at the next step that can resume exactly (DIS: the end
     * of a batch's N_sup steps); an evaluation whose step is saved ends at its next batch, to run again on resume. Safe to
     * call from any thread, such as a signal handler's.
     */
    public void requestStop() { stopRequested = true; }

    public Result run() {
        long startMillis = System.currentTimeMillis(), windowMillis = startMillis, wallBefore = at.wallMillis();
        long finished = at.samples(), windowSamples = finished;   // samples whose last step ran (counted at each drain)
        MetricsLine.Training last = null;
        Meter meter = new Meter(net.device());
        Map<Metric, double[]> window = Map.of();
        emit(engineLine());
        MetricsLine.Evaluation eval = null;
        if (savedStep == at.step() && at.evaluating()) {   // a checkpoint written before the evaluation of its step (below): evaluated first
            Evaluated e = evaluate(at.step(), at.wallMillis());
            if (e.cut()) return new Result(null, null, true);
            eval = e.line();
        }
        try (Prefetcher stream = new Prefetcher(data, at.position(), Math.max(64, 4 * c.batch()))) {
            for (long step = at.step(); step < c.steps(); step++) {
                Threads.adapt();
                double lr = weightLr.at(step);
                step(supervised, stream, step, lr, meter);
                for (Listener l : listeners) l.stepped(step + 1);
                long now = System.currentTimeMillis(), wall = wallBefore + now - startMillis;
                boolean end = step + 1 == c.steps(), logged = (step + 1) % c.logEvery() == 0 || end;
                // An evaluation's step is saved first: a signal during a long evaluation loses no training.
                boolean saving = end || (((step + 1) % c.checkpointEvery() == 0 || evaluates(step + 1)) && supervised.atBoundary());
                // The host sync of a logging window: every metric of the window read back at once (also
                // before a checkpoint between log lines, whose sums then go on into the next line).
                Map<Metric, double[]> drained = logged || saving ? meter.drain(group) : Map.of();
                finished += (long) drained.getOrDefault(Metric.SAMPLES, new double[1])[0];
                checkFinite(drained, step);
                window = Meter.plus(window, drained);
                at = new TrainState.Counters(step + 1, stream.position(), adam.stepCount(), at.metricsBytes(), finished, wall, false);
                if (logged) {
                    last = line(Meter.means(window), lr, (finished - windowSamples) / Math.max(1e-3, (now - windowMillis) / 1000.0));
                    emit(last);
                    window = Map.of();
                    windowSamples = finished;
                    windowMillis = now;
                }
                // Mid-batch DIS state is not saved: a checkpoint waits for a batch boundary.
                if (saving) checkpoint(evaluates(step + 1));
                if (evaluates(step + 1)) {
                    Evaluated e = evaluate(step + 1, wall);
                    if (e.cut()) return new Result(last, null, true);   // its checkpoint says it follows: resumed, the run evaluates it
                    eval = e.line();
                }
                // A stop is agreed between the ranks where a log line was read anyway, at a step the run can resume from.
                if (logged && !end && supervised.atBoundary() && group.allReduceSum(stopRequested ? 1 : 0)[0] > 0) {
                    if (savedStep != step + 1 || evaluates(step + 1)) checkpoint(false);   // a whole evaluation is not repeated on resume
                    return new Result(last, null, true);
                }
            }
        }
        return new Result(last, eval, false);
    }

    /** Whether the run evaluates after {@code step} steps: every eval_every, and at its last. */
    private boolean evaluates(long step) {
        return (c.evalEvery() > 0 && step % c.evalEvery() == 0) || step == c.steps();
    }

    /**
     * The evaluation after {@code step} steps, written to the metrics. A stop may cut it short where the checkpoint of its
     * step says that it follows (a full-scale validation takes many minutes on a CPU): the ranks agree on the stop after
     * it, and a cut evaluation is discarded whole, even one that a late stop let finish.
     */
    private Evaluated evaluate(long step, long wallMillis) {
        boolean cuttable = savedStep == step && at.evaluating();
        Evaluator.Scored scored = evaluator.evaluate(evaluationModel(), step, cuttable ? () -> stopRequested : () -> false);
        if (cuttable && group.allReduceSum(stopRequested ? 1 : 0)[0] > 0) return new Evaluated(null, true);
        if (scored == null) return new Evaluated(null, false);
        MetricsLine.Evaluation e = new MetricsLine.Evaluation(step, scored.split(), scored.scores(), scored.test(), calls(step, net.config()), wallMillis / 1000.0);
        emit(e);
        return new Evaluated(e, false);
    }

    /** A window whose loss is not finite ends the run in one line (the weights are already spoiled). */
    private void checkFinite(Map<Metric, double[]> window, long step) {
        double[] loss = window.get(Metric.LOSS);
        if (loss == null || Double.isFinite(loss[0])) return;
        throw new Diverged("training stopped: the loss became " + loss[0] + " by step " + (step + 1)
                + (savedStep < 0 ? "; no checkpoint was written yet" : "; the last good checkpoint is at step " + savedStep), step + 1);
    }

    /**
     * One optimiser step on one supervision step of the batch: the policy's feed, the shared step,
     * the gradients summed over the ranks, the updates. Nothing is read back to the host.
     */
    private <S extends TensorRecord> void step(Supervised<S> sup, Prefetcher stream, long step, double lr, Meter meter) {
        try (Scope scope = Scope.open()) {
            Supervision.Begun<S> begun = sup.policy.begin(sup.state.get(), net, stream, step);
            Supervision.Feed feed = begun.feed();
            SupervisionStep.Outcome out = SupervisionStep.run(net, feed, c.microBatch(), c.batch());
            Tensor grads = adam.gradients(net.weights());
            if (grads != null) group.allReduceSum(grads);
            adam.step(net.weights(), lr);
            Tensor rowGrad = out.puzzleRows().grad();
            if (rowGrad.defined())
                SignSgd.step(net.puzzleTable(), group.allGather(feed.rows().ids()), group.allGather(rowGrad), puzzleLr.at(step), c.puzzleWd());
            if (ema != null) ema.update(net.weights());
            adam.zeroGrad(net.weights());
            sup.state.replace(sup.policy.end(begun.state(), net, feed, out, step, meter));   // the new state outlives the step's scope
            // Each rank's loss is its share of the batch's: counted once, by rank 0, after the sum.
            meter.add(Metric.LOSS, out.loss(), group.isMain() ? 1 : 0);
            meter.add(Metric.CE, out.ce(), group.isMain() ? 1 : 0);
        }
    }

    /** Network calls of {@code steps} optimiser steps, each a supervision step on the whole batch: T*(n+1). */
    static long calls(long steps, ModelConfig m) {
        return steps * m.callsPerStep();
    }

    /** A training line from the means of a window's meters (named as in {@link SupervisionStep} and the policies). */
    private MetricsLine.Training line(Map<Metric, Double> w, double lr, double samplesPerSecond) {
        List<Double> perStep = new ArrayList<>();
        for (int s = 1; w.containsKey(Metric.stepAcc(s)); s++) perStep.add(w.get(Metric.stepAcc(s)));
        ModelConfig mc = net.config();
        long calls = calls(at.step(), mc), withGrad = at.step() * (mc.n() + 1);   // the last cycle has the gradient
        // A call runs the network on a whole batch: per sample, that is batch calls over samples finished.
        Double perSample = at.samples() == 0 ? null : (double) calls * c.batch() / at.samples();
        return new MetricsLine.Training(at.step(), at.position(), w.get(Metric.LOSS), w.get(Metric.CE), w.get(Metric.TOKEN_ACC),
                w.get(Metric.EXACT_ACC), perStep, w.get(Metric.HALT_STEPS), w.get(Metric.Q_HALT_ACC), lr, withGrad, calls - withGrad, at.samples(), perSample, samplesPerSecond,
                Threads.current(), at.wallMillis() / 1000.0);
    }

    /** What this start (or resumption) of the run computes with, for its metrics: the machine can change on resume. */
    private MetricsLine.Engine engineLine() {
        PrecisionChoice choice = PrecisionChoice.of(c.precision(), net.device());
        return new MetricsLine.Engine(at.step(), net.precision().toString(),
                choice.precision() == net.precision() ? choice.reason() : "as saved in the checkpoint", net.device().toString(),
                Threads.current(), Threads.adaptive(), Cpu.current().describe(), group.size());
    }

    private void emit(MetricsLine line) {
        for (Listener l : listeners) l.logged(line, c.steps());
    }

    /** @param evaluating an evaluation of this step follows the checkpoint (the metrics saved with it lack its line) */
    private void checkpoint(boolean evaluating) {
        at = new TrainState.Counters(at.step(), at.position(), at.adamSteps(), at.metricsBytes(), at.samples(), at.wallMillis(), evaluating);
        supervisionState = supervised.save();   // gathered from the ranks: every rank takes part
        for (Listener l : listeners) l.checkpoint(this);
        savedStep = at.step();
    }

    /** The weights evaluation uses: the EMA when it is on (docs/METHOD.md section 4), else the weights. */
    public Network evaluationModel() {
        if (ema == null) return net;
        Map<String, Tensor> t = new LinkedHashMap<>(net.tensors());
        t.putAll(ema.weights());
        return new Network(net.config(), net.precision(), net.device(), t);
    }

    /** A policy and the state it carries from one step to the next, held whole. */
    private static final class Supervised<S extends TensorRecord> {
        final Supervision<S> policy;
        final Holder<S> state = new Holder<>();

        Supervised(Supervision<S> policy) {
            this.policy = policy;
        }

        boolean atBoundary() {
            return policy.atBoundary(state.get());
        }

        Map<String, Tensor> save() {
            return policy.save(state.get());
        }

        void restore(Network net, Map<String, Tensor> saved) {
            try (Scope scope = Scope.open()) {
                state.replace(policy.restore(net, saved));
            }
        }
    }

    /** Writes the whole training state atomically (see {@link TrainState}); {@code metricsBytes}: the metrics log's length now. */
    public void save(Path file, JsonNode preset, long metricsBytes) throws IOException {
        at = new TrainState.Counters(at.step(), at.position(), at.adamSteps(), metricsBytes, at.samples(), at.wallMillis(), at.evaluating());
        TrainState.save(file, net, ema, adam, supervisionState, preset, at);
    }
}
