package dev.konductor.bench;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A watch on the pods of one namespace, over its own HTTPS connection, that stamps each event with
 * its arrival time and hands it to a {@link PodTimeline}. Started before the first pod is created;
 * closing it closes the connection.
 */
final class PodWatch implements AutoCloseable {

    private final LeanClient client;
    private final Thread reader;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception failure;
    private volatile boolean closed;

    private PodWatch(URI server, SSLContext tls, String namespace, PodTimeline timeline) throws IOException {
        this.client = new LeanClient(server, tls);
        String path = "/api/v1/namespaces/" + namespace + "/pods?watch=1&allowWatchBookmarks=false&timeoutSeconds=3600";
        this.reader = Thread.ofPlatform().name("bench-watch-" + namespace).daemon().start(() -> {
            try {
                int status = client.streamLines(path, started::countDown, (buffer, offset, length) -> {
                    long now = System.nanoTime();
                    timeline.observed(PodEvent.parse(buffer, offset, length), now);
                });
                if (!closed) {
                    failure = new IOException("the pod watch ended (status " + status + ")");
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    failure = e;
                }
            } finally {
                started.countDown();
            }
        });
    }

    /** Opens the watch and returns once the server has answered it. */
    static PodWatch open(URI server, SSLContext tls, String namespace, PodTimeline timeline) throws Exception {
        PodWatch watch = new PodWatch(server, tls, namespace, timeline);
        if (!watch.started.await(60, TimeUnit.SECONDS) || watch.failure != null) {
            watch.close();
            throw new IllegalStateException("cannot watch pods in " + namespace, watch.failure);
        }
        return watch;
    }

    /** Why the watch stopped early, if it did. */
    Exception failure() {
        return failure;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closed = true;
        client.close();
        reader.join(5000);
    }
}
