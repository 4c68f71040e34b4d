package dev.konductor.proxy.ingress;

import static dev.konductor.proxy.ingress.IngressObjects.backend;
import static dev.konductor.proxy.ingress.IngressObjects.endpoint;
import static dev.konductor.proxy.ingress.IngressObjects.path;
import static dev.konductor.proxy.ingress.IngressObjects.rule;
import static dev.konductor.proxy.ingress.IngressObjects.service;
import static dev.konductor.proxy.ingress.IngressObjects.servicePort;
import static dev.konductor.proxy.ingress.IngressObjects.slice;

import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Requests per second through the ingress proxy against straight to the backend, on loopback,
 * keep-alive clients; for the record, asserts nothing about speed. Run on request only:
 * {@code mvn -pl proxy -am test -Dtest=IngressThroughputProbe -Dingress.probe=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "ingress.probe", matches = "true")
class IngressThroughputProbe {

    private static final Duration RUN = Duration.ofSeconds(5);
    private static final int CLIENTS = 8;

    @Test
    void measure() throws Exception {
        try (LocalApiServer api = LocalApiServer.start(); TestBackend target = new TestBackend("bench")) {
            KubernetesClient client = api.client();
            IngressSettings settings = IngressSettings.defaults("127.0.0.1")
                    .withListeners(InetAddress.getLoopbackAddress(), 0, -1);
            try (IngressController controller = new IngressController(client, settings)) {
                controller.start();
                client.services().inNamespace("default").resource(service("default", "bench",
                        servicePort("http", 80, target.port()))).create();
                client.discovery().v1().endpointSlices().inNamespace("default").resource(slice("default", "bench-1",
                        "bench", "http", target.port(), List.of(endpoint("127.0.0.1", true)))).create();
                client.network().v1().ingresses().inNamespace("default").resource(IngressObjects.ingress("default",
                        "bench", rule("bench.test", path("Prefix", "/", backend("bench", 80))))).create();
                int proxy = controller.httpPort();
                Await.until("routed", () -> RawHttp.fetch(proxy, "bench.test", "/").status() == 200);

                run(target.port(), Duration.ofSeconds(2));
                run(proxy, Duration.ofSeconds(2));
                double direct = run(target.port(), RUN);
                double proxied = run(proxy, RUN);
                System.out.printf("ingress probe: direct %.0f req/s, through the proxy %.0f req/s (%.0f%%), %d keep-alive"
                        + " clients, %d cores%n", direct, proxied, 100 * proxied / direct, CLIENTS,
                        Runtime.getRuntime().availableProcessors());
            }
        }
    }

    private static double run(int port, Duration length) throws InterruptedException {
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + length.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(Thread.ofPlatform().start(() -> {
                try (RawHttp http = new RawHttp(port)) {
                    while (System.nanoTime() < end) {
                        if (http.get("bench.test", "/").status() == 200) {
                            done.increment();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread thread : clients) {
            thread.join();
        }
        return done.sum() / (double) length.toSeconds();
    }
}
