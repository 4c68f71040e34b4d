package dev.konductor.proxy;

import static dev.konductor.proxy.testobjects.Objects.endpoint;
import static dev.konductor.proxy.testobjects.Objects.endpointPort;
import static dev.konductor.proxy.testobjects.Objects.ready;
import static dev.konductor.proxy.testobjects.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.proxy.model.Cidr;
import dev.konductor.proxy.servicelb.ServiceLoadBalancer;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The nftables proxy on this host, end to end: Services and EndpointSlices in a LocalApiServer
 * point at pods that are network namespaces made by the test ({@link NetworkLab}); traffic goes
 * only to them and to the host's own addresses. The proxy uses a table, a service link and a
 * slice of the service range of its own, so it cannot meet a real node's. Skipped unless root
 * with nft.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NftablesProxyEndToEndTest {

    private static final Duration WITHIN = Duration.ofSeconds(1);

    private NetworkLab lab;
    private LocalApiServer api;
    private KubernetesClient client;
    private ServiceProxy proxy;
    private ServiceLoadBalancer loadBalancer;
    private ProxySettings settings;
    private String servicePrefix;
    private String watchTable;
    private NetworkLab.Pod a;
    private NetworkLab.Pod b;
    private NetworkLab.Pod c;
    private int webNodePort;

    @BeforeAll
    void setUp() throws Exception {
        String missing = NetworkLab.missing();
        assumeTrue(missing == null, () -> "skipped: the nftables proxy test needs root, nft, ip, busybox and curl: " + missing);
        lab = new NetworkLab();
        a = lab.addPod("a");
        b = lab.addPod("b");
        c = lab.addPod("c");
        // a /24 of the API server's 10.96.0.0/12 of our own, clear of the bootstrap Services in 10.96.0.0/24
        servicePrefix = "10." + (100 + ThreadLocalRandom.current().nextInt(10)) + "."
                + ThreadLocalRandom.current().nextInt(256) + ".";
        api = LocalApiServer.start();
        client = api.client();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewAddress().withType("InternalIP").withAddress(a.hostAddress()).endAddress().endStatus().build()).create();

        Service web = client.services().inNamespace("default").resource(service("web", "NodePort", "10", 80)).create();
        webNodePort = web.getSpec().getPorts().getFirst().getNodePort();
        client.services().inNamespace("default").resource(new ServiceBuilder(service("sticky", "ClusterIP", "11", 80))
                .editSpec().withSessionAffinity("ClientIP").withNewSessionAffinityConfig().withNewClientIP()
                .withTimeoutSeconds(60).endClientIP().endSessionAffinityConfig().endSpec().build()).create();
        client.services().inNamespace("default").resource(service("lb", "LoadBalancer", "12", 8081)).create();
        for (String name : List.of("web", "sticky", "lb")) {
            putSlice(name, List.of(ready(a.address(), "node-a"), ready(b.address(), "node-a"), ready(c.address(), "node-a")));
        }

        settings = ProxySettings.defaults("node-a", Cidr.parse(servicePrefix + "0/24"))
                .withMode(ProxyMode.NFTABLES)
                .withClusterCidr(Cidr.parse(lab.cidr()))
                .withNodePortAddresses(List.of(InetAddress.ofLiteral(a.hostAddress())))
                .withHostNames("kpx_" + lab.id, "kpx" + lab.id + "svc");
        proxy = new ServiceProxy(client, settings);
        proxy.start();
        loadBalancer = new ServiceLoadBalancer(client);
        loadBalancer.start();
        Await.until("the proxy's first sync", proxy::ready);

        // counts every packet to the unallocated address that reaches postrouting, i.e. could leave
        watchTable = "kpxw_" + lab.id;
        NetworkLab.run("nft", "add table ip " + watchTable + "; add chain ip " + watchTable
                + " post { type filter hook postrouting priority 0; policy accept; }; add rule ip " + watchTable
                + " post ip daddr " + unallocated() + " counter");
    }

    @AfterAll
    void tearDown() {
        try {
            if (loadBalancer != null) {
                loadBalancer.close();
            }
            if (proxy != null) {
                proxy.close();
            }
            if (api != null) {
                api.close();
            }
        } finally {
            if (watchTable != null) {
                try {
                    NetworkLab.run("nft", "delete table ip " + watchTable);
                } catch (IOException | InterruptedException ignored) {
                    // reported by the leftovers check of the last test
                }
            }
            if (lab != null) {
                lab.close();
            }
        }
    }

    private Service service(String name, String type, String lastOctet, int port) {
        return new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withType(type)
                .withClusterIP(servicePrefix + lastOctet).addNewPort().withName("http").withPort(port)
                .withTargetPort(new IntOrString(8080)).endPort().endSpec().build();
    }

    private void putSlice(String service, List<Endpoint> endpoints) {
        EndpointSlice slice = slice("default", service + "-lab", service, endpoints, endpointPort("http", 8080, "TCP"));
        client.discovery().v1().endpointSlices().inNamespace("default").resource(slice).createOr(existing -> existing.update());
    }

    private String clusterIp(String lastOctet) {
        return servicePrefix + lastOctet;
    }

    private String unallocated() {
        return servicePrefix + "77";
    }

    @Test
    @Order(1)
    void threeHundredRequestsToTheClusterIpReachAllThreeEndpoints() throws IOException {
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            hits.merge(NetworkLab.get(clusterIp("10"), 80), 1, Integer::sum);
        }
        System.out.println("300 requests to the ClusterIP: " + hits);
        assertThat(hits).containsOnlyKeys("a", "b", "c")
                .allSatisfy((pod, count) -> assertThat(count).as("requests reaching " + pod).isGreaterThanOrEqualTo(60));
    }

    @Test
    @Order(2)
    void anEndpointTurningNotReadyDropsOutWithinASecond() throws IOException {
        putSlice("web", List.of(ready(a.address(), "node-a"), ready(b.address(), "node-a"),
                endpoint(c.address(), "node-a", false, false, false)));
        long changed = System.nanoTime();
        long lastSeenC = changed;
        while (System.nanoTime() - changed < Duration.ofMillis(2500).toNanos()) {
            if (NetworkLab.get(clusterIp("10"), 80).equals("c")) {
                lastSeenC = System.nanoTime();
            }
        }
        System.out.printf("not-ready endpoint last answered %d ms after the slice update%n",
                Duration.ofNanos(lastSeenC - changed).toMillis());
        assertThat(Duration.ofNanos(lastSeenC - changed)).isLessThan(WITHIN);
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            after.add(NetworkLab.get(clusterIp("10"), 80));
        }
        assertThat(after).doesNotContain("c").contains("a", "b");
    }

    @Test
    @Order(3)
    void aNewEndpointJoinsWithinASecond() throws Exception {
        NetworkLab.Pod d = lab.addPod("d");
        putSlice("web", List.of(ready(a.address(), "node-a"), ready(b.address(), "node-a"),
                endpoint(c.address(), "node-a", false, false, false), ready(d.address(), "node-a")));
        long changed = System.nanoTime();
        while (!NetworkLab.get(clusterIp("10"), 80).equals("d")) {
            assertThat(Duration.ofNanos(System.nanoTime() - changed)).as("time until d answers").isLessThan(WITHIN);
        }
        System.out.printf("new endpoint answered %d ms after the slice update%n",
                Duration.ofNanos(System.nanoTime() - changed).toMillis());
    }

    @Test
    @Order(4)
    void theNodePortAnswersFromTheNodeAndFromOutside() throws Exception {
        assertThat(NetworkLab.get(a.hostAddress(), webNodePort)).isIn("a", "b", "d");
        // from another host's point of view: pod b's namespace reaching the node's address
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(NetworkLab.getFrom(b, a.hostAddress(), webNodePort));
        }
        assertThat(answers).allSatisfy(answer -> assertThat(answer).isIn("a", "b", "d"));
    }

    @Test
    @Order(5)
    void aPodReachesItselfThroughItsService() throws Exception {
        // hairpin: without masquerade the pod would answer itself from its own address and drop it
        boolean reachedItself = false;
        for (int i = 0; i < 40 && !reachedItself; i++) {
            String answer = NetworkLab.getFrom(a, clusterIp("10"), 80);
            assertThat(answer).isIn("a", "b", "d");
            reachedItself = answer.equals("a");
        }
        assertThat(reachedItself).isTrue();
    }

    @Test
    @Order(6)
    void clientIpAffinityKeepsTheHostOnOneEndpoint() throws IOException {
        String first = NetworkLab.get(clusterIp("11"), 80);
        for (int i = 0; i < 20; i++) {
            assertThat(NetworkLab.get(clusterIp("11"), 80)).isEqualTo(first);
        }
    }

    @Test
    @Order(7)
    void aLoadBalancerServiceGetsTheNodesAddressAndAnswersOnIt() throws IOException {
        Await.until("the node's address as load-balancer ingress", () -> {
            Service lb = client.services().inNamespace("default").withName("lb").get();
            return lb.getStatus().getLoadBalancer() != null && lb.getStatus().getLoadBalancer().getIngress() != null
                    && !lb.getStatus().getLoadBalancer().getIngress().isEmpty();
        });
        Service lb = client.services().inNamespace("default").withName("lb").get();
        assertThat(lb.getStatus().getLoadBalancer().getIngress().getFirst().getIp()).isEqualTo(a.hostAddress());
        Await.until("the ingress address answering", () -> {
            try {
                return List.of("a", "b", "c").contains(NetworkLab.get(a.hostAddress(), 8081));
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @Test
    @Order(8)
    void aPacketToAnUnallocatedClusterIpIsRejectedAndNeverLeaves() throws Exception {
        String route = NetworkLab.run("ip", "route", "get", unallocated());
        assertThat(route).contains("dev " + settings.serviceLink());

        long started = System.nanoTime();
        assertThatThrownBy(() -> NetworkLab.get(unallocated(), 80)).isInstanceOf(ConnectException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once, not timed out")
                .isLessThan(Duration.ofSeconds(1));
        assertThat(NetworkLab.getFrom(b, unallocated(), 80)).contains("Couldn't connect");
        // a port the ClusterIP does not serve is refused too
        assertThatThrownBy(() -> NetworkLab.get(clusterIp("10"), 81)).isInstanceOf(ConnectException.class);

        assertThat(counter(settings.table(), "cluster-ips-check", "unallocated ClusterIP")).isGreaterThanOrEqualTo(2);
        assertThat(NetworkLab.run("nft", "list", "table", "ip", watchTable)).contains("counter packets 0 bytes 0");
    }

    @Test
    @Order(9)
    void closeRemovesTheTableTheLinkAndTheRoute() throws Exception {
        proxy.close();
        proxy = null;

        assertThat(NetworkLab.run("nft", "list", "tables")).doesNotContain("ip " + settings.table() + "\n");
        assertThat(NetworkLab.run("ip", "-br", "link")).doesNotContain(settings.serviceLink());
        assertThat(NetworkLab.run("ip", "route")).doesNotContain(servicePrefix + "0/24");
    }

    private static long counter(String table, String chain, String comment) throws Exception {
        for (String line : NetworkLab.run("nft", "list", "chain", "ip", table, chain).split("\n")) {
            if (line.contains(comment)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(line);
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
        }
        throw new AssertionError("no counter for " + comment + " in " + chain);
    }
}
