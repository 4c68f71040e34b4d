package dev.konductor.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each pod matching a label selector was first seen Ready, as {@code kubectl get pods --watch}
 * reports it: the moment a user watching would see it, taken as each line arrives.
 */
final class PodReadyWatch implements AutoCloseable {

    private final Process kubectl;
    private final Thread reader;
    private final Map<String, Instant> readySince = new ConcurrentHashMap<>();

    private PodReadyWatch(Process kubectl) {
        this.kubectl = kubectl;
        this.reader = Thread.ofVirtual().name("pod-ready-watch").start(this::read);
    }

    static PodReadyWatch start(KonductorCluster cluster, String selector) throws IOException {
        return new PodReadyWatch(cluster.startKubectl("get", "pods", "-l", selector, "--watch", "-o",
                "jsonpath={.metadata.name} {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}"));
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(kubectl.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Instant now = Instant.now();
                String[] fields = line.strip().split(" ");
                if (fields.length == 2 && fields[1].equals("True")) {
                    readySince.putIfAbsent(fields[0], now);
                }
            }
        } catch (IOException e) {
            if (kubectl.isAlive()) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Pod name to the moment it was first seen Ready. */
    Map<String, Instant> readySince() {
        return Map.copyOf(readySince);
    }

    @Override
    public void close() throws InterruptedException {
        kubectl.destroy();
        reader.join(5000);
    }
}
