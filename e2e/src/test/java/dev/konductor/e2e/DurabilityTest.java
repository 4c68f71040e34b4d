package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.server.kubeconfig.Kubeconfig;
import dev.konductor.server.local.ReadinessProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Principle 6: a crash at any instant loses no acknowledged write.
 *
 * <p>The timeout only catches a hang: the steps under it fail on their own first, and on a loaded
 * machine they add up to more than the 3 minutes it used to be (two server starts of up to
 * {@link KonductorCluster#STARTUP} each, the burst of up to {@link #BURST}, kubectl).
 */
@Timeout(value = 20, unit = java.util.concurrent.TimeUnit.MINUTES)
class DurabilityTest {

    private static final int WRITES = 300;
    private static final Duration BURST = Duration.ofMinutes(3);

    @Test
    void everyAcknowledgedCreateSurvivesAKillDashNineMidBurst() throws Exception {
        try (KonductorCluster cluster = KonductorCluster.start()) {
            SSLContext tls = ReadinessProbe.sslContext(Kubeconfig.read(cluster.kubeconfig()));
            URI configMaps = URI.create("https://127.0.0.1:" + cluster.port + "/api/v1/namespaces/default/configmaps");
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.add(Thread.ofVirtual().start(() -> {
                    try (HttpClient client = HttpClient.newBuilder().sslContext(tls).build()) {
                        for (int i = 0; !stop.get(); i++) {
                            String name = "w" + writer + "-" + i;
                            String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
                                    + name + "\"},\"data\":{\"i\":\"" + i + "\"}}";
                            try {
                                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(configMaps)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                        HttpResponse.BodyHandlers.discarding());
                                if (response.statusCode() == 201) {
                                    acknowledged.add(name);
                                }
                            } catch (IOException unanswered) {
                                // not acknowledged, so not owed: before the kill a loaded server may drop a
                                // connection, and a writer that gave up then could leave the burst short
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            long deadline = System.nanoTime() + BURST.toNanos();
            while (acknowledged.size() < WRITES) {
                assertThat(System.nanoTime()).as("%d creates acknowledged within %s, only %d were", WRITES, BURST,
                        acknowledged.size()).isLessThan(deadline);
                Thread.sleep(20);
            }
            cluster.killHard();
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }

            cluster.restart();
            String names = cluster.kubectl("get", "configmaps", "-o", "name").out();
            Set<String> stored = ConcurrentHashMap.newKeySet();
            names.lines().forEach(line -> stored.add(line.replace("configmap/", "")));
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(WRITES);
            assertThat(stored).containsAll(acknowledged);
        }
    }
}
