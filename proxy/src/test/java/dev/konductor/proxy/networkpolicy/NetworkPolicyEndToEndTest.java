package dev.konductor.proxy.networkpolicy;

import static dev.konductor.proxy.networkpolicy.PolicyObjects.labels;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.namespacePeer;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.podPeer;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.policy;
import static dev.konductor.proxy.networkpolicy.PolicyObjects.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.proxy.ProxyMode;
import dev.konductor.proxy.ProxySettings;
import dev.konductor.proxy.ServiceProxy;
import dev.konductor.proxy.model.Cidr;
import dev.konductor.proxy.nftables.NftConfig;
import dev.konductor.proxy.nftables.NftablesProxier;
import dev.konductor.proxy.testobjects.Objects;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * NetworkPolicies enforced end to end: policies, pods and namespaces in a real API server, the
 * enforcer syncing them through its informers into nftables on a test node ({@link BridgeLab}: a
 * network namespace with the pods on a Linux bridge), and traffic between those pods. Namespace
 * prod holds server, client and other; dev holds outsider (labelled app=client too); ops
 * (purpose=monitoring) holds monitor. Skipped unless root with nft, ip, sysctl, busybox, curl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkPolicyEndToEndTest {

    private static final String NODE = "node-a";
    private static final String TABLE = "knp-netpol";
    private static final Duration GENEROUS = Duration.ofSeconds(15);
    private static final String TIMED_OUT = "curl: (28)";

    private BridgeLab lab;
    private LocalApiServer api;
    private KubernetesClient client;
    private NetworkPolicyEnforcer enforcer;
    private ServiceProxy serviceProxy;
    private BridgeLab.Pod server;
    private BridgeLab.Pod clientPod;
    private BridgeLab.Pod other;
    private BridgeLab.Pod outsider;
    private BridgeLab.Pod monitor;

    @BeforeAll
    void setUp() throws Exception {
        String missing = BridgeLab.missing();
        assumeTrue(missing == null, () -> "skipped: the NetworkPolicy test needs root, nft, ip, sysctl, busybox and curl: " + missing);
        lab = new BridgeLab();
        // as on a node where nothing asked for it yet: the bridge keeps pod-to-pod packets to itself
        lab.inNode("sysctl", "-w", "net.bridge.bridge-nf-call-iptables=0", "net.bridge.bridge-nf-call-ip6tables=0");
        server = lab.addPod("server");
        clientPod = lab.addPod("client");
        other = lab.addPod("other");
        outsider = lab.addPod("outsider");
        monitor = lab.addPod("monitor");

        api = LocalApiServer.start();
        client = api.client();
        namespace("prod", Map.of("team", "prod"));
        namespace("dev", Map.of("team", "dev"));
        namespace("ops", Map.of("purpose", "monitoring"));
        runningPod("prod", server, "server");
        runningPod("prod", clientPod, "client");
        runningPod("prod", other, "other");
        runningPod("dev", outsider, "client");
        runningPod("ops", monitor, "monitor");

        NetworkPolicySettings settings = NetworkPolicySettings.defaults(NODE).withTable(TABLE);
        enforcer = new NetworkPolicyEnforcer(client, settings, lab.nodeRunner());
        enforcer.start();
        Await.until(GENEROUS, "the enforcer's first sync", enforcer::ready);
    }

    @AfterAll
    void tearDown() {
        try {
            if (serviceProxy != null) {
                serviceProxy.close();
            }
            if (enforcer != null) {
                enforcer.close();
            }
            if (api != null) {
                api.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    private void namespace(String name, Map<String, String> labels) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).addToLabels(labels)
                .endMetadata().build()).create();
        // no serviceaccount controller runs here; the ServiceAccount admission needs the pods' account
        client.serviceAccounts().inNamespace(name).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("default").endMetadata().build()).create();
    }

    /** The pod as the kubelet would have reported it: on this node, running, with the lab's address. */
    private void runningPod(String namespace, BridgeLab.Pod pod, String app) {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(pod.name())
                .addToLabels("app", app).endMetadata().withNewSpec().withNodeName(NODE).addNewContainer()
                .withName("httpd").withImage("busybox")
                .withPorts(new ContainerPortBuilder().withName("http").withContainerPort(8080).build(),
                        new ContainerPortBuilder().withName("alt").withContainerPort(8081).build())
                .endContainer().endSpec().build()).create();
        client.pods().inNamespace(namespace).withName(pod.name()).editStatus(p -> new PodBuilder(p).editOrNewStatus()
                .withPhase("Running").withPodIP(pod.address()).addNewPodIP().withIp(pod.address()).endPodIP()
                .endStatus().build());
    }

    private void create(NetworkPolicy policy) {
        client.network().v1().networkPolicies().inNamespace(policy.getMetadata().getNamespace()).resource(policy).create();
    }

    private void deletePolicies(String namespace) {
        client.network().v1().networkPolicies().inNamespace(namespace).delete();
    }

    private boolean reaches(BridgeLab.Pod from, BridgeLab.Pod to, int port) {
        return lab.get(from, to.address(), port).equals(to.name());
    }

    /** Dropped, not refused: curl gives up connecting (its exit code 28, a timeout). */
    private void assertBlocked(BridgeLab.Pod from, BridgeLab.Pod to, int port) {
        assertThat(lab.get(from, to.address(), port)).as(from.name() + " -> " + to.name() + ":" + port)
                .startsWith(TIMED_OUT);
    }

    private void assertReaches(BridgeLab.Pod from, BridgeLab.Pod to, int port) {
        assertThat(lab.get(from, to.address(), port)).as(from.name() + " -> " + to.name() + ":" + port)
                .isEqualTo(to.name());
    }

    /**
     * Makes a change and waits until the kernel holds the rules for it ({@code done} holds for the
     * applied model), saying how long that took: the probes that follow cost a second each when
     * blocked, so they cannot time the sync.
     */
    private void change(String what, Runnable change, Predicate<PolicyModel> done) {
        long started = System.nanoTime();
        change.run();
        Await.until(GENEROUS, "rules for: " + what, () -> done.test(enforcer.lastModel()));
        System.out.printf("%s: rules applied %d ms after the API call returned%n", what,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** The applied model isolates these pods of prod, and no others. */
    private static Predicate<PolicyModel> isolating(String... pods) {
        return model -> model.pods().stream().map(PodPolicy::key).toList()
                .equals(java.util.Arrays.stream(pods).map(pod -> "prod/" + pod).toList());
    }

    /** The applied model isolates {@code pod} of prod with {@code rules} allow rules for ingress. */
    private static Predicate<PolicyModel> ingressRules(String pod, int rules) {
        return model -> model.pods().stream().anyMatch(p -> p.key().equals("prod/" + pod)
                && p.ingress() instanceof Isolation.Isolated isolated && isolated.allowed().size() == rules);
    }

    @Test
    @Order(1)
    void theEnforcerTurnsOnBridgeNetfilterAndAllTrafficFlowsWithoutPolicies() throws Exception {
        assertThat(enforcer.bridgeNetfilterState()).isEqualTo(BridgeNetfilter.State.TURNED_ON);
        assertThat(lab.inNode("sysctl", "-n", "net.bridge.bridge-nf-call-iptables").strip()).isEqualTo("1");
        assertReaches(clientPod, server, 8080);
        assertReaches(outsider, server, 8081);
        assertReaches(server, clientPod, 8080);
    }

    @Test
    @Order(2)
    void aDefaultDenyIngressPolicyBlocksTrafficBetweenPodsOfTheBridge() {
        change("default deny", () -> create(policy("prod", "default-deny", labels()).editSpec()
                .withPolicyTypes("Ingress").endSpec().build()), isolating("client", "other", "server"));

        assertBlocked(clientPod, server, 8080);
        assertBlocked(other, server, 8081);
        assertBlocked(outsider, server, 8080);
        assertBlocked(server, clientPod, 8080); // {} isolates every pod of prod
        // prod's egress is not isolated, and dev has no policy
        assertReaches(server, outsider, 8080);
        // the node itself (kubelet probes) still gets through
        assertThat(lab.getFromNode(server.address(), 8080)).isEqualTo("server");
    }

    @Test
    @Order(3)
    void allowingByPodLabelLetsExactlyThosePodsOfTheNamespaceThrough() {
        change("allow by pod label", () -> create(policy("prod", "allow-clients", labels("app", "server")).editSpec()
                .addNewIngress().addToFrom(podPeer(labels("app", "client"))).endIngress().endSpec().build()),
                ingressRules("server", 1));

        assertReaches(clientPod, server, 8080);
        assertReaches(clientPod, server, 8081);
        assertBlocked(other, server, 8080);
        assertBlocked(outsider, server, 8080); // app=client too, but in dev: a podSelector looks in prod only
        assertBlocked(server, clientPod, 8080); // the policy opens server, not client
    }

    @Test
    @Order(4)
    void allowingByNamespaceLabelLetsThatNamespaceThroughOnTheGivenPort() {
        change("allow by namespace label", () -> create(policy("prod", "allow-monitoring", labels("app", "server"))
                .editSpec().addNewIngress().addToFrom(namespacePeer(labels("purpose", "monitoring")))
                .addToPorts(tcp(8081)).endIngress().endSpec().build()), ingressRules("server", 2));

        assertReaches(monitor, server, 8081);
        assertBlocked(monitor, server, 8080);
        assertBlocked(outsider, server, 8081);
        assertReaches(clientPod, server, 8080);
    }

    @Test
    @Order(5)
    void removingThePoliciesRestoresTraffic() {
        change("policies removed", () -> deletePolicies("prod"), isolating());

        assertReaches(other, server, 8080);
        assertReaches(outsider, server, 8081);
        assertReaches(monitor, server, 8080);
        assertReaches(server, clientPod, 8080);
    }

    @Test
    @Order(6)
    void anEgressPolicyDeniesAllButOnePort() {
        change("egress on one port", () -> create(policy("prod", "client-egress", labels("app", "client")).editSpec()
                .withPolicyTypes("Egress").addNewEgress().addToPorts(tcp(8080)).endEgress().endSpec().build()),
                isolating("client"));

        assertBlocked(clientPod, server, 8081);
        assertReaches(clientPod, server, 8080);
        assertReaches(clientPod, outsider, 8080);
        assertBlocked(clientPod, outsider, 8081);
        assertReaches(other, server, 8081); // other is not isolated
        assertReaches(server, clientPod, 8081); // ingress of client is open, and replies flow back

        change("egress policy removed", () -> deletePolicies("prod"), isolating());
        assertReaches(clientPod, server, 8081);
    }

    @Test
    @Order(7)
    void aClusterIpServiceIsStillSubjectToTheDestinationPodsPolicy() throws Exception {
        Cidr serviceCidr = Cidr.parse("10.96.0.0/12"); // routed to a dummy link inside the lab's node only
        ProxySettings proxySettings = ProxySettings.defaults(NODE, serviceCidr).withMode(ProxyMode.NFTABLES)
                .withClusterCidr(Cidr.parse(lab.cidr())).withHostNames("knp-svc", "knp" + lab.id + "svc");
        NftablesProxier proxier = new NftablesProxier(new NftConfig(proxySettings.table(), serviceCidr,
                proxySettings.clusterCidr(), List.of()), proxySettings.serviceLink(), lab.nodeRunner());
        serviceProxy = new ServiceProxy(client, proxySettings, proxier);
        serviceProxy.start();
        Service web = client.services().inNamespace("prod").resource(new ServiceBuilder().withNewMetadata()
                .withName("web").endMetadata().withNewSpec().addToSelector("app", "server").addNewPort().withName("http")
                .withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec().build()).create();
        client.discovery().v1().endpointSlices().inNamespace("prod").resource(Objects.slice("prod", "web-lab", "web",
                List.of(Objects.ready(server.address(), NODE)), Objects.endpointPort("http", 8080, "TCP"))).create();
        String clusterIp = web.getSpec().getClusterIP();
        Await.until(GENEROUS, "other -> ClusterIP answering", () -> lab.get(other, clusterIp, 80).equals("server"));

        change("web open to clients", () -> create(policy("prod", "web-from-clients", labels("app", "server"))
                .editSpec().addNewIngress().addToFrom(podPeer(labels("app", "client"))).endIngress().endSpec().build()),
                ingressRules("server", 1));

        assertThat(lab.get(other, clusterIp, 80)).startsWith(TIMED_OUT);
        assertThat(lab.get(clientPod, clusterIp, 80)).isEqualTo("server");
        assertThat(lab.getFromNode(clusterIp, 80)).isEqualTo("server");
        deletePolicies("prod");
    }

    @Test
    @Order(8)
    void closeRemovesTheTable() throws Exception {
        assertThat(lab.inNode("nft", "list", "tables")).contains("inet " + TABLE);

        enforcer.close();
        enforcer = null;

        assertThat(lab.inNode("nft", "list", "tables")).doesNotContain("inet " + TABLE);
    }
}
