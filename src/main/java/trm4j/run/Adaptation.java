package trm4j.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import org.bytedeco.pytorch.Tensor;

import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.UserError;
import trm4j.config.DataConfig;
import trm4j.config.Presets;
import trm4j.config.TrainConfig;
import trm4j.data.ArcEvalSet;
import trm4j.data.ArcReader;
import trm4j.data.ArcSets;
import trm4j.data.ArcTask;
import trm4j.data.ArcTraining;
import trm4j.data.ArcVersions;
import trm4j.data.Datasets;
import trm4j.engine.Torch;
import trm4j.eval.Answering;
import trm4j.eval.ArcEval;
import trm4j.model.Network;
import trm4j.train.Trainer;

/**
 * Answering an ARC task the model has never seen (test-time adaptation). A trained model has no
 * puzzle embedding for a new task, so the task gets fresh (zero) embeddings, one per augmented
 * version, fitted in memory on the task's demonstration pairs (with the weights too when asked);
 * then its test inputs are answered under every version and voted on. Zero steps answer with the
 * blank embeddings: the baseline that adaptation must beat.
 */
public final class Adaptation {
    /**
     * @param steps   adaptation steps (0: answer with blank embeddings)
     * @param versions augmented versions of the task, fitted and voted over
     * @param batch   rows per adaptation step
     * @param weights also fine-tune the weights (at the run's learning rate / 10)
     * @param millis  a budget of wall time for the steps (0: none); the steps done when it runs out are kept
     */
    public record Options(int steps, int versions, int batch, boolean weights, long millis) {
        public Options {
            if (steps < 0) throw new UserError("steps " + steps + ": must be at least 0");
            if (versions < 1 || versions > 1000) throw new UserError("versions " + versions + ": must be in 1..1000");
            if (batch < 1 || batch > 4096) throw new UserError("batch " + batch + ": must be in 1..4096");
            if (millis < 0) throw new UserError("the time budget must be at least 0 (0: none)");
        }
    }

    /**
     * A model fitted to one task: a network of its own whose puzzle table has a row per version.
     *
     * @param stepsDone adaptation steps taken (fewer than asked when the budget or a stop ended them)
     */
    public record Fitted(Network network, ArcTask task, ArcVersions versions, int rows, int cols, int stepsDone) implements AutoCloseable {
        @Override public void close() {
            network.close();
        }
    }

    private Adaptation() {}

    /** The canvas of an ARC model: rows x cols, 1 x L for a set of single rows (1D-ARC). */
    public static int[] canvas(ModelFile m) {
        int seq = m.network().config().seqLen(), rows = ArcSets.singleRows(arc(m).set()) ? 1 : (int) Math.round(Math.sqrt(seq));
        return new int[] {rows, seq / rows};
    }

    private static DataConfig.Arc arc(ModelFile m) {
        if (!(m.data() instanceof DataConfig.Arc arc)) throw new UserError(m.file() + ": a " + m.kind() + " model answers no ARC task");
        return arc;
    }

    /** Whether every grid of the task fits the model's canvas. */
    public static boolean fits(ModelFile m, ArcTask task) {
        int[] c = canvas(m);
        return Datasets.fits(task, c[0], c[1]);
    }

    /**
     * Fits fresh embeddings for a task's versions (and the weights, when asked) on its
     * demonstrations. {@code progress} gets the steps done; {@code stop} is asked between steps.
     */
    public static Fitted fit(ModelFile m, ArcTask task, Options o, LongConsumer progress, BooleanSupplier stop) {
        return train(fresh(m, task, o), m.preset(), o, progress, stop);
    }

    /** The network a task is fitted with, before any step: the trained weights (copied when they will change) and blank embeddings. */
    public static Fitted fresh(ModelFile m, ArcTask task, Options o) {
        int[] c = canvas(m);
        if (!Datasets.fits(task, c[0], c[1]))
            throw new UserError("task " + task.id() + ": a grid is larger than the model's " + c[0] + "x" + c[1] + " canvas");
        ArcTask demonstrations = new ArcTask(task.id(), task.source(), task.train(), List.of());
        ArcVersions v = ArcVersions.build(List.of(demonstrations), o.versions(), 0, ArcSets.dihedrals(arc(m).set()));
        return new Fitted(fresh(m.network(), v.size() + 1, o.weights()), demonstrations, v, c[0], c[1], 0);
    }

    /** The steps of {@link #fit}, on a fresh network of {@link #fresh}; the network is trained in place. */
    public static Fitted train(Fitted f, ObjectNode preset, Options o, LongConsumer progress, BooleanSupplier stop) {
        if (o.steps() == 0) return f;
        Network net = f.network();
        // Frozen weights need no gradient of their own: backward then only carries the puzzle rows'.
        if (!o.weights()) net.weights().values().forEach(w -> w.set_requires_grad(false));
        Trainer trainer = new Trainer(net, adaptation(preset, o), new ArcTraining(List.of(f.task()), f.versions(), f.rows(), f.cols(), 0));
        long start = System.currentTimeMillis();
        long[] done = {0};
        trainer.listen(new Trainer.Listener() {
            @Override public void stepped(long step) {
                done[0] = step;
                progress.accept(step);
                if (stop.getAsBoolean() || (o.millis() > 0 && System.currentTimeMillis() - start >= o.millis())) trainer.requestStop();
            }
        });
        try {
            trainer.run();
        } catch (Trainer.Diverged d) {
            throw new UserError("adapting to task " + f.task().id() + " diverged: the loss was not finite by step " + d.step
                    + (o.weights() ? "; adapt the puzzle embeddings alone (without the weights), or take fewer steps" : "; take fewer steps"));
        }
        return new Fitted(net, f.task(), f.versions(), f.rows(), f.cols(), (int) done[0]);
    }

    /**
     * The task's test inputs answered under every fitted version, voted (pass@1 and pass@2 where the
     * truth is known). {@code progress} gets the test inputs answered; {@code stop} is asked between
     * batches, and a stopped answer holds no test input.
     */
    public static ArcEval.Result answer(Fitted f, List<ArcTask.Pair> tests, Answering how, LongConsumer progress, BooleanSupplier stop) {
        ArcEvalSet set = new ArcEvalSet(List.of(f.task()), new int[] {0}, List.of(tests), f.versions(), f.rows(), f.cols());
        int versions = f.versions().size();   // the queries come test input by test input, each under every version
        return ArcEval.run(f.network(), set, versions, List.of(1, 2), how, queries -> progress.accept(queries / versions), stop);
    }

    /** The run's training settings for adaptation: the asked steps and batch, no warm-up, no evaluation, the weights frozen unless asked. */
    static TrainConfig adaptation(ObjectNode preset, Options o) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("train.steps", String.valueOf(Math.max(1, o.steps())));
        t.put("train.batch", String.valueOf(o.batch()));
        t.put("train.micro_batch", "0");
        t.put("train.epochs", "0");
        t.put("train.warmup", "0");
        t.put("train.eval_every", "0");
        t.put("train.log_every", "1");
        t.put("train.checkpoint_every", String.valueOf(Math.max(1, o.steps())));
        ObjectNode doc = Presets.apply(preset.deepCopy(), "adaptation", t);
        TrainConfig tc = Presets.trainOf(doc, "adaptation");
        ((ObjectNode) doc.get("train")).put("lr", o.weights() ? tc.lr() / 10 : 0.0);
        return Presets.trainOf(doc, "adaptation");
    }

    /** The trained weights (copied when they will change) with a zero puzzle table of {@code ids} rows. */
    static Network fresh(Network trained, int ids, boolean copyWeights) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        trained.tensors().forEach((k, x) -> t.put(k, copyWeights ? x.detach().clone() : x));
        t.put(Network.PUZZLE, Torch.zeros(trained.device(), trained.puzzleTable().scalar_type().intern(), ids, trained.config().puzzleWidth()));
        return new Network(trained.config().withPuzzleIds(ids), trained.precision(), trained.device(), t);
    }

    /** The widest 1D-ARC grid a 1D model's reader accepts, else ARC's 30. */
    public static int maxCols(ModelFile m) {
        return canvas(m)[0] == 1 ? ArcSets.ONE_D_MAX : ArcReader.MAX_SIDE;
    }
}
