package trm4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonInclude;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.api.AdaptOptions;
import trm4j.api.ArcSubmission;
import trm4j.api.ArcTask;
import trm4j.api.InvalidInputException;
import trm4j.api.LoadOptions;
import trm4j.api.Model;
import trm4j.api.Puzzle;
import trm4j.api.Solution;
import trm4j.api.SolveOptions;
import trm4j.api.TaskKind;
import trm4j.config.Json;
import trm4j.data.Boards;
import trm4j.data.PuzzleKind;
import trm4j.data.PuzzleKinds;
import trm4j.data.PuzzleSet;
import trm4j.engine.Group;
import trm4j.engine.Natives;
import trm4j.eval.Selection;
import trm4j.run.Reporter;
import trm4j.run.StopSignals;

@Command(name = "solve", mixinStandardHelpOptions = true,
        description = {"Answer puzzles with a trained model: the boards of a Sudoku, maze or N-Queens model, or ARC tasks it has never seen.",
                "A puzzle model answers the boards of BOARDS, a text file (a board is one line per row, its cells' numbers separated "
                + "by spaces or commas or written one character each, '.' for 0, a blank line between boards, '#' before a comment; or "
                + "a whole board on one line), "
                + "or a puzzle set from 'trm4j data generate'; without BOARDS it answers --generate puzzles made as its training data "
                + "was. It prints each board beside its answer (--trace: the answer after every supervision step), whether the answer "
                + "keeps the kind's rules, and, where the puzzle came with one, whether it equals the known answer.",
                "An ARC model gives each task fresh embeddings (one per augmented version), fits them (and, with --adapt-weights, the "
                + "weights) on the task's demonstration pairs for a fixed budget of steps, answers the test inputs with voting and "
                + "writes the ARC Prize submission file --out. --steps 0 answers with blank (zero) embeddings: the baseline that "
                + "adaptation must beat. The submission is written after every task; Ctrl-C keeps it, and --resume answers the tasks it "
                + "lacks. A task that cannot be read, holds more than one task may (" + ArcTask.MAX_TESTS + " test inputs, "
                + ArcTask.MAX_CELLS + " cells) or does not fit the canvas is named and gets a placeholder answer, so the submission stays valid."})
final class SolveCommand implements Callable<Integer> {
    private static final List<String> ARC_ONLY = List.of("--steps", "--seconds", "--resume", "--versions", "--adapt-weights", "--batch");
    private static final int MAX_GENERATED = 10_000;

    @Parameters(paramLabel = "TASKS|BOARDS", arity = "0..1", description = "ARC: a task JSON file, a folder of them, or an ARC Prize challenges "
            + "file; puzzles: a text file of boards, or a puzzle set") Path tasks;
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "model.safetensors of a run, or the run's folder") Path checkpoint;
    @Option(names = "--out", paramLabel = "FILE", description = "ARC: the submission file to write (required); puzzles: the answers as JSON") Path out;
    @Option(names = "--generate", paramLabel = "N", description = "puzzles: answer N puzzles made as the model's training data was, from seeds "
            + "0..N-1 (default without BOARDS: 1)") Integer generate;
    @Option(names = "--trace", description = "puzzles: print the answer after every supervision step (a TRM model's halting confidence beside it)") boolean trace;
    @Option(names = "--steps", defaultValue = "120", paramLabel = "N",
            description = "ARC: adaptation steps per task (default 120); a step is one training step on a batch of the task's demonstrations") int steps;
    @Option(names = "--seconds", defaultValue = "0", paramLabel = "S", description = "ARC: at most this many seconds of adaptation per task (0: no limit)") double seconds;
    @Option(names = "--resume", description = "ARC: keep the tasks already answered in --out (from a stopped solve) and answer the rest") boolean resume;
    @Option(names = "--versions", defaultValue = "8", paramLabel = "V", description = "ARC: augmented versions per task, trained and voted (default 8)") int versions;
    @Option(names = "--adapt-weights", description = "ARC: also fine-tune the network weights (with the run's learning rate / 10)") boolean adaptWeights;
    @Option(names = "--batch", defaultValue = "16", paramLabel = "B", description = "ARC: adaptation batch (default 16)") int batch;
    @Mixin Options.DeviceChoice device;
    @Mixin Options.Samples sampling;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Group.environmentSize() > 1) throw new UserError("solve runs in one process: start it without torchrun's WORLD_SIZE");
        if (!(seconds == 0 || seconds >= 0.001 && seconds <= AdaptOptions.MAX_BUDGET.toSeconds()))
            throw new UserError("--seconds " + seconds + ": must be 0 (no limit) or from 0.001 to " + AdaptOptions.MAX_BUDGET.toSeconds());
        if (generate != null && (generate < 1 || generate > MAX_GENERATED)) throw new UserError("--generate " + generate + ": must be in 1.." + MAX_GENERATED);
        if (out != null) {
            List<Path> kept = new ArrayList<>(Options.runFiles(checkpoint));
            if (tasks != null) kept.add(tasks);
            Outputs.notOver(Outputs.file(out, "--out"), "--out", kept);
            if (tasks != null && Files.isDirectory(tasks) && out.toAbsolutePath().normalize().startsWith(tasks.toAbsolutePath().normalize()))
                throw new UserError("--out " + out + ": inside " + tasks + ", whose files are read as tasks: write it elsewhere");
        }
        AdaptOptions adapt = new AdaptOptions(steps, versions, batch, adaptWeights, Duration.ofMillis(Math.round(seconds * 1000)));
        SolveOptions solve = sampling.get();
        Natives.tuneProcess();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<TaskKind> kind = new AtomicReference<>();   // known once the model is loaded
        try (StopSignals signals = new StopSignals(() -> stop.set(true), "stopping; what is answered is kept", () -> out == null ? "no file is written"
                : kind.get() == TaskKind.ARC ? "the tasks answered in " + out + " are kept: 'trm4j solve ... --resume' answers the rest"
                : out + " is not written");
             Model model = Model.load(checkpoint, LoadOptions.defaults().withDevice(device.get().toString()))) {
            kind.set(model.kind());
            if (model.kind() == TaskKind.ARC) tasks(model, adapt, solve, stop, signals);
            else boards(model, solve, stop, signals);
        }
        return 0;
    }

    private void tasks(Model model, AdaptOptions options, SolveOptions solve, AtomicBoolean stop, StopSignals signals) throws Exception {
        for (String flag : List.of("--generate", "--trace"))
            if (given(flag)) throw new UserError(flag + ": for a puzzle model; " + checkpoint + " answers ARC tasks");
        if (tasks == null) throw new UserError("TASKS: an ARC model answers the tasks of a file or folder: trm4j solve --checkpoint " + checkpoint + " TASKS --out FILE");
        if (out == null) throw new UserError("--out: required for an ARC model: the submission file to write");
        Selection.valueOf(solve.select().name()).checkForArc(solve.augment());   // before the first task's adaptation
        sampling.warnIfAlike();
        Reporter bar = Reporter.stderr();
        ArcSubmission.Result r = ArcSubmission.write(model, tasks, out, options, solve, resume, new ArcSubmission.Listener() {
            @Override public void progress(long done, long total, String status) {
                bar.progress("solve", done, total, "adaptation steps", status);
            }

            @Override public void unread(String line) {
                System.err.println("trm4j: " + line);
            }
        }, stop::get);
        if (r.stopped())
            throw new StopSignals.Stopped("stopped: " + (r.kept() + r.answered()) + " of " + r.total() + " tasks are answered in " + out
                    + " ('trm4j solve ... --resume' answers the rest)", signals.status());
        System.out.println(r.summary());
        if (r.kept() + r.answered() == 0)   // the file is valid, but nothing in it is an answer: a script must not take it for one
            throw new UserError(r.total() == 1 ? "the task could not be answered (named above): " + out + " holds only its placeholder"
                    : "none of the " + r.total() + " tasks could be answered (named above): " + out + " holds only placeholders");
    }

    /** A board to answer: where it came from, and its answer where that is known. */
    private record Asked(String source, int[][] board, int[][] known) {}

    /** A board answered, as --out writes it: valid where the kind has rules, known where the puzzle came with its answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Answered(String source, int[][] board, int[][] answer, Boolean valid, int[][] known, List<int[][]> steps, int agree, int samples) {}

    private record AnswersFile(String checkpoint, List<Answered> answers) {}

    private void boards(Model model, SolveOptions solve, AtomicBoolean stop, StopSignals signals) throws Exception {
        String kind = model.kind().name();
        for (String flag : ARC_ONLY) if (given(flag)) throw new UserError(flag + ": for an ARC model; " + checkpoint + " answers " + kind + " boards");
        if (tasks != null && generate != null) throw new UserError("--generate: answers generated puzzles instead of BOARDS; give one or the other");
        int side = model.info().rows();
        List<Asked> asked = asked(model, side);
        PuzzleKind<?> rules = PuzzleKinds.find(kind);
        for (Asked a : asked) {   // every board checked before any is answered
            try {
                Boards.encode(rules, a.board(), side);
            } catch (IllegalArgumentException e) {
                throw new UserError(a.source() + ": " + e.getMessage());
            }
        }
        List<Answered> written = new ArrayList<>();
        int valid = 0, judged = 0, right = 0, known = 0;
        for (Asked a : asked) {
            if (stop.get()) break;
            Solution s;
            try {
                s = model.solve(a.board(), 1.0, solve);
            } catch (InvalidInputException e) {   // the boards are sound: an option the model cannot follow
                throw new UserError(Main.flagged(e.getMessage(), spec));
            }
            if (written.isEmpty()) sampling.warnIfAlike();
            boolean equal = a.known() != null && Arrays.deepEquals(a.known(), s.answer());
            judged += s.valid() == null ? 0 : 1;
            valid += Boolean.TRUE.equals(s.valid()) ? 1 : 0;
            known += a.known() == null ? 0 : 1;
            right += equal ? 1 : 0;
            System.out.print(shown(a, s, equal));
            written.add(new Answered(a.source(), a.board(), s.answer(), s.valid(), a.known(), s.steps(), s.agree(), s.samples().size()));
        }
        if (written.size() > 1)
            System.out.println("answered " + written.size() + " boards" + (judged > 0 ? ": " + valid + " of " + judged + " keep the rules" : "")
                    + (known > 0 ? (judged > 0 ? ", " : ": ") + right + " of " + known + " equal their known answers" : ""));
        if (out != null) {
            Outputs.writeAtomically(out, Json.PRETTY.writeValueAsBytes(new AnswersFile(checkpoint.toString(), written)));
            System.out.println("answers: " + out);
        }
        if (stop.get()) throw new StopSignals.Stopped("stopped: " + written.size() + " boards answered" + (out != null ? ", and written to " + out : ""), signals.status());
    }

    /** The boards of BOARDS (a text file or a puzzle set), or --generate puzzles made as the model's training data was. */
    private List<Asked> asked(Model model, int side) {
        List<Asked> asked = new ArrayList<>();
        if (tasks == null) {
            for (int i = 0; i < (generate == null ? 1 : generate); i++) {
                Puzzle p = model.samplePuzzle(i);
                asked.add(new Asked("puzzle " + (i + 1) + " (seed " + i + ")", p.board(), p.answer()));
            }
        } else if (PuzzleSet.looksLike(tasks)) {
            PuzzleSet set = PuzzleSet.read(tasks);
            if (set.size() > Boards.MAX_BOARDS)
                throw new UserError(tasks + ": " + set.size() + " puzzles; solve answers at most " + Boards.MAX_BOARDS + " (eval scores a whole test set)");
            if (!set.kind().name().equals(model.kind().name()) || set.rows() != side || set.cols() != side)
                throw new UserError(tasks + ": " + set.rows() + "x" + set.cols() + " " + set.kind().name() + " puzzles; " + checkpoint + " answers "
                        + side + "x" + side + " " + model.kind().name() + " boards");
            for (int k = 0; k < set.size(); k++)
                asked.add(new Asked(tasks + ", puzzle " + (k + 1), Boards.decode(set.kind(), set.inputs()[k], side), Boards.decode(set.kind(), set.labels()[k], side)));
        } else {
            for (Boards.Written w : Boards.read(tasks, side)) asked.add(new Asked(tasks + ", line " + w.line(), w.board(), null));
        }
        return asked;
    }

    /** A board answered: a line of what is known of the answer, then the board beside it (with --trace, beside every step's). */
    private String shown(Asked a, Solution s, boolean equal) {
        List<String> titles = new ArrayList<>(List.of("board"));
        List<int[][]> boards = new ArrayList<>(List.<int[][]>of(a.board()));
        if (trace)
            for (int k = 0; k < s.steps().size(); k++) {
                titles.add("step " + (k + 1) + (s.halting().length > 0 ? String.format(", halt %.2f", s.halting()[k]) : ""));
                boards.add(s.steps().get(k));
            }
        else {
            titles.add("answer");
            boards.add(s.answer());
        }
        if (a.known() != null) {
            titles.add("known answer");
            boards.add(a.known());
        }
        String valid = s.valid() == null ? "" : s.valid() ? "keeps the rules" : "breaks the rules";
        String known = a.known() == null ? "" : equal ? "equals the known answer" : "differs from the known answer";
        String agree = s.samples().size() > 1 ? s.agree() + " of " + s.samples().size() + " trajectories agree" : "";
        String said = String.join(", ", Stream.of(valid, known, agree, s.millis() + " ms").filter(x -> !x.isEmpty()).toList());
        return "\n" + a.source() + ": " + said + "\n" + Boards.sideBySide(titles, boards);
    }

    private boolean given(String flag) {
        return spec.commandLine().getParseResult().hasMatchedOption(flag);
    }
}
