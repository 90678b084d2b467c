package trm4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where commands write. Output paths are checked before any work (a folder given for a file, a
 * file given for a folder, a folder that cannot be created or written) leaving nothing behind (a file
 * made to prove a folder writable is deleted at once), so that a refused command leaves nothing; files are written
 * atomically: a temporary file beside the target, forced to disk, then renamed over it. The
 * temporary file is created like any new file, so the result has the user's umask (a JDK temp file
 * would be 0600).
 */
public final class Outputs {
    /** Writes the whole content of a file to an open channel. */
    public interface Body {
        void write(FileChannel out) throws IOException;
    }

    private Outputs() {}

    /** An output file named by {@code option}: not a folder, in a folder that exists or can be made, and writable. Leaves nothing behind. */
    public static Path file(Path file, String option) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) throw new UserError(option + " " + file + ": is a folder; give a file name");
        Path parent = abs.getParent();
        if (parent == null) throw new UserError(option + " " + file + ": is not a file name");
        writable(parent, option + " " + file);
        return file;
    }

    /** An output folder named by {@code option}: not a file, and creatable and writable. Leaves nothing behind. */
    public static Path folder(Path folder, String option) {
        Path abs = folder.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) throw new UserError(option + " " + folder + ": is a file; give a folder");
        writable(abs, option + " " + folder);
        return folder;
    }

    /** The same, created now and proven writable by a file made and deleted in it: for a folder held from the start (a run's lock). */
    public static Path madeFolder(Path folder, String option) {
        Path abs = folder(folder, option).toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs);
        } catch (IOException | SecurityException e) {
            throw new UserError(option + " " + folder + ": cannot write in " + abs + " (" + reason(e) + ")");
        }
        probe(abs, option + " " + folder);
        return folder;
    }

    /** The topmost folder of {@code folder}'s path that does not exist yet (what creating it adds), or null when it exists. */
    public static Path missingTop(Path folder) {
        Path top = null;
        for (Path p = folder.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) top = p;
        return top;
    }

    /**
     * Removes {@code folder}, and its parents up to {@code top} ({@link #missingTop} before they were made), while
     * they are empty: a refused or failed command leaves no empty folder it made.
     */
    public static void removeEmpty(Path folder, Path top) {
        if (top == null) return;
        for (Path p = folder.toAbsolutePath().normalize(); p != null && p.startsWith(top); p = p.getParent()) {
            try {
                Files.delete(p);
            } catch (IOException e) {
                return;   // not empty: what is in it stays
            }
        }
    }

    /**
     * The folder, or the nearest of its parents that exists, is a folder this process may write in (what creating it needs):
     * proven by a file made and deleted there, since permissions do not tell all (a file system such as /proc refuses new files).
     */
    private static void writable(Path dir, String what) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        for (Path p = existing; p != null; p = p.getParent())
            if (!Files.isDirectory(p)) throw new UserError(what + ": " + p + " is a file, not a folder");
        if (existing == null || !Files.isWritable(existing)) throw new UserError(what + ": cannot write in " + existing + " (permission denied or read-only)");
        probe(existing, what);
    }

    /** A file made in {@code dir} and deleted: what permissions do not tell (a file system such as /proc refuses new files). */
    private static void probe(Path dir, String what) {
        Path made;
        try {
            made = Files.createTempFile(dir, ".trm4j-probe", ".tmp");
        } catch (IOException | SecurityException e) {
            throw new UserError(what + ": cannot write in " + dir + " (" + (e instanceof NoSuchFileException ? "no new file can be made there" : reason(e)) + ")");
        }
        try {
            Files.delete(made);
        } catch (IOException | SecurityException e) {
            made.toFile().deleteOnExit();   // held by another program for now (a virus scanner): the folder is writable all the same
        }
    }

    /** Why a file operation failed, in words. */
    public static String reason(Exception e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or folder";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getClass().getSimpleName();
    }

    /** Writes {@code file} atomically (see above); the target is untouched if anything fails. */
    public static void writeAtomically(Path file, Body body) throws IOException {
        writeAtomically(file, -1, body);
    }

    /**
     * The same for a file of {@code size} bytes (-1: not known): refused before anything is written
     * when the disk has less room. A disk that fills during the write is a {@link UserError} naming
     * the file and the room needed; the temporary file is removed and the target kept as it was.
     */
    public static void writeAtomically(Path file, long size, Body body) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        if (size > 0) {
            long free = usable(abs.getParent());
            if (free >= 0 && free < size) throw new UserError(file + ": no space left on the disk: it needs " + megabytes(size) + ", " + megabytes(free) + " free");
        }
        Path tmp;
        FileChannel ch;
        while (true) {
            tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMPORARY);
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                break;
            } catch (FileAlreadyExistsException e) {
                // another name
            }
        }
        long written = 0;
        try {
            try (FileChannel out = ch) {
                try {
                    body.write(out);
                    out.force(true);
                } finally {
                    written = out.position();
                }
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (!diskFull(e)) throw e;
            throw new UserError(file + ": no space left on the disk: it needs " + (size > 0 ? megabytes(size) : "more than " + megabytes(written))
                    + ", " + megabytes(Math.max(0, usable(abs.getParent()))) + " free; nothing was changed");
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The suffix of the temporary files of {@link #writeAtomically}: {@code .NAME.RANDOM.tmp} beside the target. */
    public static final String TEMPORARY = ".tmp";

    /** Whether two paths name one file (a link or another spelling of the path included); false when either cannot be read. */
    public static boolean sameFile(Path a, Path b) {
        try {
            return a != null && b != null && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** Refuses {@code out} ({@code option}) where it names one of {@code kept}: the command's inputs, or files it writes besides. */
    public static void notOver(Path out, String option, List<Path> kept) {
        for (Path k : kept)
            if (sameFile(out, k) || out.toAbsolutePath().normalize().equals(k.toAbsolutePath().normalize()))
                throw new UserError(option + " " + out + ": the command reads or writes that file already (" + k + "): give another");
    }

    /** Whether an I/O failure is a full disk (or a full quota). */
    public static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof IOException && m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) return true;
        }
        return false;
    }

    /** Removes temporary files an atomic write left in {@code dir} when its process was killed. */
    public static void removeStaleTemporaries(Path dir, String... targets) throws IOException {
        for (String t : targets)
            try (var files = Files.newDirectoryStream(dir, "." + t + ".*" + TEMPORARY)) {
                for (Path f : files) Files.deleteIfExists(f);
            }
    }

    /** The bytes free below {@code dir}; -1 where that is unknown, or the folder is on no disk (/proc says 0 of 0). */
    private static long usable(Path dir) {
        try {
            FileStore store = Files.getFileStore(dir);
            return store.getTotalSpace() == 0 ? -1 : store.getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    /** {@link #writeAtomically} for content already in memory. */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        writeAtomically(file, content.length, out -> {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) out.write(b);
        });
    }
}
