package dev.konductor.streaming;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Chunks (or whole messages) that a network thread receives, for one blocking reader. Network
 * threads must never block, so {@link #offer} always succeeds; instead, once more than
 * {@code high} bytes wait, {@code reading} is told to stop reading from the connection, and
 * told to resume once the reader has brought the backlog under {@code low}. A slow consumer
 * thereby slows its own peer (TCP backpressure), never the server.
 */
public final class InboundQueue {

    /** Upstream's stream buffers are of this order; big enough for full-speed copies. */
    public static final int DEFAULT_HIGH = 1024 * 1024;
    public static final int DEFAULT_LOW = 256 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<byte[]> chunks = new ArrayDeque<>();
    private final Consumer<Boolean> reading;
    private final int high;
    private final int low;
    private long queuedBytes;
    private boolean paused;
    private boolean ended;

    /**
     * @param reading told {@code false} to stop reading from the connection and {@code true} to
     *                resume (e.g. a Netty channel's auto-read); called without the lock held
     */
    public InboundQueue(Consumer<Boolean> reading, int high, int low) {
        if (low < 0 || high <= low) {
            throw new IllegalArgumentException("need 0 <= low < high: low=" + low + " high=" + high);
        }
        this.reading = reading;
        this.high = high;
        this.low = low;
    }

    public InboundQueue(Consumer<Boolean> reading) {
        this(reading, DEFAULT_HIGH, DEFAULT_LOW);
    }

    /** Adds a chunk; ignored once {@link #end} was called. Never blocks. */
    public void offer(byte[] chunk) {
        boolean pause = false;
        lock.lock();
        try {
            if (ended) {
                return;
            }
            chunks.addLast(chunk);
            queuedBytes += chunk.length;
            if (!paused && queuedBytes > high) {
                paused = pause = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (pause) {
            reading.accept(false);
        }
    }

    /** No more chunks will come: the reader gets what is queued, then the end. */
    public void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next chunk, waiting for one; null once the queue has ended and is drained. */
    public byte[] take() throws InterruptedException {
        byte[] chunk;
        boolean resume = false;
        lock.lock();
        try {
            while (chunks.isEmpty() && !ended) {
                changed.await();
            }
            chunk = chunks.pollFirst();
            if (chunk == null) {
                return null;
            }
            queuedBytes -= chunk.length;
            if (paused && queuedBytes <= low) {
                paused = false;
                resume = true;
            }
        } finally {
            lock.unlock();
        }
        if (resume) {
            reading.accept(true);
        }
        return chunk;
    }

    /** Ends the queue and drops what it holds (the reader has gone). */
    public void discard() {
        lock.lock();
        try {
            ended = true;
            chunks.clear();
            queuedBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
