package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.server.kubeconfig.Kubeconfig;
import dev.konductor.server.local.ReadinessProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Principle 6: a crash at any instant loses no acknowledged write. */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class DurabilityTest {

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
                            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(configMaps)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() == 201) {
                                acknowledged.add(name);
                            }
                        }
                    } catch (Exception serverGone) {
                        // the kill cuts the connection: this writer is done
                    }
                }));
            }
            while (acknowledged.size() < 300) {
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
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);
            assertThat(stored).containsAll(acknowledged);
        }
    }
}
