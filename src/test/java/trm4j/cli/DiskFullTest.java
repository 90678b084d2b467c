package trm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trm4j.train.TrainState;

/**
 * A full disk is one line naming the file, exit 2, and nothing half-written: on a 6 MB tmpfs
 * (mounting one needs root; elsewhere the test is skipped and says so).
 */
class DiskFullTest {
    private Path mount;

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) new ProcessBuilder("umount", mount.toString()).start().waitFor();
    }

    private Path small(Path dir) throws Exception {
        Path m = Files.createDirectories(dir.resolve("small"));
        boolean ok;
        try {
            ok = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", m.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            ok = false;
        }
        assumeTrue(ok, "mounting a small tmpfs needs root here; the full-disk paths are not tested on this machine");
        mount = m;
        return m;
    }

    /** Fills the file system until {@code leave} bytes are free. */
    private static void fill(Path disk, long leave) throws IOException {
        Path filler = disk.resolve("filler");
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (Files.getFileStore(disk).getUsableSpace() > leave + 4096) {
                b.clear();
                ch.write(b);
            }
            if (leave == 0)   // to the last byte
                while (true) ch.write(ByteBuffer.allocate(1));
        } catch (IOException e) {
            if (leave > 0 || !e.getMessage().contains("No space left")) throw e;
        }
    }

    /** Exit 2, and the error is the last line (a run's progress may come before it), naming the file; no trace. */
    private static void oneLine(CliTest.Run r, String names) {
        assertEquals(2, r.status(), r.err());
        List<String> lines = r.err().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("trm4j: ") && last.contains("no space left") && last.contains(names), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
    }

    @Test
    void aFullDiskIsOneLineAndKeepsTheLastGoodState(@TempDir Path dir) throws Exception {
        Path disk = small(dir), run = disk.resolve("run");
        CliTest.Run trained = CliTest.run("train", "--preset", "demo", "--out", run.toString(), "--set", "steps=12", "--set", "test=8",
                "--set", "validation=8", "--set", "checkpoint_every=6", "--set", "eval_every=0");
        assertEquals(0, trained.status(), trained.err());
        long saved = Files.size(run.resolve(TrainState.FILE));
        fill(disk, saved / 2);   // room for metrics lines, not for the next checkpoint
        CliTest.Run resumed = CliTest.run("train", "--resume", "--out", run.toString(), "--set", "steps=18");
        oneLine(resumed, TrainState.FILE);
        assertEquals(12, TrainState.load(run.resolve(TrainState.FILE)).counters().step(), "the last good checkpoint is kept");

        fill(disk, 0);
        oneLine(CliTest.run("data", "generate", "sudoku", "--size", "4", "--count", "2000", "--out", disk.resolve("set").toString()), "set");
        oneLine(CliTest.run("eval", "--checkpoint", run.resolve("model.safetensors").toString(), "--out", disk.resolve("results.json").toString()),
                "results.json");
        oneLine(CliTest.run("convert", "src/test/resources/trm4j/torchsave/trm_fp32.pt", "--out", disk.resolve("c.safetensors").toString(),
                "--set", "heads=4"), "c.safetensors");
        CliTest.Run report = CliTest.run("report", run.toString(), "--out", disk.resolve("report").toString());
        assertEquals(2, report.status(), report.err());
        CliTest.Run fresh = CliTest.run("train", "--preset", "demo", "--out", disk.resolve("run2").toString(), "--set", "steps=6");
        assertEquals(2, fresh.status(), fresh.err());
        List<Path> empty;
        try (var all = Files.walk(disk)) {
            empty = all.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("filler"))
                    .filter(p -> p.toFile().length() == 0 && !p.getFileName().toString().equals(".lock")).toList();
        }
        assertEquals(List.of(), empty, "no empty or half-written file is left");
        try (var all = Files.walk(disk)) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }

        Files.delete(disk.resolve("filler"));
        CliTest.Run again = CliTest.run("train", "--preset", "demo", "--out", disk.resolve("run2").toString(), "--set", "steps=6", "--set", "test=8",
                "--set", "validation=8", "--set", "eval_every=0");
        assertEquals(0, again.status(), "once there is room the folder takes the run: " + again.err());
    }
}
