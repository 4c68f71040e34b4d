package dev.konductor.proxy.ingress;

import static dev.konductor.proxy.ingress.IngressObjects.backend;
import static dev.konductor.proxy.ingress.IngressObjects.endpoint;
import static dev.konductor.proxy.ingress.IngressObjects.ingress;
import static dev.konductor.proxy.ingress.IngressObjects.path;
import static dev.konductor.proxy.ingress.IngressObjects.rule;
import static dev.konductor.proxy.ingress.IngressObjects.service;
import static dev.konductor.proxy.ingress.IngressObjects.servicePort;
import static dev.konductor.proxy.ingress.IngressObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ingress controller against a real API server, on a free loopback port. Backends are small
 * HTTP servers on loopback published through Services and EndpointSlices the test writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngressControllerTest {

    static final String NS = "web";

    private LocalApiServer api;
    private KubernetesClient client;
    private IngressController controller;
    private final Map<String, TestBackend> backends = new HashMap<>();
    private int port;

    @BeforeAll
    void start() throws Exception {
        api = LocalApiServer.start();
        client = api.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        for (String name : List.of("a", "b", "c", "rr1", "rr2", "pool")) {
            backends.put(name, new TestBackend(name));
        }
        IngressSettings settings = IngressSettings.defaults("127.0.0.1")
                .withListeners(InetAddress.getLoopbackAddress(), 0, -1)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10));
        controller = new IngressController(client, settings);
        controller.start();
        assertThat(controller.ready()).isTrue();
        port = controller.httpPort();
        for (String name : List.of("a", "b", "c")) {
            publish("svc-" + name, List.of(backends.get(name)));
        }
    }

    @AfterAll
    void stop() {
        if (controller != null) {
            controller.close();
        }
        backends.values().forEach(TestBackend::close);
        if (api != null) {
            api.close();
        }
    }

    @Test
    void createsItsDefaultIngressClass() {
        IngressClass created = client.network().v1().ingressClasses().withName("konductor").get();
        assertThat(created.getSpec().getController()).isEqualTo("konductor.dev/ingress");
        assertThat(created.getMetadata().getAnnotations())
                .containsEntry("ingressclass.kubernetes.io/is-default-class", "true");
    }

    /** The acceptance: an Ingress routes two host names to two Services. */
    @Test
    void routesTwoHostNamesToTwoServices() throws IOException {
        create(ingress(NS, "two-hosts", "konductor", null,
                rule("a.example.test", path("Prefix", "/", backend("svc-a", 80))),
                rule("b.example.test", path("Prefix", "/", backend("svc-b", "http")))));
        awaitStatus("b.example.test", "/", 200);

        RawHttp.Response a = RawHttp.get(port, "a.example.test", "/hello?x=1");
        RawHttp.Response b = RawHttp.get(port, "B.Example.Test:" + port, "/");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.field("backend")).isEqualTo("a");
        assertThat(a.field("uri")).isEqualTo("/hello?x=1");
        assertThat(b.field("backend")).isEqualTo("b");

        assertThat(a.field("host")).as("Host is kept").isEqualTo("a.example.test");
        assertThat(a.field("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(a.field("x-real-ip")).isEqualTo("127.0.0.1");
        assertThat(a.field("x-forwarded-proto")).isEqualTo("http");
        assertThat(a.field("x-forwarded-host")).isEqualTo("a.example.test");

        Await.until("the Ingress gets the node's address", () -> {
            Ingress current = client.network().v1().ingresses().inNamespace(NS).withName("two-hosts").get();
            return current.getStatus().getLoadBalancer().getIngress() != null
                    && current.getStatus().getLoadBalancer().getIngress().size() == 1
                    && "127.0.0.1".equals(current.getStatus().getLoadBalancer().getIngress().getFirst().getIp());
        });
    }

    @Test
    void theLongestPathWinsAndExactBeatsPrefix() throws IOException {
        create(ingress(NS, "paths", rule("paths.example.test",
                path("Prefix", "/", backend("svc-a", 80)),
                path("Prefix", "/api", backend("svc-b", 80)),
                path("Exact", "/api/exact", backend("svc-c", 80)),
                path("ImplementationSpecific", "/api/impl", backend("svc-c", 80)))));
        awaitStatus("paths.example.test", "/", 200);

        Map<String, String> expected = Map.of("/", "a", "/apix", "a", "/api", "b", "/api/", "b", "/api/v1", "b",
                "/api/exact", "c", "/api/exact/", "b", "/api/impl/deeper", "c");
        try (RawHttp http = new RawHttp(port)) { // all on one kept-alive connection
            for (var entry : expected.entrySet()) {
                assertThat(http.get("paths.example.test", entry.getKey()).field("backend")).as(entry.getKey())
                        .isEqualTo(entry.getValue());
            }
        }
    }

    @Test
    void noRuleIs404AndNoReadyEndpointIs503() throws IOException {
        client.services().inNamespace(NS).resource(service(NS, "svc-down", servicePort("http", 80, 8080))).create();
        client.discovery().v1().endpointSlices().inNamespace(NS).resource(slice(NS, "svc-down-1", "svc-down", "http",
                8080, List.of(endpoint("127.0.0.1", false)))).create();
        create(ingress(NS, "errors",
                rule("down.example.test", path("Prefix", "/", backend("svc-down", 80))),
                rule("missing.example.test", path("Prefix", "/", backend("no-such-service", 80))),
                rule("known.example.test", path("Exact", "/only", backend("svc-a", 80)))));
        awaitStatus("down.example.test", "/", 503);

        assertThat(RawHttp.get(port, "missing.example.test", "/").status()).isEqualTo(503);
        assertThat(RawHttp.get(port, "nobody.example.test", "/").status()).isEqualTo(404);
        assertThat(RawHttp.get(port, "known.example.test", "/elsewhere").status()).isEqualTo(404);
        assertThat(RawHttp.get(port, "known.example.test", "/only").status()).isEqualTo(200);
        RawHttp.Response down = RawHttp.get(port, "down.example.test", "/");
        assertThat(down.body()).contains("no ready endpoints");
    }

    @Test
    void endpointChangesAreFollowedWithinASecond() throws Exception {
        TestBackend first = backends.get("rr1");
        TestBackend second = backends.get("rr2");
        publish("svc-rr", List.of(first));
        create(ingress(NS, "rr", rule("rr.example.test", path("Prefix", "/", backend("svc-rr", 80)))));
        awaitStatus("rr.example.test", "/", 200);

        long added = writeEndpoints("svc-rr", List.of(endpoint("127.0.0.1", true)), first, second);
        long seen = awaitBackend("rr.example.test", "rr2");
        assertThat(seen - added).as("ms until a new endpoint gets traffic").isLessThan(1000);

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            counts.merge(RawHttp.get(port, "rr.example.test", "/").field("backend"), 1, Integer::sum);
        }
        assertThat(counts).as("round-robin").containsEntry("rr1", 10).containsEntry("rr2", 10);

        long removed = writeEndpoints("svc-rr", List.of(endpoint("127.0.0.1", true)), second);
        long gone = awaitOnly("rr.example.test", "rr2");
        assertThat(gone - removed).as("ms until a removed endpoint gets no more traffic").isLessThan(1000);

        long unready = writeEndpoints("svc-rr", List.of(endpoint("127.0.0.1", false)), second);
        long failing = awaitStatusCode("rr.example.test", 503);
        assertThat(failing - unready).as("ms until an unready endpoint gets no more traffic").isLessThan(1000);
        System.out.printf("ingress endpoint-change latency ms: added=%d removed=%d unready=%d%n", seen - added,
                gone - removed, failing - unready);
    }

    @Test
    void backendConnectionsAreKeptAlive() throws IOException {
        TestBackend pool = backends.get("pool");
        publish("svc-pool", List.of(pool));
        create(ingress(NS, "pool", rule("pool.example.test", path("Prefix", "/", backend("svc-pool", 80)))));
        awaitStatus("pool.example.test", "/", 200);
        int before = pool.connections();
        for (int i = 0; i < 30; i++) {
            assertThat(RawHttp.get(port, "pool.example.test", "/").status()).isEqualTo(200);
        }
        assertThat(pool.connections() - before).as("new backend connections for 30 requests on 30 client connections")
                .isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void clientConnectionsFollowHttpRules() throws IOException {
        create(ingress(NS, "conn", rule("conn.example.test", path("Prefix", "/", backend("svc-a", 80)))));
        awaitStatus("conn.example.test", "/", 200);
        try (RawHttp http = new RawHttp(port)) {
            // pipelined: both answered, in order
            http.send("GET /one HTTP/1.1\r\nHost: conn.example.test\r\n\r\n"
                    + "GET /two HTTP/1.1\r\nHost: conn.example.test\r\nConnection: keep-alive, X-Secret\r\n"
                    + "X-Secret: hop\r\n\r\n");
            assertThat(http.read(false).field("uri")).isEqualTo("/one");
            RawHttp.Response two = http.read(false);
            assertThat(two.field("uri")).isEqualTo("/two");
            assertThat(two.field("x-secret")).as("headers named in Connection stay on the hop").isEqualTo("null");

            // pipelined again, the second with a body: it must reach the backend whole
            http.send("GET /three HTTP/1.1\r\nHost: conn.example.test\r\n\r\n"
                    + "POST /four HTTP/1.1\r\nHost: conn.example.test\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(http.read(false).field("uri")).isEqualTo("/three");
            assertThat(http.read(false).field("body-length")).isEqualTo("3");

            RawHttp.Response chunked = http.get("conn.example.test", "/chunked");
            assertThat(chunked.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(chunked.field("backend")).isEqualTo("a");

            http.send("HEAD / HTTP/1.1\r\nHost: conn.example.test\r\n\r\n");
            assertThat(http.read(true).status()).isEqualTo(200);

            http.send("POST /upload HTTP/1.1\r\nHost: conn.example.test\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(http.read(false).field("body-length")).isEqualTo("5");

            http.send("GET /last HTTP/1.1\r\nHost: conn.example.test\r\nConnection: close\r\n\r\n");
            RawHttp.Response last = http.read(false);
            assertThat(last.header("connection")).isEqualTo("close");
            assertThat(http.closedByServer()).isTrue();
        }
        try (RawHttp bad = new RawHttp(port)) {
            bad.send("GET / HTTP/1.1\r\nHost: conn.example.test\r\nContent-Length: nope\r\n\r\n");
            assertThat(bad.read(false).status()).isEqualTo(400);
            assertThat(bad.closedByServer()).isTrue();
        }
        try (RawHttp old = new RawHttp(port)) {
            old.send("GET /old HTTP/1.0\r\nHost: conn.example.test\r\n\r\n");
            assertThat(old.read(false).field("uri")).isEqualTo("/old");
            assertThat(old.closedByServer()).as("HTTP/1.0 without keep-alive").isTrue();
        }
    }

    @Test
    void anEndpointThatRefusesConnectionsIs502() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        client.services().inNamespace(NS).resource(service(NS, "svc-refused", servicePort("http", 80, closedPort)))
                .create();
        client.discovery().v1().endpointSlices().inNamespace(NS).resource(slice(NS, "svc-refused-1", "svc-refused",
                "http", closedPort, List.of(endpoint("127.0.0.1", true)))).create();
        create(ingress(NS, "refused",
                rule("refused.example.test", path("Prefix", "/", backend("svc-refused", 80)))));
        awaitStatus("refused.example.test", "/", 502);
    }

    @Test
    void ingressesOfAnotherControllersClassAreLeftAlone() throws Exception {
        // another controller's class, not the default: the default class is given to Ingresses that name
        // none (the DefaultIngressClass admission), and the other tests' Ingresses must stay ours
        client.network().v1().ingressClasses().resource(new IngressClassBuilder().withNewMetadata().withName("nginx")
                .endMetadata().withNewSpec().withController("k8s.io/ingress-nginx").endSpec().build()).create();
        create(ingress(NS, "not-ours", "nginx", null,
                rule("nginx.example.test", path("Prefix", "/", backend("svc-a", 80)))));
        create(ingress(NS, "marker", rule("marker.example.test", path("Prefix", "/", backend("svc-a", 80)))));
        awaitStatus("marker.example.test", "/", 200); // written after, so the first is surely processed
        assertThat(RawHttp.get(port, "nginx.example.test", "/").status()).isEqualTo(404);
        Ingress notOurs = client.network().v1().ingresses().inNamespace(NS).withName("not-ours").get();
        assertThat(notOurs.getStatus().getLoadBalancer().getIngress()).isNullOrEmpty();
    }

    // --- helpers

    private void create(Ingress ingress) {
        client.network().v1().ingresses().inNamespace(NS).resource(ingress).create();
    }

    /** A selector-less Service {@code name} (port "http" 80) whose slice holds {@code targets}. */
    private void publish(String name, List<TestBackend> targets) {
        int targetPort = targets.getFirst().port();
        client.services().inNamespace(NS).resource(service(NS, name, servicePort("http", 80, targetPort))).create();
        writeEndpoints(name, List.of(endpoint("127.0.0.1", true)), targets.toArray(TestBackend[]::new));
    }

    /**
     * Writes one slice per backend (a slice has one port number; each loopback backend has its
     * own), replacing the Service's slices; returns when it was written, in ms.
     */
    private long writeEndpoints(String service, List<Endpoint> template, TestBackend... targets) {
        List<String> keep = new ArrayList<>();
        for (TestBackend target : targets) {
            String sliceName = service + "-" + target.name();
            keep.add(sliceName);
            client.discovery().v1().endpointSlices().inNamespace(NS).resource(slice(NS, sliceName, service, "http",
                    target.port(), template)).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        }
        client.discovery().v1().endpointSlices().inNamespace(NS).withLabel(BackendResolver.SERVICE_NAME_LABEL, service)
                .list().getItems().stream().filter(s -> !keep.contains(s.getMetadata().getName()))
                .forEach(s -> client.discovery().v1().endpointSlices().inNamespace(NS)
                        .withName(s.getMetadata().getName()).delete());
        return System.currentTimeMillis();
    }

    private void awaitStatus(String host, String path, int status) {
        Await.until(host + path + " answers " + status, () -> RawHttp.fetch(port, host, path).status() == status);
    }

    private long awaitStatusCode(String host, int status) {
        awaitStatus(host, "/", status);
        return System.currentTimeMillis();
    }

    private long awaitBackend(String host, String backend) {
        Await.until(host + " reaches " + backend,
                () -> backend.equals(RawHttp.fetch(port, host, "/").field("backend")));
        return System.currentTimeMillis();
    }

    /** Waits until four requests in a row all reach {@code backend}; returns when the first of them was sent. */
    private long awaitOnly(String host, String backend) {
        long[] since = {0};
        Await.until(host + " reaches only " + backend, () -> {
            long start = System.currentTimeMillis();
            for (int i = 0; i < 4; i++) {
                if (!backend.equals(RawHttp.fetch(port, host, "/").field("backend"))) {
                    return false;
                }
            }
            since[0] = start;
            return true;
        });
        return since[0];
    }
}
