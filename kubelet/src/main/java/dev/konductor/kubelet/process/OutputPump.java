package dev.konductor.kubelet.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a container's stdout and stderr into its CRI log file (the file {@code kubectl logs}
 * reads) and to whoever is attached ({@code kubectl attach}), one virtual thread per stream, until
 * the streams end: when the last process holding them has gone.
 */
final class OutputPump {

    private static final Logger log = LoggerFactory.getLogger(OutputPump.class);
    private static final int CHUNK = 32 * 1024;

    /** An attached session: gets the output as it comes. */
    interface Listener {
        /** Returns false once it wants no more. */
        boolean output(String stream, byte[] bytes);
    }

    private final OutputStream logFile;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** @param logFile the container's CRI log, opened for appending; closed by {@link #awaitEnd} */
    OutputPump(OutputStream logFile, Clock clock) {
        this.logFile = logFile;
        this.clock = clock;
    }

    void start(String stream, InputStream in) {
        threads.add(Thread.ofVirtual().name("container-" + stream).start(() -> pump(stream, in)));
    }

    void attach(Listener listener) {
        listeners.add(listener);
    }

    void detach(Listener listener) {
        listeners.remove(listener);
    }

    /** Waits until every stream has ended (at most {@code millis}), then closes the log file. */
    void awaitEnd(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (Thread t : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0 || !t.join(Duration.ofMillis(left))) {
                log.debug("container output still open after its process ended; closing the log");
                break;
            }
        }
        synchronized (logFile) {
            try {
                logFile.close();
            } catch (IOException e) {
                log.debug("cannot close a container log: {}", e.getMessage());
            }
        }
    }

    private void pump(String stream, InputStream in) {
        CriLogLines lines = new CriLogLines(stream);
        byte[] buffer = new byte[CHUNK];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (n == 0) {
                    continue;
                }
                write(lines.add(buffer, 0, n, clock.instant()));
                byte[] chunk = Arrays.copyOf(buffer, n);
                listeners.removeIf(l -> !l.output(stream, chunk));
            }
        } catch (IOException e) {
            log.debug("container {} ended: {}", stream, e.getMessage());
        }
        write(lines.end(clock.instant()));
    }

    private void write(List<byte[]> lines) {
        if (lines.isEmpty()) {
            return;
        }
        synchronized (logFile) { // stdout and stderr interleave line by line, never within one
            try {
                for (byte[] line : lines) {
                    logFile.write(line);
                }
                logFile.flush();
            } catch (IOException e) {
                log.debug("cannot write a container log: {}", e.getMessage());
            }
        }
    }
}
