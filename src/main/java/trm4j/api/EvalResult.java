package trm4j.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.config.Json;
import trm4j.eval.ArcEval;
import trm4j.eval.Submission;
import trm4j.metrics.ArcScores;
import trm4j.metrics.PuzzleScores;
import trm4j.report.AnswerPages;
import trm4j.run.EvalRun;

/**
 * A model's scores on held-out data. Puzzles: exact accuracy (every cell right) after each
 * supervision step, and token accuracy. ARC: pass@k over the tasks, and pass@2 after each step.
 */
public final class EvalResult {
    private final EvalRun.Outcome outcome;
    private final TaskKind kind;

    EvalResult(EvalRun.Outcome outcome, TaskKind kind) {
        this.outcome = outcome;
        this.kind = kind;
    }

    public TaskKind kind() {
        return kind;
    }

    /** Puzzles scored, or ARC test inputs answered. */
    public int count() {
        ArcEval.Result a = outcome.result().arc();
        return a != null ? a.tests().size() : ((PuzzleScores) outcome.result().scores()).count();
    }

    /** Puzzles: the fraction solved exactly after the last step (NaN for ARC). */
    public double exactAccuracy() {
        return outcome.result().scores() instanceof PuzzleScores p ? p.exact() : Double.NaN;
    }

    /** Puzzles: the fraction of cells right (NaN for ARC). */
    public double tokenAccuracy() {
        return outcome.result().scores() instanceof PuzzleScores p ? p.tokens() : Double.NaN;
    }

    /** Puzzles: exact accuracy after each step; ARC: pass@2 after each step. */
    public List<Double> perStep() {
        return outcome.result().scores().perStep();
    }

    /** ARC: k -> pass@k (empty for puzzles). */
    public Map<Integer, Double> passAtK() {
        return outcome.result().scores() instanceof ArcScores a ? a.passAtK() : Map.of();
    }

    /** The result as the command line prints it. */
    public String report() {
        return outcome.report();
    }

    /** The result as JSON (per ARC test input: candidates, votes, whether right). */
    public String json() {
        try {
            return Json.PRETTY.writeValueAsString(outcome.json());
        } catch (IOException e) {
            throw new Trm4jException("cannot write the result as JSON: " + e.getMessage());
        }
    }

    /** Writes {@link #json} to a file, atomically; returns the file. */
    public Path writeJson(Path file) {
        write(file, () -> Outputs.writeAtomically(Outputs.file(file, "results"), json().getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    /** ARC: writes the ARC Prize submission file, atomically; returns the file. */
    public Path writeSubmission(Path file) {
        write(file, () -> Submission.write(Outputs.file(file, "submission"), arc("a submission").tests()));
        return file;
    }

    /** ARC: one PNG per test input and an index.html; returns the index page. */
    public Path writeImages(Path folder) {
        Path[] page = new Path[1];
        write(folder, () -> page[0] = AnswerPages.write(arc("answer images"), Outputs.folder(folder, "images")));
        return page[0];
    }

    private ArcEval.Result arc(String what) {
        if (outcome.result().arc() == null) throw new InvalidInputException(what + " is for ARC models; this is a " + kind() + " model");
        return outcome.result().arc();
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void write(Path file, Write w) {
        Args.required("file", file);
        try {
            w.run();
        } catch (UserError e) {
            throw new FileException(e.getMessage());
        } catch (IOException e) {
            throw new FileException(file + ": cannot write: " + e.getMessage());
        }
    }
}
