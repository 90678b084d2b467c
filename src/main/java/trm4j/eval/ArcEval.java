package trm4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import trm4j.data.ArcCanvas;
import trm4j.data.ArcEvalSet;
import trm4j.data.ArcTask;
import trm4j.data.Batch;
import trm4j.data.Grid;
import trm4j.engine.Group;
import trm4j.metrics.ArcScores;
import trm4j.model.Inference;
import trm4j.model.RecursiveModel;

/**
 * ARC evaluation (docs/METHOD.md section 6): every held-out test input is answered under several
 * augmented versions of its task (batches mix tasks and versions), each answer is decoded, mapped
 * back, and voted on; pass@k = mean over tasks of the fraction of their test inputs whose truth is
 * among the top k. Voting is also done after every supervision step, for the step curve.
 *
 * <p>Tie-break confidence: mean sigmoid(q_halt) for a model with a trained halting head (TRM);
 * for DIS, whose q_head is never trained, the mean stable-max probability of the answer's cells.
 * With sampled trajectories every sample of every version votes.
 */
public final class ArcEval {
    private ArcEval() {}

    /**
     * @param ranked the candidates after the last step, best first
     * @param path    the decoded answer of the original version after each step (null: no grid)
     * @param halting the original version's sigmoid(q_halt) after each step
     */
    public record TestResult(String taskId, int test, List<Votes.Candidate> ranked, Grid truth, List<Grid> path, double[] halting) {}

    /** @param passAtK k -> score; stepPass2: pass@2 after each step */
    public record Result(List<TestResult> tests, Map<Integer, Double> passAtK, List<Double> stepPass2, int tasks, int versions,
                         Map<String, ArcTask> originals) {
        /** The original task (demonstrations and test pairs) of a result's task id. */
        public ArcTask task(String id) { return originals.get(id); }

        public ArcScores scores() {
            return new ArcScores(tasks, tests.size(), versions, new TreeMap<>(passAtK), stepPass2);
        }
    }

    /**
     * Answers every query and votes. {@code stop} is asked between batches: when it says so, the
     * result covers the tasks whose queries were all answered (queries come task by task).
     */
    public static Result run(RecursiveModel net, ArcEvalSet set, int versions, List<Integer> ks, Answering a, LongConsumer progress,
                             BooleanSupplier stop) {
        return run(net, set, versions, ks, a, progress, stop, Group.SINGLE);
    }

    /**
     * Sharded over a group's ranks: in round j, rank r answers batch j x size + r; the round's
     * answers are gathered and every rank votes on all of them in query order, so the result is
     * the one process's, exactly. A stop is agreed between the ranks at the start of a round.
     */
    public static Result run(RecursiveModel net, ArcEvalSet set, int versions, List<Integer> ks, Answering a, LongConsumer progress,
                             BooleanSupplier stop, Group group) {
        int batch = a.batch(), samples = a.sampling().samples();
        boolean haltingConfidence = a.method().trainsHalting();
        List<ArcEvalSet.Query> queries = set.queries(versions);
        int nSup = net.config().nSup(), seq = set.rows() * set.cols(), batches = (queries.size() + batch - 1) / batch;
        Map<String, List<Votes>> votes = new LinkedHashMap<>();        // "h/i" -> per step
        Map<String, List<Grid>> paths = new LinkedHashMap<>();
        Map<String, double[]> halting = new LinkedHashMap<>();
        int answered = 0, row = rowLength(nSup, seq);
        for (int round = 0; round * group.size() < batches; round++) {
            if (group.allReduceSum(stop.getAsBoolean() ? 1 : 0)[0] > 0) break;
            int mine = round * group.size() + group.rank();
            double[] answers = answer(net, queries, mine, batch, nSup, seq, a);
            double[] packed = group.allGather(answers);
            for (int r = 0; r < group.size() && round * group.size() + r < batches; r++) {
                int k = round * group.size() + r, at = r * packedLength(batch * samples, nSup, seq), n = (int) packed[at++];
                for (int i = 0; i < n; i++, at += row) {   // a query's samples in a row: every one votes
                    ArcEvalSet.Query q = queries.get(k * batch + i / samples);
                    String key = q.task() + "/" + q.test();
                    List<Votes> perStep = votes.computeIfAbsent(key, x -> newVotes(nSup));
                    boolean original = q.version() == set.versions().first(set.heldOut()[q.task()]) && i % samples == 0;
                    int qAt = at + nSup * seq, cellsAt = qAt + nSup;
                    if (original) {
                        double[] h = new double[nSup];
                        for (int s = 0; s < nSup; s++) h[s] = sigmoid(packed[qAt + s]);
                        halting.put(key, h);
                    }
                    for (int s = 0; s < nSup; s++) {
                        byte[] tokens = new byte[seq];
                        for (int j = 0; j < seq; j++) tokens[j] = (byte) packed[at + s * seq + j];
                        Grid g = ArcCanvas.decode(tokens, set.rows(), set.cols());
                        double confidence = haltingConfidence ? sigmoid(packed[qAt + nSup - 1])
                                : g == null ? 0 : meanOver(packed, cellsAt, g, set.cols());
                        Grid back = g == null ? null : set.versions().invert(q.version(), g);
                        perStep.get(s).add(back, confidence);
                        if (original) paths.computeIfAbsent(key, x -> new ArrayList<>()).add(back);
                    }
                }
                answered = k * batch + n / samples;
            }
            progress.accept(answered);
        }
        int complete = answered == queries.size() ? set.heldOut().length : answered == 0 ? 0 : queries.get(answered - 1).task()
                + (queries.get(answered).task() != queries.get(answered - 1).task() ? 1 : 0);
        return score(set, votes, paths, halting, ks, nSup, versions, complete);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Doubles of one answered query: the tokens after each step, the halting logit after each step, and the last step's cell probabilities. */
    private static int rowLength(int nSup, int seq) {
        return nSup * seq + nSup + seq;
    }

    /** Doubles of one packed batch: its row count, then its rows. */
    private static int packedLength(int batch, int nSup, int seq) {
        return 1 + batch * rowLength(nSup, seq);
    }

    /**
     * Batch k of the queries answered, packed (rows beyond the last query stay 0): per row, the
     * tokens after each of the N_sup steps, then [seq] values for the confidence: sigmoid's input
     * q_halt first (TRM), or each cell's stable-max probability after the last step (DIS).
     */
    private static double[] answer(RecursiveModel net, List<ArcEvalSet.Query> queries, int k, int batch, int nSup, int seq, Answering how) {
        boolean haltingConfidence = how.method().trainsHalting();
        int samples = how.sampling().samples();
        double[] packed = new double[packedLength(batch * samples, nSup, seq)];
        if (k * batch >= queries.size()) return packed;
        List<ArcEvalSet.Query> part = queries.subList(k * batch, Math.min(queries.size(), (k + 1) * batch));
        Batch rows = Batch.of(part.stream().map(ArcEvalSet.Query::sample).toList());
        Inference.Answer a = Inference.run(net, rows.tokens(), rows.puzzleIds(), (long) k * batch, how.method(), how.guidance(), !haltingConfidence, how.sampling());
        double[] cells = a.cells();
        packed[0] = part.size() * samples;
        int at = 1;
        for (int i = 0; i < part.size() * samples; i++, at += rowLength(nSup, seq)) {
            for (int s = 0; s < nSup; s++) for (int j = 0; j < seq; j++) packed[at + s * seq + j] = a.predictions()[s][i][j];
            for (int s = 0; s < nSup; s++) packed[at + nSup * seq + s] = a.qHalt()[s][i];
            if (!haltingConfidence) System.arraycopy(cells, i * seq, packed, at + nSup * seq + nSup, seq);
        }
        return packed;
    }

    private static List<Votes> newVotes(int n) {
        List<Votes> l = new ArrayList<>();
        for (int s = 0; s < n; s++) l.add(new Votes());
        return l;
    }

    /** Scores the first {@code tasks} held-out tasks of the set: the reference evaluator's rules (VotingTest pins them). */
    static Result score(ArcEvalSet set, Map<String, List<Votes>> votes, Map<String, List<Grid>> paths, Map<String, double[]> halting,
                                List<Integer> ks, int nSup, int versions, int tasks) {
        List<TestResult> tests = new ArrayList<>();
        Map<String, ArcTask> originals = new LinkedHashMap<>();
        Map<Integer, Double> passAtK = new LinkedHashMap<>();
        double[] stepPass2 = new double[nSup];
        for (int k : ks) passAtK.put(k, 0.0);
        for (int h = 0; h < tasks; h++) {
            int inputs = set.tests().get(h).size();
            originals.put(set.original(h).id(), set.original(h));
            for (int i = 0; i < inputs; i++) {
                List<Votes> perStep = votes.get(h + "/" + i);
                Grid truth = set.tests().get(h).get(i).output();
                List<Votes.Candidate> ranked = perStep.get(nSup - 1).ranked();
                tests.add(new TestResult(set.original(h).id(), i, ranked, truth, paths.getOrDefault(h + "/" + i, List.of()),
                        halting.getOrDefault(h + "/" + i, new double[0])));
                if (truth == null) continue;
                for (int k : ks) if (Votes.passes(ranked, truth, k)) passAtK.merge(k, 1.0 / inputs / tasks, Double::sum);
                for (int s = 0; s < nSup; s++) if (Votes.passes(perStep.get(s).ranked(), truth, 2)) stepPass2[s] += 1.0 / inputs / tasks;
            }
        }
        List<Double> curve = new ArrayList<>();
        for (double v : stepPass2) curve.add(v);
        return new Result(tests, passAtK, curve, tasks, versions, originals);
    }

    private static double meanOver(double[] p, int offset, Grid g, int cols) {
        double sum = 0;
        for (int r = 0; r < g.rows(); r++) for (int c = 0; c < g.cols(); c++) sum += p[offset + r * cols + c];
        return sum / (g.rows() * g.cols());
    }
}
