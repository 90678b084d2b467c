package trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trm4j.checkpoint.Checkpoint;
import trm4j.checkpoint.Safetensors;
import trm4j.data.ArcEvalSet;
import trm4j.data.ArcSampleTest;
import trm4j.engine.Natives;
import trm4j.engine.Threads;
import trm4j.engine.Torch;
import trm4j.eval.Submission;
import trm4j.metrics.MetricsFile;
import trm4j.metrics.MetricsLine;
import trm4j.metrics.PuzzleScores;
import trm4j.run.RunSetup;

/** train, eval and report as a user runs them, on the demo preset cut down to seconds. */
class TrainCliTest {
    private static final String[] SMALL = {"--set", "data.train=200", "--set", "data.test=40", "--set", "eval_every=0",
            "--set", "checkpoint_every=6", "--set", "batch=16"};

    private static String[] train(Path out, int steps, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--preset", "demo", "--out", out.toString(), "--set", "steps=" + steps));
        a.addAll(List.of(SMALL));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    private static List<Double> losses(Path run) throws Exception {
        List<Double> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.has("loss")) out.add(n.get("loss").asDouble());
        }
        return out;
    }

    @Test
    void trainEvalAndReportARun(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        CliTest.Run t = CliTest.run(train(run, 24));
        assertEquals(0, t.status(), t.err());
        assertTrue(t.out().contains("test: exact accuracy"), t.out());
        for (String f : new String[] {"metrics.jsonl", "checkpoint.safetensors", "model.safetensors", "preset.json"})
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        // The run records what it computed with: auto resolved on this CPU, with the reason and the threads.
        JsonNode engine = new ObjectMapper().readTree(Files.readAllLines(run.resolve("metrics.jsonl")).get(0)).path("engine");
        assertTrue(List.of("bf16", "fp32").contains(engine.path("precision").asText()), engine.toString());
        assertTrue(engine.path("precision_reason").asText().length() > 5, engine.toString());
        assertTrue(engine.path("threads").asInt() >= 1 && engine.path("cpu").asText().contains("("), engine.toString());

        CliTest.Run again = CliTest.run(train(run, 24));
        assertEquals(2, again.status());
        assertTrue(again.err().contains("already holds a run (") && again.err().contains("): add --resume to continue it, --force to start it over"), again.err());

        CliTest.Run e = CliTest.run("eval", "--checkpoint", run.resolve("model.safetensors").toString(), "--guidance", "1.5");
        assertEquals(0, e.status(), e.err());
        // Options for ARC models, and model fields, are refused before any evaluation.
        CliTest.Run notArc = CliTest.run("eval", "--checkpoint", run.resolve("model.safetensors").toString(), "--submission",
                dir.resolve("s.json").toString());
        assertEquals(2, notArc.status());
        assertTrue(notArc.err().contains("is a sudoku model; this option is for ARC models"), notArc.err());
        assertTrue(Files.notExists(dir.resolve("s.json")));
        for (String[] arcOnly : new String[][] {{"--pass", "3"}, {"--versions", "8"}}) {
            CliTest.Run ignored = CliTest.run("eval", "--checkpoint", run.resolve("model.safetensors").toString(), arcOnly[0], arcOnly[1]);
            assertEquals(2, ignored.status(), arcOnly[0]);
            assertTrue(ignored.err().contains(arcOnly[0] + ": " + run.resolve("model.safetensors") + " is a sudoku model; this option is for ARC models"), ignored.err());
        }
        CliTest.Run lone = CliTest.run("eval", "--checkpoint", run.resolve("model.safetensors").toString(), "--augment");
        assertEquals(0, lone.status(), lone.err());
        assertTrue(lone.out().contains("1 sample per puzzle, noise 0.0 on z, no symmetry (the one sample is the puzzle itself)"), lone.out());
        CliTest.Run noisy = CliTest.run("eval", "--checkpoint", run.resolve("model.safetensors").toString(), "--noise", "0.3");
        assertTrue(noisy.out().contains("1 sample per puzzle, noise 0.3 on z"), "one noisy trajectory says so: " + noisy.out());
        CliTest.Run modelField = CliTest.run("eval", "--checkpoint", run.resolve("model.safetensors").toString(), "--set", "N_sup=3");
        assertEquals(2, modelField.status());
        assertTrue(modelField.err().contains("--set N_sup: the model's fields come from"), modelField.err());
        assertTrue(e.out().contains("exact accuracy after each step:"), e.out());
        // The run's own score of its test set, and eval's of the same model on the same set, agree to the digit.
        PuzzleScores atEnd = (PuzzleScores) ((MetricsLine.Evaluation) MetricsFile.read(run.resolve("metrics.jsonl")).stream()
                .filter(x -> x instanceof MetricsLine.Evaluation).reduce((x, y) -> y).orElseThrow()).testScores();
        CliTest.Run plain = CliTest.run("eval", "--checkpoint", run.resolve("model.safetensors").toString());
        assertTrue(plain.out().contains(String.format("%d puzzles, guidance 1.0%nexact accuracy: %.4f%ntoken accuracy: %.4f%n",
                atEnd.count(), atEnd.exact(), atEnd.tokens())), plain.out() + " against " + atEnd);

        CliTest.Run r = CliTest.run("report", run.toString(), "--out", dir.resolve("report").toString());
        assertEquals(0, r.status(), r.err());
        String html = Files.readString(dir.resolve("report/index.html"));
        List<Double> l = losses(run);
        assertTrue(html.contains(String.format("%.4f", l.get(l.size() - 1))), "the table shows the last loss of the metrics file");
        assertTrue(Files.size(dir.resolve("report/loss-step.png")) > 1000);
        assertTrue(html.contains("loss-step.png"));
    }

    @Test
    void badInputGetsOneLineAndStatusTwo(@TempDir Path dir) throws Exception {
        Path garbage = dir.resolve("model.safetensors");
        Files.write(garbage, new byte[] {1, 2, 3});
        CliTest.Run e = CliTest.run("eval", "--checkpoint", garbage.toString());
        assertEquals(2, e.status());
        assertEquals(1, e.err().strip().lines().count(), e.err());
        CliTest.Run s = CliTest.run("train", "--preset", "demo", "--out", dir.resolve("x").toString(), "--set", "nope=1");
        assertEquals(2, s.status());
        assertTrue(s.err().contains("nope"), s.err());
        CliTest.Run partial = CliTest.run("train", "--preset", "demo", "--out", dir.resolve("p").toString(), "--set", "steps=200");
        assertEquals(2, partial.status());
        assertEquals("trm4j: --set steps=200: train.steps 200: DIS trains each batch for its N_sup = 6 supervision steps, an optimiser step each: give a multiple "
                + "of 6 (198 or 204)", partial.err().strip());
        assertTrue(!Files.exists(dir.resolve("p")), "a refused run makes no folder");
        CliTest.Run full = CliTest.run("train", "--preset", "demo", "--out", dir.resolve("f").toString(), "--set", "data.test=5000", "--set", "data.train=10");
        assertEquals(2, full.status());
        assertTrue(full.err().startsWith("trm4j: sudoku 4x4 train: only 0 of 10 puzzles found outside the 788 classes of the sets drawn before it; "),
                "the 4x4 boards of at least 10 givens fall into 788 classes, which a test set of 5,000 takes up: " + full.err());
        CliTest.Run m = CliTest.run("train", "--preset", "demo", "--out", dir.resolve("y").toString(), "--set", "method=magic");
        assertEquals(2, m.status());
        assertTrue(m.err().contains("train.method"), m.err());
        CliTest.Run r = CliTest.run("report", dir.toString(), "--out", dir.resolve("r").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("metrics.jsonl"), r.err());
    }

    /** SIGKILL a training process at a checkpoint, resume it, and get the uninterrupted run's metrics. */
    @Test
    void aRunKilledWithSigkillResumesToTheSameMetrics(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole"), killed = dir.resolve("killed");
        assertEquals(0, CliTest.run(train(whole, 60)).status());

        Process p = child(dir, train(killed, 60));
        Path state = killed.resolve("checkpoint.safetensors");
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(state) && p.isAlive() && System.currentTimeMillis() < deadline) Thread.sleep(5);
        p.destroyForcibly();   // SIGKILL: no shutdown hook, no chance to tidy up
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(state), Files.readString(dir.resolve("child.log")));

        CliTest.Run resumed = CliTest.run(train(killed, 60, "--resume"));
        assertEquals(0, resumed.status(), resumed.err());
        assertEquals(losses(whole), losses(killed));
    }

    /**
     * A run resumed with more steps and killed before its next checkpoint resumes again without the --set: its
     * preset.json is the checkpoint's until a checkpoint writes both. Fewer steps than it has done are refused.
     */
    @Test
    void aRunResumedWithMoreStepsAndKilledResumesPlainly(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run"), metrics = run.resolve("metrics.jsonl");
        assertEquals(0, CliTest.run(train(run, 12)).status());
        String preset = Files.readString(run.resolve("preset.json"));
        long logged = Files.size(metrics);

        Process p = child(dir, train(run, 600, "--resume", "--set", "checkpoint_every=1000"));
        long deadline = System.currentTimeMillis() + 120_000;
        while (Files.size(metrics) <= logged + 200 && p.isAlive() && System.currentTimeMillis() < deadline) Thread.sleep(5);
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.size(metrics) > logged, Files.readString(dir.resolve("child.log")));
        assertEquals(preset, Files.readString(run.resolve("preset.json")), "no checkpoint of 600 steps was written, so neither was its preset");

        CliTest.Run plain = CliTest.run("train", "--resume", "--out", run.toString());
        assertEquals(0, plain.status(), plain.err());
        assertTrue(plain.err().contains("resumed at step 12"), plain.err());

        CliTest.Run fewer = CliTest.run("train", "--resume", "--out", run.toString(), "--set", "steps=6");
        assertEquals(2, fewer.status(), fewer.err());
        assertEquals("trm4j: --set steps=6: " + run + " is at step 12 already; give more steps to train on", fewer.err().strip());
    }

    /**
     * SIGTERM (as Ctrl-C's SIGINT) mid-run: training stops at a batch boundary with a checkpoint, says
     * so in one line, exits 128+15 without a JVM crash report, and resumes to the uninterrupted metrics.
     */
    @Test
    void aRunStoppedWithSigtermCheckpointsAndResumesToTheSameMetrics(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole"), stopped = dir.resolve("stopped");
        assertEquals(0, CliTest.run(train(whole, 60, "--set", "checkpoint_every=1000")).status());

        Process p = child(dir, train(stopped, 60, "--set", "checkpoint_every=1000"));
        Path metrics = stopped.resolve("metrics.jsonl");
        long deadline = System.currentTimeMillis() + 120_000;
        // Stop it after its first training line (the engine line comes before any step).
        while (!(Files.exists(metrics) && Files.readString(metrics).contains("\"loss\"")) && p.isAlive() && System.currentTimeMillis() < deadline)
            Thread.sleep(5);
        p.destroy();   // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String log = Files.readString(dir.resolve("child.log"));
        assertEquals(128 + 15, p.exitValue(), log);
        assertTrue(log.contains("trm4j: stopped at step "), log);
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err")), log);
        }

        CliTest.Run resumed = CliTest.run(train(stopped, 60, "--set", "checkpoint_every=1000", "--resume"));
        assertEquals(0, resumed.status(), resumed.err());
        assertEquals(losses(whole), losses(stopped));
    }

    /**
     * An edited preset.json is refused on --resume, in one line naming the fields and the way to a
     * new run from the checkpoint (--init), and is left as the user wrote it; the command the line
     * gives trains.
     */
    @Test
    void anEditedPresetIsRefusedOnResumeAndNeverOverwritten(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run"), preset = run.resolve("preset.json");
        assertEquals(0, CliTest.run(train(run, 6)).status());
        String original = Files.readString(preset);
        ObjectMapper json = new ObjectMapper();

        ObjectNode wider = (ObjectNode) json.readTree(original);
        ((ObjectNode) wider.get("model")).put("hidden_size", 128);
        ((ObjectNode) wider.get("train")).put("lr", -1.0);
        String edited = json.writeValueAsString(wider);
        Files.writeString(preset, edited);
        CliTest.Run r = CliTest.run(train(run, 12, "--resume"));
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(preset + " differs from the preset saved in " + run.resolve("checkpoint.safetensors")
                + " in model.hidden_size (128 in the file, 64 in the checkpoint), train.lr (-1.0 in the file, 0.001 in the checkpoint)"), r.err());
        assertTrue(r.err().contains("trm4j train --preset " + preset + " --init " + run + " --out NEW_FOLDER"), r.err());
        assertEquals(edited, Files.readString(preset), "the edit is kept as written");

        Files.writeString(preset, "");
        CliTest.Run empty = CliTest.run(train(run, 12, "--resume"));
        assertEquals(2, empty.status(), empty.err());
        assertTrue(empty.err().startsWith("trm4j: " + preset + " is empty: "), empty.err());
        assertEquals("", Files.readString(preset));

        // The way out the line names: a new run from this one's weights, with the edit (here a learning rate).
        ObjectNode slower = (ObjectNode) json.readTree(original);
        ((ObjectNode) slower.get("train")).put("lr", 0.0005);
        Files.writeString(preset, json.writeValueAsString(slower));
        CliTest.Run again = CliTest.run(train(run, 12, "--resume"));
        assertEquals(2, again.status(), again.err());
        assertTrue(again.err().contains(" in train.lr (5.0E-4 in the file, 0.001 in the checkpoint): "), again.err());
        CliTest.Run fresh = CliTest.run("train", "--preset", preset.toString(), "--init", run.toString(), "--out", dir.resolve("new").toString());
        assertEquals(0, fresh.status(), fresh.err());
        assertEquals(0.0005, json.readTree(Files.readString(dir.resolve("new/preset.json"))).path("train").path("lr").asDouble());

        // As it was, the run resumes; --set on resume is the checkpoint's preset changed, not an edit.
        Files.writeString(preset, original);
        CliTest.Run resumed = CliTest.run(train(run, 12, "--resume"));
        assertEquals(0, resumed.status(), resumed.err());

        // A model field given on resume would describe a network the checkpoint does not hold: refused, nothing written.
        String before = Files.readString(preset);
        CliTest.Run widened = CliTest.run(train(run, 18, "--resume", "--set", "hidden_size=128"));
        assertEquals(2, widened.status(), widened.err());
        assertTrue(widened.err().startsWith("trm4j: --set model.hidden_size: --resume continues the network and method of " + run
                + "'s checkpoint (model.hidden_size 64), which cannot change; to train another from its weights, start a new run (trm4j train --preset demo --init "
                + run + " --out NEW_FOLDER)"), widened.err());
        assertEquals(before, Files.readString(preset));

        // The edit given as --set too, beside a --set of another field: the file holds what the run resumes with.
        ObjectNode now = (ObjectNode) json.readTree(Files.readString(preset));
        ((ObjectNode) now.get("train")).put("lr", 0.0005).put("steps", 18);   // a whole number too: the file's reads as an int, --set's as a long
        Files.writeString(preset, json.writeValueAsString(now));
        CliTest.Run given = CliTest.run(train(run, 18, "--resume", "--set", "lr=0.0005", "--set", "hidden_size=64"));   // the same width: no change
        assertEquals(0, given.status(), given.err());
    }

    /** `trm4j train ARGS` in a JVM of its own, working in dir, its output in dir/child.log. */
    private static Process child(Path dir, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "trm4j.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().put("TRM4J_THREADS", String.valueOf(Threads.current()));
        return pb.start();
    }

    /** An ARC model trained for a few steps on Mini-ARC answers an unseen task file with a valid submission. */
    @Test
    void solveWritesASubmissionForATaskFile(@TempDir Path dir) throws Exception {
        Path root = ArcSampleTest.FOLDER;   // the sample as a folder: data.root names a folder as a user's would
        Path run = dir.resolve("arc");
        CliTest.Run t = CliTest.run("train", "--preset", "dis-miniarc-cpu", "--out", run.toString(), "--set", "root=" + root,
                "--set", "steps=6", "--set", "batch=8", "--set", "versions=4", "--set", "eval_versions=2");
        assertEquals(0, t.status(), t.err());
        assertTrue(t.out().contains("pass@2"), t.out());
        // Other data would read other rows of its puzzle table, or rows it does not have: refused in a line, not a libtorch trace.
        CliTest.Run other = CliTest.run("eval", "--checkpoint", run.toString(), "--set", "data.versions=8", "--set", "eval_versions=2");
        assertEquals(2, other.status(), other.err());
        assertTrue(other.err().strip().startsWith("trm4j: " + run.resolve("model.safetensors") + ": its puzzle table has "), other.err());
        assertTrue(other.err().contains("so evaluate it on its run's data"), other.err());
        assertEquals(1, other.err().strip().lines().count(), other.err());
        // Other held-out tasks would include tasks it trained on: refused, not scored as "test" or "validation".
        CliTest.Run holdout = CliTest.run("eval", "--checkpoint", run.toString(), "--set", "data.holdout=0.5");
        assertEquals(2, holdout.status(), holdout.err());
        assertEquals("trm4j: data.holdout 0.5: " + run.resolve("model.safetensors") + " held its test and validation tasks out with data.holdout 0.2; "
                + "another would score tasks it trained on", holdout.err().strip());
        CliTest.Run validation = CliTest.run("eval", "--checkpoint", run.toString(), "--split", "validation", "--set", "data.validation=0.2");
        assertEquals(2, validation.status(), validation.err());
        assertTrue(validation.err().contains("held its test and validation tasks out with data.validation 0.0"), validation.err());
        // An output over what the command reads, or over its other output, is refused before anything is written.
        String model = run.resolve("model.safetensors").toString();
        long size = Files.size(run.resolve("checkpoint.safetensors"));
        for (String[] c : new String[][] {{"--out", model}, {"--submission", run.resolve("checkpoint.safetensors").toString()}}) {
            CliTest.Run over = CliTest.run("eval", "--checkpoint", run.toString(), c[0], c[1]);
            assertEquals(2, over.status(), over.err());
            assertTrue(over.err().strip().startsWith("trm4j: " + c[0] + " " + c[1] + ": the command reads or writes that file already"), over.err());
        }
        assertEquals(size, Files.size(run.resolve("checkpoint.safetensors")));
        String same = dir.resolve("same.json").toString();
        assertEquals(2, CliTest.run("eval", "--checkpoint", run.toString(), "--out", same, "--submission", same).status());
        Path task;
        try (var files = Files.list(root.resolve("mini-arc/MiniARC"))) {
            task = files.sorted().findFirst().orElseThrow();
        }
        Path sub = dir.resolve("submission.json");
        CliTest.Run overTask = CliTest.run("solve", task.toString(), "--checkpoint", run.toString(), "--out", task.toString());
        assertEquals(2, overTask.status(), overTask.err());
        CliTest.Run inTasks = CliTest.run("solve", task.getParent().toString(), "--checkpoint", run.toString(), "--out", task.resolveSibling("sub.json").toString());
        assertEquals("trm4j: --out " + task.resolveSibling("sub.json") + ": inside " + task.getParent() + ", whose files are read as tasks: write it elsewhere",
                inTasks.err().strip());
        long tempsBefore = solveTemps();
        CliTest.Run s = CliTest.run("solve", task.toString(), "--checkpoint", run.resolve("model.safetensors").toString(),
                "--out", sub.toString(), "--steps", "4", "--versions", "2");
        assertEquals(0, s.status(), s.err());
        assertEquals(tempsBefore, solveTemps(), "solve adapts in memory: no run folder of its own");
        var back = Submission.read(sub);
        String id = task.getFileName().toString().replace(".json", "");
        assertEquals(List.of(id), List.copyOf(back.keySet()));
        assertEquals(1, back.get(id).size(), "one entry per test input");
        assertTrue(back.get(id).get(0)[0].rows() >= 1);
        // Written with the user's umask, like any file the user creates there (not a temp file's 0600).
        Path probe = Files.createFile(dir.resolve("probe"));
        assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(sub));
        assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(run.resolve("model.safetensors")));

        // --resume keeps what a stopped solve already answered and answers the rest, in the tasks' order.
        Path two = Files.createDirectories(dir.resolve("two"));
        List<Path> tasks;
        try (var files = Files.list(root.resolve("mini-arc/MiniARC"))) {
            tasks = files.sorted().limit(2).toList();
        }
        for (Path p : tasks) Files.copy(p, two.resolve(p.getFileName()));
        String first = tasks.get(0).getFileName().toString().replace(".json", ""), second = tasks.get(1).getFileName().toString().replace(".json", "");
        Path partial = dir.resolve("partial.json");
        Files.writeString(partial, "{\"" + first + "\": [{\"attempt_1\": [[7]], \"attempt_2\": [[7]]}]}");
        CliTest.Run resumed = CliTest.run("solve", two.toString(), "--checkpoint", run.resolve("model.safetensors").toString(),
                "--out", partial.toString(), "--steps", "2", "--versions", "2", "--resume");
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("1 task was already answered"), resumed.out());
        var after = Submission.read(partial);
        assertEquals(List.of(first, second), List.copyOf(after.keySet()));
        assertEquals(7, after.get(first).get(0)[0].get(0, 0), "the kept answer is untouched");

        // A task beyond the bounds of one answer is named and gets a placeholder, like an unreadable one; the others are answered.
        Path bounded = Files.createDirectories(dir.resolve("bounded"));
        Files.copy(task, bounded.resolve(task.getFileName()));
        ObjectNode many = (ObjectNode) new ObjectMapper().readTree(task.toFile());
        var tests = many.putArray("test");
        for (int i = 0; i < 11; i++) tests.addObject().set("input", many.get("train").get(0).get("input"));
        Files.writeString(bounded.resolve("many.json"), many.toString());
        Path boundedOut = dir.resolve("bounded.json");
        CliTest.Run b = CliTest.run("solve", bounded.toString(), "--checkpoint", run.resolve("model.safetensors").toString(),
                "--out", boundedOut.toString(), "--steps", "2", "--versions", "2");
        assertEquals(0, b.status(), b.err());
        assertTrue(b.err().contains("trm4j: task many: 11 test inputs, more than the 10 one task may have; it gets a placeholder answer"), b.err());
        assertTrue(b.out().contains("1 task could not be read or is too large to answer (named above), and has placeholder answers"), b.out());
        var placed = Submission.read(boundedOut);
        assertEquals(1, placed.get("many").size());
        assertEquals(1, placed.get("many").get(0)[0].rows() * placed.get("many").get(0)[0].cols(), "the placeholder [[0]]");
        assertTrue(placed.containsKey(id));

        // A lone task that cannot be answered: the placeholder is written, and the exit status says nothing was answered.
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"train\": [], \"tset\": []}");
        Path brokenOut = dir.resolve("broken-out.json");
        CliTest.Run lone = CliTest.run("solve", broken.toString(), "--checkpoint", run.resolve("model.safetensors").toString(), "--out", brokenOut.toString());
        assertEquals(2, lone.status(), lone.err());
        assertTrue(lone.err().strip().endsWith("trm4j: the task could not be answered (named above): " + brokenOut + " holds only its placeholder"), lone.err());
        assertEquals(List.of("broken"), List.copyOf(Submission.read(brokenOut).keySet()));
        // Resumed over that file, the placeholder is not taken for an answer: tried again, and the exit status still says so.
        CliTest.Run again = CliTest.run("solve", broken.toString(), "--checkpoint", run.resolve("model.safetensors").toString(),
                "--out", brokenOut.toString(), "--resume");
        assertEquals(2, again.status(), again.out() + again.err());
        assertFalse(again.out().contains("already answered"), again.out());

        // A FIFO is named as what it is (solve would block on it, or call it missing).
        Path fifo = dir.resolve("tasks.fifo");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            CliTest.Run f = CliTest.run("solve", fifo.toString(), "--checkpoint", run.resolve("model.safetensors").toString(), "--out", dir.resolve("f.json").toString());
            assertEquals(2, f.status(), f.err());
            assertEquals("trm4j: " + fifo + ": not a regular file, nor a folder", f.err().strip());
        }

        // An empty folder is a mistake, not an empty submission.
        CliTest.Run empty = CliTest.run("solve", Files.createDirectories(dir.resolve("empty")).toString(), "--checkpoint",
                run.resolve("model.safetensors").toString(), "--out", dir.resolve("e.json").toString());
        assertEquals(2, empty.status());
        assertTrue(empty.err().contains("no ARC task in it"), empty.err());
        assertTrue(Files.notExists(dir.resolve("e.json")));

        // A puzzle model's flags, and a submission with nowhere to go, are refused by name.
        CliTest.Run noOut = CliTest.run("solve", task.toString(), "--checkpoint", run.toString());
        assertEquals("trm4j: --out: required for an ARC model: the submission file to write", noOut.err().strip());
        CliTest.Run trace = CliTest.run("solve", task.toString(), "--checkpoint", run.toString(), "--out", dir.resolve("t.json").toString(), "--trace");
        assertEquals("trm4j: --trace: for a puzzle model; " + run + " answers ARC tasks", trace.err().strip());
    }

    /** --init starts a run from a checkpoint's weights (here a run folder's): with the learning rates at 0 they come out unchanged. */
    @Test
    void initStartsFromACheckpointsWeights(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first"), second = dir.resolve("second");
        assertEquals(0, CliTest.run(train(first, 12)).status());
        CliTest.Run info = CliTest.run("info", "--checkpoint", first.resolve("checkpoint.safetensors").toString());
        assertTrue(info.out().startsWith("checkpoint: " + first.resolve("checkpoint.safetensors") + " (a run's training state at step 12: "), info.out());
        CliTest.Run r = CliTest.run(train(second, 6, "--init", first.toString(), "--set", "lr=0", "--set", "puzzle_lr=0"));
        assertEquals(0, r.status(), r.err());
        var a = Checkpoint.tensors(first.resolve("model.safetensors"));
        var b = Checkpoint.tensors(second.resolve("model.safetensors"));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet())
            Assertions.assertArrayEquals(Torch.toDoubles(a.get(k)), Torch.toDoubles(b.get(k)), 0, k);
        CliTest.Run wrong = CliTest.run(train(dir.resolve("third"), 6, "--init", "src/test/resources/trm4j/torchsave/trm_fp32.pt"));
        assertEquals(2, wrong.status());
        assertTrue(wrong.err().contains("trm_fp32.pt: tensor embed_tokens.embedding_weight has shape [12, 16], the configuration needs [6, 64]"), wrong.err());
    }

    /**
     * A reference-style checkpoint (no trm4j metadata, reference names) evaluated with the reference
     * dataset's identifiers.json answers exactly as the trm4j run it came from: same versions, same
     * puzzle ids, same votes and submission.
     */
    @Test
    void identifiersReproduceTheVersionsAReferenceCheckpointWasTrainedWith(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("arc");
        assertEquals(0, CliTest.run("train", "--preset", "dis-miniarc-cpu", "--out", run.toString(),   // on the sample in the jar
                "--set", "steps=6", "--set", "batch=8", "--set", "versions=4", "--set", "eval_versions=2").status());
        Path model = run.resolve("model.safetensors");
        CliTest.Run own = CliTest.run("eval", "--checkpoint", model.toString(), "--versions", "2", "--submission", dir.resolve("own.json").toString());
        assertEquals(0, own.status(), own.err());

        // The reference's identifiers for the run's versions, and the weights under the reference's names without metadata.
        ObjectMapper json = new ObjectMapper();
        var doc = (ObjectNode) json.readTree(Files.readString(run.resolve("preset.json")));
        RunSetup setup = RunSetup.of(doc, "test", null);
        ArcEvalSet set = setup.data().arc();
        List<String> ids = new ArrayList<>(List.of("<blank>"));
        for (int v = 0; v < set.versions().size(); v++) ids.add(set.versions().identifier(set.tasks().get(set.versions().taskOf(v)).id(), v));
        Path idFile = dir.resolve("identifiers.json");
        json.writeValue(idFile.toFile(), ids);
        Natives.load();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Checkpoint.tensors(model).forEach((k, t) -> tensors.put("_orig_mod.model.inner." + k, t));
        Path reference = dir.resolve("step_6");
        Safetensors.write(reference, tensors, Map.of());

        List<String> args = new ArrayList<>(List.of("eval", "--checkpoint", reference.toString(), "--identifiers", idFile.toString(),
                "--versions", "2", "--submission", dir.resolve("ref.json").toString(), "--set", "heads=4", "--set", "seq_len=64"));
        for (String section : new String[] {"data", "train"}) setEvery(doc.get(section), section, args);
        args.addAll(List.of("--set", "data.versions=3"));   // without the identifiers, other versions and ids: they must win
        CliTest.Run ref = CliTest.run(args.toArray(new String[0]));
        assertEquals(0, ref.status(), ref.err());
        assertTrue(ref.err().contains("has no trm4j run preset"), ref.err());
        assertEquals(Files.readString(dir.resolve("own.json")), Files.readString(dir.resolve("ref.json")));
        assertEquals(own.out().lines().filter(l -> l.startsWith("pass@")).toList(), ref.out().lines().filter(l -> l.startsWith("pass@")).toList());
    }

    /** A set with nothing to score is a mistake said before training, not a 0.000 after it. */
    @Test
    void anArcSetWithoutTestTasksIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        CliTest.Run r = CliTest.run("train", "--preset", "dis-miniarc-cpu", "--out", dir.resolve("run").toString(), "--set", "holdout=0");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("data.set mini-arc: no test task to score (the set keeps no test pairs apart: set data.holdout above 0)"), r.err());
        assertTrue(Files.notExists(dir.resolve("run/metrics.jsonl")));
    }

    private static long solveTemps() throws Exception {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("trm4j-solve")).count();
        }
    }

    /** A folder with any run file is never overwritten without --force; --resume needs a checkpoint to resume. */
    @Test
    void aRunFolderIsNeverOverwrittenWithoutForce(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.jsonl"), "{\"step\":1,\"loss\":1.0}\n");
        Files.writeString(run.resolve("model.safetensors"), "not really");
        CliTest.Run again = CliTest.run(train(run, 6));
        assertEquals(2, again.status());
        assertTrue(again.err().contains("already holds a run (model.safetensors, metrics.jsonl): it wrote no checkpoint to continue from; --force to start it over"),
                again.err());
        CliTest.Run resume = CliTest.run(train(run, 6, "--resume"));
        assertEquals(2, resume.status());
        assertTrue(resume.err().contains("holds a run without checkpoint.safetensors"), resume.err());
        assertEquals("not really", Files.readString(run.resolve("model.safetensors")), "nothing was touched");
        CliTest.Run refused = CliTest.run(train(run, 6, "--force", "--set", "lr=fast"));
        assertEquals(2, refused.status(), refused.err());
        assertEquals("not really", Files.readString(run.resolve("model.safetensors")), "a refused --force keeps the old run");
        CliTest.Run forced = CliTest.run(train(run, 6, "--force"));
        assertEquals(0, forced.status(), forced.err());
        assertTrue(Files.size(run.resolve("model.safetensors")) > 100);
        CliTest.Run nothing = CliTest.run("train", "--resume", "--out", dir.resolve("none").toString());
        assertEquals(2, nothing.status());
        assertTrue(nothing.err().contains("holds no run (no checkpoint.safetensors); give --preset to start one"), nothing.err());
    }

    /** {@code --set PATH=VALUE} for every leaf field under a node. */
    private static void setEvery(JsonNode node, String path, List<String> args) {
        node.fields().forEachRemaining(f -> {
            if (f.getValue().isObject()) setEvery(f.getValue(), path + "." + f.getKey(), args);
            else args.addAll(List.of("--set", path + "." + f.getKey() + "=" + f.getValue().asText()));
        });
    }
}
