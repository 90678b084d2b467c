package trm4j.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import trm4j.UserError;

/**
 * One writer per run folder: an OS lock on {@code DIR/.lock}, held for the run's life. The OS
 * releases it when the process ends in any way, so a lock left by a killed run is no lock; the
 * file keeps the holder's pid, which a refused second run names. A folder this process holds is
 * refused before any channel is opened on its lock file: on Linux, closing any channel on a file
 * lets go of every lock the process holds on it.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".lock";
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();   // this process's folders, by their real paths

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the folder's lock, or refuses in one line naming the process that holds it. */
    public static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        Path key;
        try {
            Files.createDirectories(dir);
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new UserError(file + ": cannot take the run folder's lock (" + e.getMessage() + ")");
        }
        if (!HELD.add(key)) throw inUse(dir, "this process, pid " + ProcessHandle.current().pid());
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                String holder = holder(ch);
                ch.close();
                throw inUse(dir, holder);
            }
            RunLock held = new RunLock(key, ch, lock);
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
            HELD.remove(key);
            throw new UserError(file + ": cannot take the run folder's lock (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            HELD.remove(key);
            throw e;
        }
    }

    private static UserError inUse(Path dir, String holder) {
        return new UserError(dir + " is in use by another trm4j run (" + holder + "): wait for it to end, stop it, or choose another folder");
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
        if (!closed.compareAndSet(false, true)) return;
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel, or with the process
        } finally {
            HELD.remove(key);
        }
    }
}
