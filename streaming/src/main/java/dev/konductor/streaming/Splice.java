package dev.konductor.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies two {@link Duplex}es into each other until either direction ends, then closes both, as
 * upstream's upgrade-aware proxy does: an exec or port-forward session is over once one side
 * has gone, and closing both is what releases the other side's blocked reader.
 */
public final class Splice {

    private static final int CHUNK = 32 * 1024;

    private Splice() {
    }

    /** Blocks until both directions have stopped; both ends are closed on return. */
    public static void run(Duplex a, Duplex b) {
        Thread back = Thread.ofVirtual().name("splice").start(() -> copyThenClose(b, a));
        copyThenClose(a, b);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copyThenClose(Duplex from, Duplex to) {
        try {
            copy(from.input(), to.output());
        } catch (IOException endedOrBroken) {
            // either way this direction is over; the close below ends the other one
        } finally {
            from.close();
            to.close();
        }
    }

    static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[CHUNK];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (n > 0) {
                out.write(buffer, 0, n);
            }
        }
    }
}
