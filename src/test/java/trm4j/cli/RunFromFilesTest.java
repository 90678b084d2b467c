package trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.cli.CliTest.Run;

/** A run keeps what it was started from: the puzzle files it read, and its preset. */
class RunFromFilesTest {
    @TempDir Path dir;

    private static Run run(String... args) {
        return CliTest.run(args);
    }

    private Path generate(String name, int count, int seed) {
        Path f = dir.resolve(name);
        Run g = run("data", "generate", "sudoku", "--size", "4", "--min-clues", "8", "--count", String.valueOf(count), "--seed", String.valueOf(seed),
                "--out", f.toString());
        assertEquals(0, g.status(), g.err());
        return f;
    }

    /** Resumed and evaluated, a run started from files reads them again, not the preset's generated puzzles; a file moved away is named, and --set says where it went. */
    @Test
    void aRunFromFilesResumesAndIsEvaluatedOnThem() throws Exception {
        Path train = generate("train.bin", 300, 1), test = generate("test.bin", 40, 2), out = dir.resolve("run");
        Run t = run("train", "--preset", "dis-sudoku4-cpu", "--out", out.toString(), "--train-file", train.toString(), "--test-file", test.toString(),
                "--set", "validation=0", "--set", "steps=6", "--set", "eval_every=0");
        assertEquals(0, t.status(), t.err());
        Run info = run("info", out.toString());
        assertTrue(info.status() == 0 && info.out().contains("run of preset: dis-sudoku4-cpu\n") && info.out().contains("files:\n  train_file: \"" + train + "\""),
                info.out() + info.err());
        Run e = run("eval", "--checkpoint", out.toString());
        assertTrue(e.status() == 0 && e.out().contains("40 puzzles"), e.out() + e.err());
        Run r = run("train", "--out", out.toString(), "--resume", "--set", "steps=12", "--set", "eval_every=0");
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.readString(out.resolve("metrics.jsonl")).strip().lines().reduce((a, b) -> b).orElseThrow().contains("\"count\":40"),
                "the resumed run's final evaluation scored the test file");

        Path moved = Files.move(test, dir.resolve("moved.bin"));
        Run gone = run("eval", "--checkpoint", out.toString());
        assertEquals(Main.USER_ERROR, gone.status());
        assertTrue(gone.err().contains("files.test_file " + test + ": no such file (the run read its test puzzles from it; the override test_file=PATH, --set on the command line, says where it is now)"),
                gone.err());
        Run found = run("eval", "--checkpoint", out.toString(), "--set", "test_file=" + moved);
        assertTrue(found.status() == 0 && found.out().contains("40 puzzles"), found.out() + found.err());

        // Resumed with the file's new place, given relative to the working folder: recorded whole, for a run resumed from elsewhere.
        Run relocated = run("train", "--out", out.toString(), "--resume", "--set", "steps=18", "--set", "test_file=" + Path.of("").toAbsolutePath().relativize(moved));
        assertEquals(0, relocated.status(), relocated.err());
        assertTrue(Files.readString(out.resolve("preset.json")).contains("\"test_file\" : \"" + moved + "\""), Files.readString(out.resolve("preset.json")));
        Run other = run("train", "--out", out.toString(), "--resume", "--set", "steps=24", "--train-file", test.resolveSibling("moved.bin").toString(),
                "--test-file", moved.toString());
        assertEquals(Main.USER_ERROR, other.status());
        assertTrue(other.err().contains("--train-file " + moved + ": " + out + " holds a run trained on " + train + ", which --resume continues on the same puzzles"),
                other.err());
        Run validation = run("train", "--out", out.toString(), "--resume", "--set", "steps=24", "--train-file", train.toString(), "--test-file", moved.toString(),
                "--validation-file", moved.toString());
        assertEquals(Main.USER_ERROR, validation.status());
        assertTrue(validation.err().contains("--validation-file " + moved + ": " + out + " holds a run trained without one"), validation.err());
        Run same = run("train", "--out", out.toString(), "--resume", "--set", "steps=24", "--train-file", train.toString(), "--test-file", moved.toString());
        assertEquals(0, same.status(), same.err());
    }

    /** --resume continues a run with its own preset: naming it again is fine (a script may), naming another is refused; --resume on an empty folder says it starts a run. */
    @Test
    void aResumedRunKeepsItsPreset() {
        Path train = generate("train.bin", 300, 1), test = generate("test.bin", 40, 2), out = dir.resolve("run");
        String[] files = {"--train-file", train.toString(), "--test-file", test.toString(), "--set", "validation=0", "--set", "eval_every=0"};
        Run first = run(concat(new String[] {"train", "--preset", "dis-sudoku4-cpu", "--out", out.toString(), "--resume", "--set", "steps=6"}, files));
        assertEquals(0, first.status(), first.err());
        assertTrue(first.err().contains(out + " holds no run: a new one starts"), first.err());
        Run other = run("train", "--preset", "dis-nqueens-cpu", "--out", out.toString(), "--resume", "--set", "steps=12");
        assertEquals(Main.USER_ERROR, other.status());
        assertTrue(other.err().contains("--preset dis-nqueens-cpu: " + out + " holds a run of preset dis-sudoku4-cpu"), other.err());
        Run same = run("train", "--preset", "dis-sudoku4-cpu", "--out", out.toString(), "--resume", "--set", "steps=12");
        assertEquals(0, same.status(), same.err());
        assertTrue(same.err().contains("train: DIS dis-sudoku4-cpu,") && same.err().contains("resumed at step 6"), same.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
