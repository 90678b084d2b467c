package trm4j.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a training stream ahead on a background thread, so that the trainer never waits for
 * augmentation and encoding. {@link #position()} is the position of the next sample handed out:
 * what a checkpoint stores to resume the stream.
 */
public final class Prefetcher implements AutoCloseable {
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private long position;

    public Prefetcher(TrainingSet set, long start, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.position = start;
        this.thread = new Thread(() -> {
            try {
                for (long p = start; ; p++) queue.put(sampleOrError(set, p));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "trm4j-prefetch");
        thread.setDaemon(true);
        thread.start();
    }

    private static Object sampleOrError(TrainingSet set, long p) {
        try {
            return set.get(p);
        } catch (RuntimeException e) {
            return e;   // rethrown on the trainer's thread
        }
    }

    public Sample next() {
        try {
            Object o = queue.take();
            if (o instanceof RuntimeException e) throw e;
            position++;
            return (Sample) o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for data", e);
        }
    }

    public long position() { return position; }

    @Override public void close() {
        thread.interrupt();
    }
}
