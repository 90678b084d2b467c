package trm4j.data;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trm4j.config.DataConfig;
import trm4j.config.Json;

/** Builds the training stream and the test set a {@link DataConfig} describes. */
public final class Datasets {
    private Datasets() {}

    /**
     * @param kind      the data section's kind ({@link PuzzleKinds} has the generated ones)
     * @param train     the training stream
     * @param test      test samples (for ARC: every query of {@code arc}, versions included)
     * @param validation puzzles held out like the test set, for the choices made while training (empty unless data.validation > 0)
     * @param arc       ARC only: the held-out inputs and their versions, for voting
     * @param arcValidation ARC only: the validation inputs (tasks apart from {@code arc}'s), or null when there are none
     * @param puzzleIds size of the puzzle-embedding table the data needs
     * @param skipped   what was left out and why, in a few words ("" when nothing was)
     */
    public record Data(String kind, TrainingSet train, List<Sample> test, List<Sample> validation, ArcEvalSet arc, ArcEvalSet arcValidation,
                       int seqLen, int vocab, int puzzleIds, String skipped) {}

    public static Data load(DataConfig c) {
        return load(c, null);
    }

    /**
     * The data of a configuration; for ARC with a reference dataset's {@code identifiers.json}
     * (else null), the versions and puzzle ids are the reference's (see {@link ArcVersions#fromIdentifiers}).
     */
    public static Data load(DataConfig c, Path identifiers) {
        if (identifiers != null && !(c instanceof DataConfig.Arc)) throw new DataError("--identifiers: the data is " + c.kind() + ", not ARC");
        if (c instanceof DataConfig.Arc arc) return arc(arc, identifiers);
        DataConfig.Puzzles p = (DataConfig.Puzzles) c;   // the data is ARC or generated puzzles
        PuzzleKind.Splits s = PuzzleKinds.load(p);
        return puzzles(p, s.train(), s.test(), s.validation());
    }

    /** Puzzle sets written by {@code trm4j data generate}: training and test, and the validation puzzles or null. */
    public record PuzzleFiles(Path train, Path test, Path validation) {}

    /** A training, a test and a validation set read from files. */
    public static Data files(DataConfig c, PuzzleFiles f) {
        if (!(c instanceof DataConfig.Puzzles p)) throw new DataError("--train-file: the preset's data is " + c.kind() + "; files hold generated puzzles");
        if (p.validation() > 0 && f.validation() == null)
            throw new DataError("data.validation " + p.validation() + ": with --train-file, give --validation-file (puzzles apart from both sets), "
                    + "or --set validation=0 to evaluate on the test file during training");
        PuzzleSet validation = f.validation() == null || p.validation() == 0 ? null : PuzzleSet.read(f.validation());
        if (validation != null && (validation.seqLen() != PuzzleSet.read(f.test()).seqLen()))
            throw new DataError("--validation-file " + f.validation() + ": its puzzles are not the test set's size");
        return puzzles(p, PuzzleSet.read(f.train()), PuzzleSet.read(f.test()), validation);
    }

    private static Data puzzles(DataConfig.Puzzles c, PuzzleSet train, PuzzleSet test, PuzzleSet validation) {
        if (train.seqLen() != test.seqLen() || !train.kind().name().equals(test.kind().name()))
            throw new DataError("training set (" + train.kind().name() + ", " + train.seqLen() + " cells) and test set ("
                    + test.kind().name() + ", " + test.seqLen() + " cells) differ");
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) samples.add(new Sample(test.inputs()[i], test.labels()[i], 0));
        if (samples.isEmpty()) throw new DataError("data.test: the " + train.kind().name() + " test set is empty: there would be nothing to score");
        List<Sample> held = new ArrayList<>();
        if (validation != null) for (int i = 0; i < validation.size(); i++) held.add(new Sample(validation.inputs()[i], validation.labels()[i], 0));
        return new Data(train.kind().name(), new PuzzleTraining(train, c.augment(), c.seed()), samples, held, null, null,
                train.seqLen(), train.vocab(), 1, "");
    }

    private static Data arc(DataConfig.Arc c, Path identifiers) {
        Path root = ArcSets.root(c.root(), "data.root", c.set());
        List<ArcSets.MixTask> mix = ArcSets.isMix(c.set()) ? ArcSets.mix(c.set(), root, "data.root") : holdOut(c, root);
        boolean[] validating = validationTasks(mix, c);
        int[] shape = ArcSets.canvas(c.set(), c.canvas());
        int rows = shape[0], cols = shape[1];
        List<ArcTask> tasks = new ArrayList<>();
        List<List<ArcTask.Pair>> tests = new ArrayList<>(), checks = new ArrayList<>();   // per task: its test pairs kept apart for testing, for validation, or null
        List<String> tooLargeHeldOut = new ArrayList<>();
        int tooLargeTrain = 0, heldOutAll = 0;
        for (int i = 0; i < mix.size(); i++) {
            ArcSets.MixTask m = mix.get(i);
            ArcTask t = m.task();
            if (m.testHeldOut()) heldOutAll++;
            if (!fits(t, rows, cols)) {   // a grid larger than the canvas cannot be written
                if (m.testHeldOut()) tooLargeHeldOut.add(t.id());
                else tooLargeTrain++;
                continue;
            }
            List<ArcTask.Pair> trained = new ArrayList<>(t.train());
            tests.add(m.testHeldOut() ? t.test() : null);
            checks.add(!m.testHeldOut() && validating[i] ? t.test() : null);
            if (!m.testHeldOut() && !validating[i]) trained.addAll(t.test());
            tasks.add(new ArcTask(t.id(), t.source(), trained, List.of()));
        }
        ArcVersions versions;
        String notNamed = "";
        if (identifiers != null) {
            // The reference's versions, in its order: tasks it does not name are left out.
            Map<String, ArcTask> byName = new LinkedHashMap<>();
            Map<String, List<ArcTask.Pair>> testsByName = new HashMap<>(), checksByName = new HashMap<>();
            for (int i = 0; i < tasks.size(); i++) {
                byName.put(tasks.get(i).id(), tasks.get(i));
                if (tests.get(i) != null) testsByName.put(tasks.get(i).id(), tests.get(i));
                if (checks.get(i) != null) checksByName.put(tasks.get(i).id(), checks.get(i));
            }
            ArcVersions.Identified idt = ArcVersions.fromIdentifiers(readIdentifiers(identifiers), byName, identifiers.toString());
            int missing = (int) testsByName.keySet().stream().filter(n -> idt.tasks().stream().noneMatch(t -> t.id().equals(n))).count();
            tasks = new ArrayList<>(idt.tasks());
            tests = tasks.stream().map(t -> testsByName.get(t.id())).toList();
            checks = tasks.stream().map(t -> checksByName.get(t.id())).toList();
            if (missing > 0) notNamed = "; " + missing + " test tasks skipped: " + identifiers.getFileName() + " does not name them";
            versions = idt.versions();
        } else {
            versions = ArcVersions.build(tasks, c.versions(), c.seed(), ArcSets.dihedrals(c.set()));
        }
        ArcEvalSet eval = evalSet(tasks, tests, versions, rows, cols), checked = evalSet(tasks, checks, versions, rows, cols);
        String canvas = rows + "x" + cols;
        if (eval.heldOut().length == 0)
            throw new DataError("data.set " + c.set() + ": no test task to score (" + (heldOutAll == 0
                    ? "the set keeps no test pairs apart: set data.holdout above 0" : "all " + heldOutAll + " are larger than the " + canvas + " canvas") + ")");
        String skipped = tooLargeHeldOut.isEmpty() && tooLargeTrain == 0 ? "" : String.format(
                "%d of %d test tasks and %d training-only tasks skipped: a grid larger than the %s canvas%s", tooLargeHeldOut.size(), heldOutAll,
                tooLargeTrain, canvas, tooLargeHeldOut.isEmpty() ? "" : " (" + String.join(", ", tooLargeHeldOut.subList(0, Math.min(5, tooLargeHeldOut.size())))
                        + (tooLargeHeldOut.size() > 5 ? ", ..." : "") + ")");
        skipped = (skipped + notNamed).replaceFirst("^; ", "");
        List<Sample> test = eval.queries(c.evalVersions()).stream().map(ArcEvalSet.Query::sample).toList();
        ArcEvalSet validation = checked.heldOut().length == 0 ? null : checked;
        List<Sample> validationSamples = validation == null ? List.of() : validation.queries(c.progressVersionsOrFinal()).stream().map(ArcEvalSet.Query::sample).toList();
        return new Data(c.kind(), new ArcTraining(tasks, versions, rows, cols, c.seed()), test, validationSamples, eval, validation,
                rows * cols, ArcCanvas.VOCAB, versions.size() + 1, skipped);
    }

    /** The tasks that keep pairs apart ({@code apart}: per task, those pairs or null), in the order of {@code tasks}. */
    private static ArcEvalSet evalSet(List<ArcTask> tasks, List<List<ArcTask.Pair>> apart, ArcVersions versions, int rows, int cols) {
        List<Integer> heldOut = new ArrayList<>();
        List<List<ArcTask.Pair>> pairs = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            if (apart.get(i) != null) {
                heldOut.add(i);
                pairs.add(apart.get(i));
            }
        }
        return new ArcEvalSet(tasks, heldOut.stream().mapToInt(Integer::intValue).toArray(), pairs, versions, rows, cols);
    }

    /**
     * Which tasks of the mix keep their test pairs apart as validation: a seeded fraction (data.validation) of those
     * whose test pairs are not held out for the test set, drawn apart from that draw, so the test tasks stay the same.
     */
    private static boolean[] validationTasks(List<ArcSets.MixTask> mix, DataConfig.Arc c) {
        boolean[] out = new boolean[mix.size()];
        List<Integer> trained = new ArrayList<>();
        for (int i = 0; i < mix.size(); i++) if (!mix.get(i).testHeldOut()) trained.add(i);
        int[] order = TrainingSet.permutation(trained.size(), c.seed(), 1);
        int count = (int) Math.round(c.validation() * trained.size());
        for (int k = 0; k < count; k++) out[trained.get(order[k])] = true;
        return out;
    }

    /** identifiers.json: a JSON list of strings, index = puzzle id. */
    private static List<String> readIdentifiers(Path file) {
        try {
            JsonNode n = Json.MAPPER.readTree(file.toFile());
            if (n == null || !n.isArray() || n.size() < 2) throw new DataError(file + ": not a JSON list of puzzle identifiers");
            List<String> out = new ArrayList<>();
            n.forEach(x -> out.add(x.asText()));
            return out;
        } catch (IOException e) {
            throw new DataError(file + ": " + (e instanceof NoSuchFileException ? "no such file" : "not readable JSON"));
        }
    }

    /** Sets without an evaluation split: a seeded fraction of the tasks keeps its test pairs apart. */
    private static List<ArcSets.MixTask> holdOut(DataConfig.Arc c, Path root) {
        List<ArcTask> all = new ArrayList<>();
        ArcSets.read(c.set(), root, "data.root").values().forEach(r -> all.addAll(r.orThrow()));
        int[] order = TrainingSet.permutation(all.size(), c.seed(), 0);
        int held = (int) Math.round(c.holdout() * all.size());
        boolean[] isHeld = new boolean[all.size()];
        for (int i = 0; i < held; i++) isHeld[order[i]] = true;
        List<ArcSets.MixTask> mix = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) mix.add(new ArcSets.MixTask(all.get(i), isHeld[i]));
        return mix;
    }

    /** True when every grid of the task fits the canvas under every transform the canvas allows. */
    public static boolean fits(ArcTask t, int rows, int cols) {
        List<ArcTask.Pair> all = new ArrayList<>(t.train());
        all.addAll(t.test());
        return all.stream().allMatch(p -> fits(p.input(), rows, cols) && (p.output() == null || fits(p.output(), rows, cols)));
    }

    private static boolean fits(Grid g, int rows, int cols) {
        // Every transform may swap the sides, so a grid must fit both ways round on a square canvas.
        return rows == 1 ? g.rows() == 1 && g.cols() <= cols : Math.max(g.rows(), g.cols()) <= Math.min(rows, cols);
    }
}
