package dev.konductor.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * Creates the pods of a {@link PodTimeline} through the API, as many concurrent clients would:
 * each client its own keep-alive HTTPS connection, taking the next pod number until all are
 * created. With a rate, pod {@code i} is not sent before {@code i / rate} seconds after the start
 * (an open-loop arrival rate, as upstream's density tests create pods at a fixed QPS). The
 * clients connect as they start, or all beforehand ({@link #connect}), so that the creates go out
 * at once without a TLS handshake in front of each.
 */
final class PodCreator {

    /** How the creating went: when the last answer came, and the first failure, if any. */
    record Result(long firstSentNanos, long lastAnsweredNanos, int failures, String firstFailure) {
        double createsPerSecond(int pods) {
            return pods / ((lastAnsweredNanos - firstSentNanos) / 1e9);
        }
    }

    private final URI server;
    private final SSLContext tls;
    private final int clients;
    private final double rate;
    private final UnaryOperator<String> podJson;
    private final List<LeanClient> connected = new ArrayList<>();

    /** @param rate pods per second over all clients; 0 for as fast as the clients go */
    PodCreator(URI server, SSLContext tls, int clients, double rate) {
        this(server, tls, clients, rate, PodCreator::podJson);
    }

    /** @param podJson the body that creates the pod of a name */
    PodCreator(URI server, SSLContext tls, int clients, double rate, UnaryOperator<String> podJson) {
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be at least 1: " + clients);
        }
        this.server = server;
        this.tls = tls;
        this.clients = clients;
        this.rate = rate;
        this.podJson = podJson;
    }

    /** Opens every client's connection now, for the next {@link #create}. */
    PodCreator connect() throws IOException {
        while (connected.size() < clients) {
            connected.add(new LeanClient(server, tls)); // handshake done
        }
        return this;
    }

    /** Creates every pod of {@code timeline} in {@code namespace}; returns once all were answered. */
    Result create(String namespace, PodTimeline timeline) throws InterruptedException {
        String path = "/api/v1/namespaces/" + namespace + "/pods";
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        String[] firstFailure = new String[1];
        List<Thread> threads = new ArrayList<>();
        long begin = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            LeanClient ready = c < connected.size() ? connected.get(c) : null;
            threads.add(Thread.ofVirtual().name("bench-create-" + c).start(() -> {
                try (LeanClient client = ready != null ? ready : new LeanClient(server, tls)) {
                    for (int i = next.getAndIncrement(); i < timeline.pods(); i = next.getAndIncrement()) {
                        if (rate > 0) {
                            long due = begin + (long) (i * 1e9 / rate);
                            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                                LockSupport.parkNanos(wait);
                            }
                        }
                        String body = podJson.apply(timeline.name(i));
                        timeline.sent(i, System.nanoTime());
                        LeanClient.Response response = client.send("POST", path, "application/json", body);
                        if (response.status() != 201 && failures.incrementAndGet() == 1) {
                            firstFailure[0] = response.status() + " " + new String(response.body(), StandardCharsets.UTF_8);
                        }
                    }
                } catch (Exception e) {
                    if (failures.incrementAndGet() == 1) {
                        firstFailure[0] = e.toString();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        connected.clear(); // closed by their threads
        return new Result(begin, System.nanoTime(), failures.get(), firstFailure[0]);
    }

    /**
     * A small pod for the default scheduler, with requests (so the resource plugins have work)
     * and no owner (so default topology spreading does not apply, as in upstream's
     * SchedulingBasic test).
     */
    static String podJson(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app\":\"bench\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\","
                + "\"command\":[\"sleep\",\"3600\"],\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}}}]}}";
    }
}
