package trm4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.UserError;
import trm4j.data.Prefetcher;
import trm4j.data.TrainingSet;
import trm4j.engine.Cpu;
import trm4j.engine.PrecisionChoice;
import trm4j.engine.Threads;
import trm4j.model.Checkpoint;
import trm4j.model.Network;

/**
 * The training loop shared by TRM and DIS: one optimiser step per supervision step (the
 * {@link Supervision} decides targets and carries), AdamATan2/AdamW on the weights, sign-SGD on the
 * touched puzzle rows, EMA, metrics lines, periodic evaluation and atomic checkpoints.
 */
public final class Trainer {
    /** Hooks for the command line: progress display and evaluation on held-out data. */
    public interface Listener {
        void logged(Map<String, Object> line, long totalSteps);

        /** Evaluates the model (EMA weights when on); returns the fields of an "eval" line. */
        Map<String, Object> evaluate(Network model, long step);

        /** No display, no evaluation (for short inner runs such as adapting to a new task). */
        Listener QUIET = new Listener() {
            @Override public void logged(Map<String, Object> line, long totalSteps) {}

            @Override public Map<String, Object> evaluate(Network model, long step) { return Map.of(); }
        };
    }

    /**
     * The end of a run: the last metrics line, the last evaluation (null when stopped early), where
     * the model was saved, and whether {@link #requestStop} ended it before its last step.
     */
    public record Result(Map<String, Object> last, Map<String, Object> eval, Path model, boolean stopped) {}

    public static final String MODEL_FILE = "model.safetensors", METRICS_FILE = "metrics.jsonl";
    /** Metadata key of the run's preset document in both checkpoint files. */
    public static final String PRESET_KEY = TrainState.PRESET_KEY;

    private final Network net;
    private final TrainConfig c;
    private final TrainingSet data;
    private final Path dir;
    private final JsonNode preset;
    private final Listener listener;
    private final Adam adam;
    private final Ema ema;
    private final Supervision supervision;
    private final LearningRate weightLr, puzzleLr;
    private TrainState.Counters at = new TrainState.Counters(0, 0, 0, 0, 0, 0, 0, 0);
    private long savedStep = -1;
    private volatile boolean stopRequested;

    /** @param dir the run folder, or null for a run in memory that writes no file (solve's adaptation) */
    public Trainer(Network net, TrainConfig c, TrainingSet data, Path dir, JsonNode preset, Listener listener) {
        this.net = net;
        this.c = c;
        this.data = data;
        this.dir = dir;
        this.preset = preset;
        this.listener = listener;
        this.adam = Adam.of(c, net.weights());
        this.ema = c.ema() > 0 ? new Ema(c.ema(), net.weights()) : null;
        this.supervision = c.dis() ? new DisSupervision(net, c) : new TrmSupervision(net, c);
        this.weightLr = LearningRate.of(c, c.lr());
        this.puzzleLr = LearningRate.of(c, c.puzzleLr());
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
        MetricsLog log = new MetricsLog(dir == null ? null : dir.resolve(METRICS_FILE), at.metricsBytes());
        Path model = dir == null ? null : dir.resolve(MODEL_FILE);
        long startMillis = System.currentTimeMillis(), windowMillis = startMillis, wallBefore = at.wallMillis();
        // Calls on a whole batch; the network counts them per row, so that micro-batches count once.
        long b = c.batch(), rowsGrad0 = net.rowCallsWithGrad() - at.callsWithGrad() * b,
                rowsNoGrad0 = net.rowCallsWithoutGrad() - at.callsWithoutGrad() * b;
        long windowSamples = at.samples(), finished = at.samples();   // samples whose last step ran
        Map<String, Object> last = Map.of(), eval = null;
        Meter meter = new Meter();
        log.write(engineLine());
        try (Prefetcher stream = new Prefetcher(data, at.position(), Math.max(64, 4 * c.batch()))) {
            for (long step = at.step(); step < c.steps(); step++) {
                Threads.adapt();
                double lr = weightLr.at(step);
                try (PointerScope scope = new PointerScope()) {
                    Supervision.Step s = supervision.forward(net, stream, step, meter);
                    double loss = s.loss();
                    if (!Double.isFinite(loss))
                        throw new UserError("training stopped: the loss is " + loss + " at step " + (step + 1)
                                + (savedStep < 0 ? "; no checkpoint was written yet" : "; the last good checkpoint is "
                                + dir.resolve(TrainState.FILE) + " (step " + savedStep + ")"));
                    adam.step(net.weights(), lr);
                    Tensor rowGrad = s.puzzleRows().grad();
                    if (rowGrad.defined()) SignSgd.step(net.puzzleTable(), s.ids(), rowGrad, puzzleLr.at(step), c.puzzleWd());
                    if (ema != null) ema.update(net.weights());
                    adam.zeroGrad(net.weights());
                    meter.add("loss", loss, 1);
                    finished += s.finished();
                }
                Map<String, Double> window = null;
                if ((step + 1) % c.logEvery() == 0 || step + 1 == c.steps()) window = meter.drain();
                long now = System.currentTimeMillis(), wall = wallBefore + now - startMillis;
                long grad = (net.rowCallsWithGrad() - rowsGrad0) / b, noGrad = (net.rowCallsWithoutGrad() - rowsNoGrad0) / b;
                at = new TrainState.Counters(step + 1, stream.position(), adam.stepCount(), at.metricsBytes(), grad, noGrad, finished, wall);
                if (window != null) {
                    last = line(step + 1, stream.position(), window, lr, grad, noGrad, finished, c.batch(),
                            (finished - windowSamples) / Math.max(1e-3, (now - windowMillis) / 1000.0), wall);
                    log.write(last);
                    listener.logged(last, c.steps());
                    windowSamples = finished;
                    windowMillis = now;
                }
                boolean end = step + 1 == c.steps();
                if ((c.evalEvery() > 0 && (step + 1) % c.evalEvery() == 0) || end) {
                    long before = net.rowCallsWithGrad() + net.rowCallsWithoutGrad();
                    eval = new LinkedHashMap<>(listener.evaluate(evaluationModel(), step + 1));
                    rowsNoGrad0 += net.rowCallsWithGrad() + net.rowCallsWithoutGrad() - before;   // evaluation is not training
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("step", step + 1);
                    e.put("eval", eval);
                    e.put("calls", grad + noGrad);
                    e.put("wall_s", wall / 1000.0);
                    log.write(e);
                }
                // Mid-batch DIS state is not saved: a run resumed from an end that was not a batch
                // boundary starts a fresh batch.
                if (end || ((step + 1) % c.checkpointEvery() == 0 && supervision.atBoundary())) checkpoint(log);
                if (stopRequested && !end && supervision.atBoundary()) {
                    if (savedStep != step + 1) checkpoint(log);
                    return new Result(last, null, model, true);
                }
            }
        }
        return new Result(last, eval, model, false);
    }

    private static Map<String, Object> line(long step, long position, Map<String, Double> w, double lr, long grad,
                                            long noGrad, long samples, int batch, double samplesPerSecond, long wall) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("position", position);
        for (String k : new String[] {"loss", "ce", "token_acc", "exact_acc", "halt_steps", "q_halt_acc"})
            if (w.containsKey(k)) m.put(k, w.get(k));
        java.util.List<Double> perStep = new java.util.ArrayList<>();
        for (int s = 1; w.containsKey("step_acc." + s); s++) perStep.add(w.get("step_acc." + s));
        if (!perStep.isEmpty()) m.put("step_acc", perStep);
        m.put("lr", lr);
        m.put("calls_grad", grad);
        m.put("calls_nograd", noGrad);
        m.put("samples", samples);
        // A call runs the network on a whole batch: per sample, that is batch calls over samples finished.
        m.put("calls_per_sample", samples == 0 ? null : (double) (grad + noGrad) * batch / samples);
        m.put("samples_per_s", samplesPerSecond);
        m.put("threads", Threads.current());
        m.put("wall_s", wall / 1000.0);
        return m;
    }

    /** What this start (or resumption) of the run computes with, for its metrics: the machine can change on resume. */
    private Map<String, Object> engineLine() {
        PrecisionChoice choice = PrecisionChoice.of(c.precision());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("precision", net.precision().toString());
        e.put("precision_reason", choice.precision() == net.precision() ? choice.reason() : "as saved in the checkpoint");
        e.put("threads", Threads.current());
        e.put("threads_adapt", Threads.adaptive());
        e.put("cpu", Cpu.current().describe());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", at.step());
        line.put("engine", e);
        return line;
    }

    /** The weights evaluation uses: the EMA when it is on (SPEC.md section 4), else the weights. */
    public Network evaluationModel() {
        if (ema == null) return net;
        Map<String, Tensor> t = new LinkedHashMap<>(net.tensors());
        t.putAll(ema.weights());
        return new Network(net.config(), net.precision(), t);
    }

    /** The training state, then the model alone for eval and solve; each file atomically. */
    private void checkpoint(MetricsLog log) {
        if (dir == null) return;   // a run in memory
        at = new TrainState.Counters(at.step(), at.position(), at.adamSteps(), log.length(), at.callsWithGrad(),
                at.callsWithoutGrad(), at.samples(), at.wallMillis());
        try {
            TrainState.save(dir.resolve(TrainState.FILE), net, ema, adam, supervision, preset, at);
            savedStep = at.step();
            Checkpoint.save(evaluationModel(), dir.resolve(MODEL_FILE), Map.of(PRESET_KEY, preset.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint in " + dir, e);
        }
    }
}
