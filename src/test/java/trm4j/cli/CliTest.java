package trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import picocli.CommandLine;

import trm4j.config.Presets;
import trm4j.run.RunSetup;

/** The command line as a user meets it: outputs, exit codes, one-line errors. */
class CliTest {
    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = Main.run(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @ParameterizedTest
    @CsvSource({"trm-arc, 6829058", "dis-arc-compact, 860674", "trm-sudoku-mlp, 5028866"})
    void infoPrintsThePublishedParameterCounts(String preset, long expected) {
        Run r = run("info", "--preset", preset);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\nparameters: " + expected + "\n"), r.out());
    }

    @Test
    void everyPresetLoadsAndEveryCommandHasHelp() {
        for (String p : Presets.names()) assertEquals(0, run("info", "--preset", p).status(), p);
        for (String[] cmd : new String[][] {{"--help"}, {"info", "--help"}, {"bench", "--help"}, {"bench", "block", "--help"}}) {
            Run r = run(cmd);
            assertEquals(0, r.status(), String.join(" ", cmd));
            assertTrue(r.out().startsWith("Usage: trm4j"), r.out());
        }
    }

    /** info --list: a line per preset with its method, size and data, and what each is for; the ARC ones say where their data comes from. */
    @Test
    void theListSaysWhatEachPresetIsAndWhatDataItNeeds() {
        Run r = run("info", "--list");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        for (String p : Presets.names())
            assertEquals(1, lines.stream().filter(l -> l.startsWith(p + " ")).count(), p + ": one line");
        String demo = lines.stream().filter(l -> l.startsWith("demo ")).findFirst().orElseThrow();
        assertTrue(demo.matches("demo +DIS +67k +generated 4x4 Sudoku +what \\./trm4j demo trains.*"), demo);   // 66946 parameters (CLI.md)
        String arc = lines.stream().filter(l -> l.startsWith("trm-arc ")).findFirst().orElseThrow();
        assertTrue(arc.matches("trm-arc +TRM +6\\.8M +ARC: arc-agi-1 \\+ conceptarc +the TRM paper's.*"), arc);
        assertTrue(lines.stream().filter(l -> l.startsWith("dis-miniarc-cpu ")).findFirst().orElseThrow().contains("ARC: mini-arc"));
        assertTrue(r.out().contains("ARC presets read the small sample in trm4j's jar (data.root=sample); the full sets: trm4j data download"), r.out());
    }

    /** A refused run, ARC data that is not there, a download that fails: one line each, and no folder, lock or cache left behind. */
    @Test
    void refusedWorkLeavesNoFolderBehind(@TempDir Path dir) throws Exception {
        Run bad = run("train", "--preset", "demo", "--out", dir.resolve("new/run").toString(), "--set", "heads=7");
        assertEquals(2, bad.status(), bad.err());
        assertFalse(Files.exists(dir.resolve("new")), "the refused run's folder (and its .lock) is gone");
        for (String[] outputs : new String[][] {{"--out", "e/sub/x.json"}, {"--images", "e/img"}, {"--submission", "e/s.json"}}) {
            Run eval = run("eval", "--checkpoint", dir.resolve("none.safetensors").toString(), outputs[0], dir.resolve(outputs[1]).toString());
            assertEquals(2, eval.status(), eval.err());
            assertFalse(Files.exists(dir.resolve("e")), outputs[0] + ": a refused evaluation makes no folder");
        }

        Run noData = run("train", "--preset", "dis-miniarc-cpu", "--out", dir.resolve("arc").toString(), "--set", "root=" + dir.resolve("nowhere"));
        assertEquals(2, noData.status(), noData.err());
        assertEquals(1, noData.err().trim().split("\n").length, noData.err());
        assertTrue(noData.err().contains("'trm4j data download mini-arc'") && noData.err().contains("--set root=data") && noData.err().contains("root=FOLDER"), noData.err());
        assertFalse(Files.exists(dir.resolve("arc")));

        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Run offline = run("data", "download", "mini-arc", "--to", dir.resolve("data").toString(), "--mirror", "http://127.0.0.1:" + port);
        assertEquals(2, offline.status(), offline.err());
        assertTrue(offline.err().contains("--from FILE.zip"), offline.err());
        assertFalse(Files.exists(dir.resolve("data")), "no data/ and no data/.download when nothing arrived");

        Run partial = run("data", "download", "mini-arc", "--to", dir.resolve("data").toString(), "--from", "src/main/resources/trm4j/arc-sample");
        assertEquals(2, partial.status(), partial.err());
        assertTrue(partial.err().contains("missing from this copy of mini-arc"), partial.err());   // the sample holds 48 of its 149 tasks
        assertFalse(Files.exists(dir.resolve("data")));

        Run stats = run("data", "stats", "mini-arc");
        assertEquals(0, stats.status(), stats.err());
        assertTrue(stats.out().matches("(?s).*\nmini-arc/MiniARC +48 +\\d+ +48 +5 +5\n.*"), stats.out());
    }

    /** info shows a preset's three sections, so that users can see what a run will train on and how. */
    @Test
    void infoShowsTheDataAndTrainSectionsToo() {
        Run r = run("info", "--preset", "demo");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\ndata:\n") && r.out().contains("  kind: \"sudoku\"") && r.out().contains("\ntrain:\n")
                && r.out().contains("  precision: \"auto\""), r.out());
    }

    /** convert writes a trm4j safetensors file from a torch.save checkpoint; a pickle naming code is one line. */
    @Test
    void convertTurnsATorchSaveCheckpointIntoSafetensors(@TempDir Path dir) {
        String fixtures = "src/test/resources/trm4j/torchsave/";
        String out = dir.resolve("trm.safetensors").toString();
        Run c = run("convert", fixtures + "trm_fp32.pt", "--out", out, "--set", "heads=4");
        assertEquals(0, c.status(), c.err());
        assertTrue(c.out().startsWith("wrote " + out + ": 13730 parameters, model {\"hidden_size\":") && c.out().contains("\"heads\":4,"), c.out());
        Run i = run("info", "--checkpoint", out);
        assertEquals(0, i.status(), i.err());
        assertTrue(i.out().contains("\nparameters: 13730\n") && i.out().contains("  heads: 4\n"), i.out());
        Run evil = run("convert", fixtures + "evil.pt", "--out", dir.resolve("evil.safetensors").toString());
        assertEquals(2, evil.status());
        assertTrue(evil.err().contains("it names posix.system, which is refused"), evil.err());
        assertEquals(1, evil.err().trim().split("\n").length, evil.err());
        assertTrue(Files.notExists(dir.resolve("evil.safetensors")));
        // trm4j's own file has nothing to convert; a copy would lose what else its metadata says.
        Run again = run("convert", out, "--out", dir.resolve("again.safetensors").toString());
        assertEquals(2, again.status());
        assertEquals("trm4j: " + out + ": already trm4j's (its metadata holds trm4j.model): info, eval and solve read it as it is", again.err().strip());
        assertTrue(Files.notExists(dir.resolve("again.safetensors")));
    }

    /** The demo does not take over a folder that holds another preset's run, and says so in the command's words. */
    @Test
    void theDemoLeavesAnotherPresetsRunAlone(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("preset.json"), "{\"preset\": \"dis-miniarc-cpu\"}");
        Run d = run("demo", "--out", dir.toString());
        assertEquals(2, d.status(), d.err());
        assertTrue(d.err().strip().startsWith("trm4j: --out " + dir + ": holds a run of preset dis-miniarc-cpu, not the demo: give the demo another --out ("), d.err());
        assertTrue(d.err().strip().endsWith(" train --resume --out " + dir + " continues that run)"), d.err());
        assertEquals(List.of("preset.json"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
    }

    /** A demo run that cannot go on as asked is refused in the command's words, never the library's (TrainingSpec, resuming(true)). */
    @Test
    void theDemoRefusesAnEditedRunInItsOwnWords(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo");
        Run first = run("demo", "--out", out.toString(), "--set", "steps=6", "--set", "data.test=20");
        assertEquals(0, first.status(), first.err());
        Run network = run("demo", "--out", out.toString(), "--set", "hidden_size=32");
        assertEquals(2, network.status(), network.err());
        assertTrue(network.err().strip().startsWith("trm4j: --set model.hidden_size: running the demo again continues the network and method of " + out), network.err());
        Path preset = out.resolve("preset.json");
        Files.writeString(preset, Files.readString(preset).replace("\"hidden_size\" : 64", "\"hidden_size\" : 32"));
        Run edited = run("demo", "--out", out.toString());
        assertEquals(2, edited.status(), edited.err());
        String said = edited.err().strip();
        assertTrue(said.startsWith("trm4j: " + preset + " differs from the preset saved in ") && said.contains("running the demo again continues the run")
                && said.contains("trm4j train --preset " + preset + " --init " + out + " --out NEW_FOLDER"), said);
        assertFalse(said.contains("TrainingSpec") || said.contains("resuming(true)"), said);
        assertEquals(1, said.lines().count(), said);
    }

    /** epochs, as the references count them, set the optimiser steps from the data: ceil(epochs x epoch / batch). */
    @Test
    void epochsDeriveTheSteps() {
        RunSetup run = RunSetup.of(Presets.load("demo", Map.of("epochs", "3")), "test", null);
        assertEquals(2000, run.data().train().epochSize());
        assertEquals((3 * 2000 + 63) / 64 * 6, run.train().steps(), "whole batches of the demo's N_sup = 6 DIS steps");
        assertEquals(6000, RunSetup.of(Presets.load("demo", Map.of()), "test", null).train().steps(), "epochs 0: steps as set");
    }

    @Test
    void overridesChangeTheCount() {
        Run r = run("info", "--preset", "dis-arc-compact", "--set", "layers=2");
        assertTrue(r.out().contains("parameters: " + (860674 + 851968)), r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "info --preset nope | unknown preset 'nope'",
            "info --preset dmeo | unknown preset 'dmeo'; did you mean 'demo'?",
            "info --preset demo --set stpes=600 | --set stpes: preset demo has no such field; did you mean 'steps'?",
            "info --lsit | Unknown option: '--lsit'; did you mean '--list'",
            "dmeo | Unmatched argument at index 0: 'dmeo'; did you mean 'demo'?",
            "bench | Missing required subcommand: allreduce, block, data, matmul, serve, step, versions (see 'trm4j bench --help')",
            "data | Missing required subcommand: download, generate, show, stats",
            "bench step --rounds 0 | trm4j: --rounds 0: must be in 1..100",
            "bench matmul --per-call 0 | trm4j: --per-call and --budget must be positive finite numbers",
            "bench matmul --budget Infinity | trm4j: --per-call and --budget must be positive finite numbers",
            "bench serve --checkpoint /no/such.safetensors --requests 5 | trm4j: --requests 5: at least 10",
            "data stats arc-agi-2 | sample/arc-agi-2/training: no such folder (the sample in trm4j's jar holds arc-agi-1, conceptarc and mini-arc only;",
            "data stats arc-agi-1 --root /no/where | --root /no/where: no such folder ('trm4j data download arc-agi-1' puts the set in data/ (--from takes a copy you have), then --root data; --root FOLDER",
            "solve /no/tasks --checkpoint /no/such.safetensors --out /tmp/x.json --select best | trm4j: --select: 'best' is not one of vote, halt, first-halt, confidence",
            "solve --checkpoint /no/such.safetensors --generate 0 | trm4j: --generate 0: must be in 1..10000",
            "solve /no/tasks --checkpoint /no/such.safetensors --out /tmp/x.json --samples 65 | trm4j: --samples 65: must be in 1..64",
            "solve /no/tasks --checkpoint /no/such.safetensors --out /tmp/x.json --steps -1 | trm4j: --steps -1: must be at least 0",
            "solve /no/tasks --checkpoint /no/such.safetensors --out /tmp/x.json --seconds 0.0001 | trm4j: --seconds 1.0E-4: must be 0 (no limit) or from 0.001 to 31622400",
            "solve /no/tasks --checkpoint /no/such.safetensors --out /tmp/x.json --seconds 1e300 | trm4j: --seconds 1.0E300: must be 0 (no limit) or from 0.001 to 31622400",
            "eval --checkpoint /no/such.safetensors --noise -1 | trm4j: --noise -1.0: must be a finite number at least 0",
            "train --preset demo --out /tmp/trm4j-never --stpes 600 | did you mean '--set steps=600'?",
            "train --preset trm-maze --out /tmp/trm4j-never --set size=10 --set min_path=10 --set data.train=4 --set data.test=2 --set data.validation=0 | model.seq_len is 900 but the maze data has 100 cells (set seq_len=100)",
            "train --preset trm-sudoku4-cpu --out /tmp/trm4j-never --set size=6 --set min_clues=20 | model.seq_len is 16 and model.vocab_size is 6 but the sudoku data has 36 cells and needs a vocabulary of 8 (set seq_len=36 and vocab_size=8)",
            "info --preset trm-arc --set heads=7 | trm4j: --set heads=7: model.heads: must divide hidden_size 512",
            "info --preset trm-arc --set T=x | --set T=x: expected a whole number",
            "info --preset trm-arc --set T=1.5 | --set T=1.5: expected a whole number",
            "info --preset demo --set batch=0 | trm4j: --set batch=0: train.batch: must be at least 1",
            "info --preset demo --set lr=-1 | trm4j: --set lr=-1: train.lr -1.0: must be a finite number, at least 0 (0 freezes the weights)",
            "info --preset demo --set lr=NaN | trm4j: --set lr=NaN: train.lr NaN: must be a finite number, at least 0 (0 freezes the weights)",
            "info --preset demo --set weight_decay=Infinity | trm4j: --set weight_decay=Infinity: train.weight_decay Infinity: must be a finite number, at least 0",
            "info --preset demo --set ema=NaN | train.method.ema NaN: must be in [0, 1)",
            "info --preset demo --set beta2=NaN | train.beta1 and train.beta2 must be in [0, 1)",
            "info --preset demo --set puzzle_lr=-Infinity | train.puzzle_lr -Infinity: must be a finite number, at least 0",
            "info --preset trm-sudoku4-cpu --set q_loss_weight=NaN | train.method.q_loss_weight NaN: must be a finite number, at least 0",
            "info --preset dis-miniarc-cpu --set holdout=NaN | data.holdout NaN: must be in [0, 1)",
            "info --preset trm-sudoku4-cpu --set halt_exploration=NaN | train.method.halt_exploration NaN: must be in [0, 1]",
            "info --preset demo --set rope_theta=Infinity | model.rope_theta",
            "info --preset demo --set precision=fp16 | train.precision: 'fp16' is not one of auto, bf16, fp32, fp64",
            "info --preset dis-miniarc-cpu --set canvas=0 | data.canvas 0: must be between 1 and 30",
            "eval --checkpoint /no/such.safetensors --pass 0 | --pass 0: k must be at least 1",
            "eval --checkpoint /no/such.safetensors --precision fp16 | --precision: unknown precision 'fp16'",
            "eval --checkpoint /no/such.safetensors --submission /tmp | --submission /tmp: is a folder; give a file name",
            "eval --checkpoint /no/such.safetensors --out /tmp | --out /tmp: is a folder; give a file name",
            "solve /no/tasks --checkpoint /no/such.safetensors --out /tmp | --out /tmp: is a folder; give a file name",
            "train --preset demo --out /etc/passwd | --out /etc/passwd: is a file; give a folder",
            "train --preset demo --out /etc/passwd/run | --out /etc/passwd/run: /etc/passwd is a file, not a folder",
            "report /no/run --out /etc/passwd | --out /etc/passwd: is a file; give a folder",
            "data generate sudoku --count 1 --out /tmp | --out /tmp: is a folder; give a file name",
            "data generate sudoku --count 20000000 --out /tmp/never.bin | --count must be in 1..10000000",
            "data generate sudoku --count 1 --out /proc/trm4j-never.bin | --out /proc/trm4j-never.bin: cannot write in /proc (",
            "data generate nqueens --size 6 --count 1 --out /tmp/trm4j-never.bin | --size: not an option of nqueens (it takes none)",
            "data generate nqueens --count 30000 --out /tmp/trm4j-never.bin | trm4j: nqueens: 30000 distinct puzzles asked, but 8x8 N-Queens has 19564 (1 to 7 queens of one of its 92 solutions); ask for fewer",
            "data generate sudok --count 1 --out /tmp/trm4j-never.bin | kind: 'sudok' is not one of nqueens, sudoku, maze",
            "data generate sudok --count 1 --out /tmp/trm4j-never.bin | ; did you mean 'sudoku'?",
            "train --preset demo --out /tmp/trm4j-never --set steps | trm4j: --set steps: expected KEY=VALUE (see 'trm4j train --help')",
            "train --preset demo --out /tmp/trm4j-never --set =3 | trm4j: --set =3: a field's name goes before the '=' (KEY=VALUE)",
            "info --preset list | or a preset file, *.json; 'trm4j info --list' says what each is for)",
            "data generate maze --min-clues 5 --count 1 --out /tmp/trm4j-never.bin | --min-clues: not an option of maze (it takes --size, --min-path)",
            "data generate sudoku --size 4 --min-clues 20 --count 1 --out /tmp/trm4j-never.bin | --min-clues 20: must be in 0..16",
            "data generate maze --size 8 --min-path 30 --count 1 --out /tmp/trm4j-never.bin | no 8x8 maze whose shortest path has at least 30 steps came in 10,000 tries: lower the least path (data.min_path, or --min-path); 8, the default for this side, draws quickly",
            "train --preset trm-maze --out /tmp/trm4j-never --set size=8 --set data.train=4 --set data.test=2 --set data.validation=0 | model.seq_len is 900 but the maze data has 64 cells (set seq_len=64)",
            "info --checkpoint /tmp | /tmp: a folder without model.safetensors (not a run folder, or its run has not reached a checkpoint yet)",
            "info --preset /no/such.json | /no/such.json: no such preset file",
            "data show /no/task.json --png /tmp | --png /tmp: is a folder; give a file name",
            "info --preset trm-arc --set colour=3 | --set colour: preset trm-arc has no such field",
            "info --frobnicate | Unknown option: '--frobnicate'",
            "info --checkpoint /no/such.safetensors | /no/such.safetensors: no such file",
            "bench block --dtype fp8 | --dtype: unknown precision 'fp8'",
            "info --preset demo --set device=gpu | train.device: 'gpu' is not a device (cpu, cuda or cuda:N)",
            "eval --checkpoint /no/such.safetensors --device cuda | --device: 'cuda' needs the GPU build of libtorch; this process has the CPU build",
            "solve /no/tasks --checkpoint /no/such.safetensors --out /tmp/x.json --device cuda:1 | --device: 'cuda:1' needs the GPU build of libtorch",
            "bench step --preset demo --batch 0 | trm4j: --batch 0: must be at least 1",
            "bench step --preset demo --warmup -1 | trm4j: --warmup -1: must be at least 0",
            "bench block --seq 0 | trm4j: --seq 0: must be at least 1",
            "bench data --preset demo --samples 0 | trm4j: --samples 0: must be at least 1",
            "train --preset demo --out /tmp/trm4j-never --validation-file /tmp/v.bin | trm4j: --train-file and --test-file go together, and --validation-file goes with them",
            "train --preset demo --outt /tmp/trm4j-never | did you mean '--out'?",
            "eval /tmp/trm4j-never/model.safetensors | trm4j: Missing required option: '--checkpoint=FILE'",
            "info --preset demo --set beta1=0.5 --set beta2=1.5 | trm4j: --preset demo: train.beta1 and train.beta2 must be in [0, 1)",
            "train --preset demo --out /tmp/trm4j-never --set batch=63 --nproc 2 | trm4j: --set batch=63: train.batch 63: does not split into 2 ranks: make it a multiple of 2",
            "eval --checkpoint /no/such.safetensors --versions 0 | trm4j: --versions 0: must be at least 1 (without it: the run's)",
            "report /no/run --out /tmp/trm4j-never-report --target 2 | trm4j: --target 2.0: an accuracy, above 0 and at most 1",
            "data show src/main/resources/trm4j/arc-sample/arc-agi-1/training/0520fde7.json --puzzles 2 | trm4j: --puzzles: for a puzzle set;",
            "info dmeo | trm4j: dmeo: no such file, nor a preset; did you mean 'demo'?",
            "data download mini-ark | trm4j: unknown dataset 'mini-ark'; did you mean 'mini-arc'?"})
    void userMistakesGiveOneLineAndStatus2(String args, String message) {
        Run r = run(args.trim().split(" "));
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(1, r.err().trim().split("\n").length, "one line: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void theApisErrorsNameTheCommandsFlags() {
        CommandLine cli = new CommandLine(new Main());
        cli.parseArgs("eval", "--checkpoint", "out", "--noise-y", "--batch", "-1", "--pass", "0");
        CommandLine.Model.CommandSpec eval = cli.getSubcommands().get("eval").getCommandSpec();
        assertEquals("--noise-y: not a boolean", Main.flagged("noise_y: not a boolean", eval));
        assertEquals("--batch -1: must be at least 1", Main.flagged("batch -1: must be at least 1", eval));
        assertEquals("--pass 0: k must be at least 1", Main.flagged("ks 0: k must be at least 1", eval), "a flag whose Java field is the API's");
        assertEquals("samples 65: must be in 1..64", Main.flagged("samples 65: must be in 1..64", eval), "a flag not given");
        assertEquals("out: no such file", Main.flagged("out: no such file", eval), "a path called out, --out not given");
        assertEquals("validation: this data keeps no validation puzzles", Main.flagged("validation: this data keeps no validation puzzles", eval), "no flag of that name");
    }
}
