package trm4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import trm4j.Outputs;
import trm4j.UserError;
import trm4j.metrics.MetricsFile;
import trm4j.metrics.MetricsLine;


/**
 * The run's {@code metrics.jsonl}: one JSON object per line, appended and flushed. A checkpoint
 * records the file's length, and a resumed run cuts the file back to it, so the lines of a
 * resumed run follow on exactly from the checkpoint. The file is touched at the first line: a run
 * prepared and not run leaves it as it was.
 */
final class MetricsLog {
    private final Path file;

    private long length;
    private boolean cut;

    MetricsLog(Path file, long keepBytes) {
        this.file = file;
        this.length = keepBytes;
    }

    void write(MetricsLine line) {
        try {
            if (!cut) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    ch.truncate(length);
                }
                cut = true;
            }
            byte[] bytes = (MetricsFile.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
            length += bytes.length;
            Files.write(file, bytes, StandardOpenOption.APPEND);
        } catch (IOException e) {
            if (Outputs.diskFull(e))
                throw new UserError(file + ": no space left on the disk; the run's last checkpoint is whole: free space, then resume the run");
            throw new UncheckedIOException(e);
        }
    }

    long length() {
        return length;
    }
}
