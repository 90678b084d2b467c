package trm4j.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import trm4j.UserError;

/**
 * One writer per run folder: an OS lock on {@code DIR/.lock}, held for the run's life. The OS
 * releases it when the process ends in any way, so a lock left by a killed run is no lock; the
 * file keeps the holder's pid, which a refused second run names.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the folder's lock, or refuses in one line naming the process that holds it. */
    public static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;   // this process holds it already
            }
            if (lock == null) {
                String holder = holder(ch);
                ch.close();
                throw new UserError(dir + " is in use by another trm4j run (" + holder + "): wait for it to end, stop it, or choose another folder");
            }
            RunLock held = new RunLock(ch, lock);
            try {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
                ch.force(false);
            } catch (IOException e) {
                held.close();
                throw e;
            }
            return held;
        } catch (IOException e) {
            throw new UserError(file + ": cannot take the run folder's lock (" + e.getMessage() + ")");
        }
    }

    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        ch.read(b, 0);
        String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
        return pid.matches("[0-9]{1,10}") ? "pid " + pid : "its pid not yet written";
    }

    /** Deletes the lock file while still holding it, then lets go: a run refused in a folder it made leaves no lock there. */
    public void remove(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILE));
        } catch (IOException e) {
            // a lock file left is no lock
        }
        close();
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel, or with the process
        }
    }
}
