package trm4j.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * How to evaluate a model on its run's held-out data (or on data changed by overrides).
 *
 * @param overrides   data fields, e.g. {@code "data.test" -> "1000"}
 * @param versions    ARC: augmented versions voted over per test input (0: the run's)
 * @param guidance    the guided-decoding weight w: (1 - w) x the logits before a step + w x those after it (1: plain)
 * @param ks          ARC: the k of pass@k
 * @param batch       rows per forward pass (0: the run's)
 * @param identifiers ARC: a reference dataset's identifiers.json, so that a reference checkpoint answers the versions it was trained with; or null
 * @param progress    told the items (puzzles, ARC answers) done
 * @param stop        asked between batches: true ends the evaluation with what it has scored
 * @param solve       sampled trajectories and how one answer is chosen ({@link SolveOptions#defaults}: the deterministic answer)
 * @param validation  score the run's validation puzzles instead of its test set (where choices are made)
 */
public record EvalOptions(Map<String, String> overrides, int versions, double guidance, List<Integer> ks, int batch, Path identifiers,
                          Progress progress, BooleanSupplier stop, SolveOptions solve, boolean validation) {
    public EvalOptions {
        if (overrides == null || ks == null || progress == null || stop == null || solve == null) throw new InvalidInputException("EvalOptions: a field is null");
        if (versions < 0) throw new InvalidInputException("versions " + versions + ": must be at least 1 (or 0 for the run's)");
        if (!Double.isFinite(guidance)) throw new InvalidInputException("guidance " + guidance + ": must be a finite number");
        for (Integer k : ks) if (k == null || k < 1) throw new InvalidInputException("ks " + k + ": k must be at least 1 (pass@k counts k attempts)");
        if (batch < 0) throw new InvalidInputException("batch " + batch + ": must be at least 1 (or 0 for the run's)");
        overrides = Args.overrides("EvalOptions.overrides", overrides);
        ks = List.copyOf(ks);
    }

    /** The run's data, versions and batch; plain decoding, one trajectory; pass@1 and pass@2; its test set. */
    public static EvalOptions defaults() {
        return new EvalOptions(Map.of(), 0, 1.0, List.of(1, 2), 0, null, Progress.NONE, () -> false, SolveOptions.defaults(), false);
    }

    public EvalOptions withOverrides(Map<String, String> o) { return new EvalOptions(o, versions, guidance, ks, batch, identifiers, progress, stop, solve, validation); }
    public EvalOptions withVersions(int v) { return new EvalOptions(overrides, v, guidance, ks, batch, identifiers, progress, stop, solve, validation); }
    public EvalOptions withGuidance(double w) { return new EvalOptions(overrides, versions, w, ks, batch, identifiers, progress, stop, solve, validation); }
    public EvalOptions withKs(List<Integer> k) { return new EvalOptions(overrides, versions, guidance, k, batch, identifiers, progress, stop, solve, validation); }
    public EvalOptions withBatch(int b) { return new EvalOptions(overrides, versions, guidance, ks, b, identifiers, progress, stop, solve, validation); }
    public EvalOptions withIdentifiers(Path i) { return new EvalOptions(overrides, versions, guidance, ks, batch, i, progress, stop, solve, validation); }
    public EvalOptions withProgress(Progress p) { return new EvalOptions(overrides, versions, guidance, ks, batch, identifiers, p, stop, solve, validation); }
    public EvalOptions withSolve(SolveOptions o) { return new EvalOptions(overrides, versions, guidance, ks, batch, identifiers, progress, stop, o, validation); }
    public EvalOptions withValidation(boolean v) { return new EvalOptions(overrides, versions, guidance, ks, batch, identifiers, progress, stop, solve, v); }
    public EvalOptions withStop(BooleanSupplier s) { return new EvalOptions(overrides, versions, guidance, ks, batch, identifiers, progress, s, solve, validation); }
}
