package dev.konductor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;

/**
 * Upstream's API call latency SLI for single objects, on a cluster holding its steady state:
 * clients that each, at a fixed pace, GET a random pod and PUT it back with one annotation
 * changed. Both are timed from request to complete answer; a PUT that loses a race (409) counts
 * as a failure, not as a sample.
 */
final class SingleObjectProbe {

    /** GET and PUT latencies, and how many calls did not succeed. */
    record Result(Latencies gets, Latencies puts, int failures, double seconds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final SSLContext tls;
    private final int clients;
    private final Duration interval;

    /** @param interval how long each client waits between the starts of two GET+PUT rounds */
    SingleObjectProbe(URI server, SSLContext tls, int clients, Duration interval) {
        this.server = server;
        this.tls = tls;
        this.clients = clients;
        this.interval = interval;
    }

    Result run(String namespace, PodTimeline pods, Duration duration) throws InterruptedException {
        Latencies gets = new Latencies();
        Latencies puts = new Latencies();
        AtomicInteger failures = new AtomicInteger();
        long begin = System.nanoTime();
        long end = begin + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().name("bench-probe-" + c).start(() -> {
                try (LeanClient client = new LeanClient(server, tls)) {
                    for (long round = System.nanoTime(); round < end; round += interval.toNanos()) {
                        for (long wait = round - System.nanoTime(); wait > 0; wait = round - System.nanoTime()) {
                            LockSupport.parkNanos(wait);
                        }
                        String path = "/api/v1/namespaces/" + namespace + "/pods/"
                                + pods.name(ThreadLocalRandom.current().nextInt(pods.pods()));
                        if (!probe(client, path, gets, puts)) {
                            failures.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(gets, puts, failures.get(), (System.nanoTime() - begin) / 1e9);
    }

    private static boolean probe(LeanClient client, String path, Latencies gets, Latencies puts) throws Exception {
        long start = System.nanoTime();
        LeanClient.Response got = client.send("GET", path, null, null);
        gets.add(System.nanoTime() - start);
        if (got.status() != 200) {
            return false;
        }
        ObjectNode pod = (ObjectNode) JSON.readTree(got.body());
        pod.withObject("metadata").withObject("annotations").put("bench.konductor.dev/probe",
                Long.toString(System.nanoTime()));
        String body = JSON.writeValueAsString(pod);
        start = System.nanoTime();
        LeanClient.Response put = client.send("PUT", path, "application/json", body);
        long took = System.nanoTime() - start;
        if (put.status() != 200) {
            return false;
        }
        puts.add(took);
        return true;
    }
}
