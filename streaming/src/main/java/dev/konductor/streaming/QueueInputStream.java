package dev.konductor.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/** An {@link InputStream} over the chunks of an {@link InboundQueue}; -1 once it has ended. */
public final class QueueInputStream extends InputStream {

    private final InboundQueue queue;
    private byte[] current;
    private int position;
    private boolean ended;

    public QueueInputStream(InboundQueue queue) {
        this.queue = queue;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!ended && (current == null || position == current.length)) {
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading");
            }
            position = 0;
            ended = current == null;
        }
        if (ended) {
            return -1;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }
}
