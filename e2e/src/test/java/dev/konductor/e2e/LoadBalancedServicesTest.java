package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.kubelet.containerd.ContainerdProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5's acceptance on one real node: {@code konductor server --runtime cri} in its own JVM,
 * driven with the real kubectl, running busybox pods that serve their own host name over HTTP.
 * A ClusterIP spreads 300 requests from the host and 300 from a pod over all three replicas;
 * scaled to five, the new pods answer as soon as they are Ready; a pod failing its readiness
 * probe gets no more traffic; the NodePort answers on the node's InternalIP; pods resolve
 * Services through the cluster DNS; a default-deny ingress NetworkPolicy blocks a pod's requests
 * until it is deleted; an Ingress routes two host names to two Services. (Pods and Services
 * across two nodes are {@link MultiNodeTest}'s.)
 *
 * <p>The node has an address of its own ({@link NodeAddressLink}) and its NodePort and Ingress
 * ports from 31480 up, so nodes of other tests on this machine are not in its way. Needs root,
 * containerd, runc, the CNI plugins and busybox-static; skipped otherwise. Stopping the server
 * removes its pods, bridge and nftables tables, also when a test fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LoadBalancedServicesTest {

    private static final String NODE_ADDRESS = "10.248.255.1";
    private static final int NODE_PORT = 31480;
    private static final int INGRESS_HTTP_PORT = 31481;
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int REQUESTS = 300;

    private NodeAddressLink nodeAddress;
    private KonductorCluster cluster;
    private Set<String> nodeTables = Set.of();
    private String clusterIp;

    @BeforeAll
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void startTheNodeAndTheWorkloads() throws Exception {
        assumeTrue(ContainerdProcess.runningAsRoot(), "skipped: the cri runtime needs root");
        assumeTrue(ContainerdProcess.findBinary().isPresent() && ContainerdProcess.findRunc().isPresent()
                && Files.isExecutable(Path.of("/usr/lib/cni/bridge")) && Files.isExecutable(Path.of("/bin/busybox")),
                "skipped: needs containerd, runc, containernetworking-plugins and busybox-static");
        nodeAddress = new NodeAddressLink("kse-node", NODE_ADDRESS);
        cluster = KonductorCluster.startIn(Path.of("/tmp"), "kse-e2e-services", "--runtime", "cri",
                "--kubelet-port", "0", "--advertise-address", NODE_ADDRESS, "--cluster-cidr", "10.248.0.0/18",
                "--service-cidr", "10.98.0.0/16", "--ingress-http-port", Integer.toString(INGRESS_HTTP_PORT),
                "--ingress-https-port", Integer.toString(INGRESS_HTTP_PORT + 1));
        cluster.eventually(WAIT, r -> r.out().equals("True"),
                "get", "nodes", "-o", "jsonpath={.items[0].status.conditions[?(@.type==\"Ready\")].status}");
        nodeTables = tablesOf(cluster.dir.resolve("data"));
        awaitTrue(Duration.ofSeconds(30), () -> nftTables().containsAll(nodeTables));
        assertThat(cluster.kubectlWithInput(Manifests.WEB + Manifests.CLIENT + Manifests.TWO_HOSTS,
                "apply", "-f", "-").exitCode()).isZero();
        cluster.eventually(WAIT, r -> r.out().equals("3"), "get", "deploy", "web", "-o", "jsonpath={.status.readyReplicas}");
        cluster.eventually(WAIT, r -> r.out().equals("True"),
                "get", "pod", "client", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        clusterIp = cluster.kubectl("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").out();
        assertThat(clusterIp).startsWith("10.98.");
    }

    @AfterAll
    void stopTheNode() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
                assertThat(nftTables()).as("nftables tables of the stopped node (proxy, network policy)")
                        .doesNotContainAnyElementsOf(nodeTables);
            }
        } finally {
            if (nodeAddress != null) {
                nodeAddress.close();
            }
        }
    }

    @Test
    @Order(1)
    void theClusterIpSpreadsRequestsOverAllThreeReplicasFromTheHostAndFromAPod() throws Exception {
        Set<String> replicas = readyWebPods();
        assertThat(replicas).hasSize(3);

        assertSpread(fromHost("http://" + clusterIp + "/", REQUESTS), replicas);
        assertSpread(fromClientPod("http://" + clusterIp + "/", REQUESTS), replicas);
    }

    @Test
    @Order(2)
    void scaledToFiveTheNewReplicasAnswerAsSoonAsTheyAreReady() throws Exception {
        Set<String> before = readyWebPods();
        try (PodReadyWatch watch = PodReadyWatch.start(cluster, "app=web");
             ServiceAnswers answers = ServiceAnswers.start(clusterIp, 80)) {
            assertThat(cluster.kubectl("scale", "deploy", "web", "--replicas=5").exitCode()).isZero();
            awaitTrue(WAIT, () -> watch.readySince().size() == 5
                    && answers.firstAnswers().keySet().containsAll(watch.readySince().keySet()));

            Map<String, Duration> lags = new TreeMap<>();
            watch.readySince().forEach((pod, ready) -> {
                if (!before.contains(pod)) {
                    Duration lag = Duration.between(ready, answers.firstAnswers().get(pod));
                    lags.put(pod, lag.isNegative() ? Duration.ZERO : lag);
                }
            });
            System.out.println("LoadBalancedServicesTest: new replicas answered this long after kubectl saw them Ready: " + lags);
            assertThat(lags).hasSize(2);
            // upstream promises about a second (the proxy's sync); allow for a loaded machine
            assertThat(lags.values()).allMatch(lag -> lag.compareTo(Duration.ofSeconds(5)) < 0, "under 5 s");
        }
    }

    @Test
    @Order(3)
    void aReplicaFailingItsReadinessProbeGetsNoMoreTraffic() throws Exception {
        Set<String> replicas = readyWebPods();
        String failing = replicas.iterator().next();
        assertThat(cluster.kubectl("exec", failing, "--", "rm", "/tmp/ready").exitCode()).isZero();
        cluster.eventually(WAIT, r -> r.out().equals("False"),
                "get", "pod", failing, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        // the EndpointSlice and then the proxy follow the pod's status
        awaitTrue(Duration.ofSeconds(30), () -> !fromHost("http://" + clusterIp + "/", 30).contains(failing));

        List<String> answers = fromHost("http://" + clusterIp + "/", REQUESTS);
        assertThat(answers).hasSize(REQUESTS).doesNotContain(failing);
        assertThat(new TreeSet<>(answers)).isEqualTo(difference(replicas, Set.of(failing)));
        assertThat(fromClientPod("http://" + clusterIp + "/", 100)).hasSize(100).doesNotContain(failing);
    }

    @Test
    @Order(4)
    void theNodePortAnswersOnTheNodesInternalIp() throws Exception {
        String internalIp = cluster.kubectl("get", "nodes", "-o",
                "jsonpath={.items[0].status.addresses[?(@.type==\"InternalIP\")].address}").out();
        assertThat(internalIp).isEqualTo(NODE_ADDRESS);

        List<String> answers = fromHost("http://" + internalIp + ":" + NODE_PORT + "/", 30);
        assertThat(answers).hasSize(30);
        assertThat(readyWebPods()).containsAll(answers);
    }

    @Test
    @Order(5)
    void podsResolveServicesThroughTheClusterDns() throws Exception {
        KonductorCluster.Result shortName = cluster.kubectl("exec", "client", "--", "nslookup", "web");
        // busybox's nslookup asks under every search domain at once and exits 1 for the NXDOMAIN
        // of the others (against CoreDNS too): what it found is the answer, not its exit code
        assertThat(shortName.out()).contains("Server:\t\t10.98.0.10", "Name:\tweb.default.svc.cluster.local",
                "Address: " + clusterIp);

        KonductorCluster.Result fullName = cluster.kubectl("exec", "client", "--", "nslookup",
                "web.default.svc.cluster.local");
        assertThat(fullName.exitCode()).as(fullName.all()).isZero();
        assertThat(fullName.out()).contains("Address: " + clusterIp);

        KonductorCluster.Result byName = cluster.kubectl("exec", "client", "--", "wget", "-qO-", "http://web");
        assertThat(byName.exitCode()).as(byName.all()).isZero();
        assertThat(readyWebPods()).contains(byName.out().strip());
    }

    @Test
    @Order(6)
    void aDefaultDenyIngressPolicyBlocksTheClientUntilItIsDeleted() throws Exception {
        assertThat(clientAsksWeb().exitCode()).isZero();

        assertThat(cluster.kubectlWithInput(Manifests.DENY_INGRESS, "apply", "-f", "-").exitCode()).isZero();
        awaitTrue(Duration.ofSeconds(60), () -> clientAsksWeb().exitCode() != 0);
        String podIp = cluster.kubectl("get", "pod", readyWebPods().iterator().next(), "-o",
                "jsonpath={.status.podIP}").out();
        assertThat(cluster.kubectl("exec", "client", "--", "timeout", "3", "wget", "-qO-",
                "http://" + podIp + ":8080/").exitCode()).as("the pod IP, not only the Service, is blocked").isNotZero();
        // as upstream: traffic from the pods' own node is always allowed
        assertThat(fromHost("http://" + clusterIp + "/", 10)).hasSize(10);

        assertThat(cluster.kubectl("delete", "networkpolicy", "deny-ingress").exitCode()).isZero();
        awaitTrue(Duration.ofSeconds(60), () -> clientAsksWeb().exitCode() == 0);
        assertThat(fromClientPod("http://web/", 20)).hasSize(20);
    }

    @Test
    @Order(7)
    void anIngressRoutesTwoHostNamesToTwoServices() throws Exception {
        for (String app : List.of("alpha", "beta")) {
            cluster.eventually(WAIT, r -> r.out().equals("1"), "get", "deploy", app, "-o", "jsonpath={.status.readyReplicas}");
        }
        String ingress = "http://" + NODE_ADDRESS + ":" + INGRESS_HTTP_PORT + "/";
        awaitTrue(Duration.ofSeconds(60), () -> curl("-H", "Host: a.example", ingress).out().equals("alpha\n"));

        assertThat(curl("-H", "Host: b.example", ingress).out()).isEqualTo("beta\n");
        assertThat(curl("-H", "Host: a.example", ingress).out()).isEqualTo("alpha\n");
        assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: c.example", ingress).out()).isEqualTo("404");
        cluster.eventually(Duration.ofSeconds(60), r -> r.out().equals(NODE_ADDRESS),
                "get", "ingress", "two-hosts", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}");
        assertThat(cluster.kubectl("get", "ingress", "two-hosts", "-o", "jsonpath={.spec.ingressClassName}").out())
                .as("the default IngressClass, given at creation").isEqualTo("konductor");
    }

    /** The web pods that are Ready now, by name. */
    private Set<String> readyWebPods() throws Exception {
        String out = cluster.kubectl("get", "pods", "-l", "app=web", "-o",
                "jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}").out();
        return out.lines().map(line -> line.split(" ")).filter(fields -> fields.length == 2 && fields[1].equals("True"))
                .map(fields -> fields[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The bodies of {@code count} GETs of {@code url} by curl on the host, one connection each. */
    private List<String> fromHost(String url, int count) throws Exception {
        return curl(url + "?[1-" + count + "]").out().lines().toList();
    }

    /** The bodies of {@code count} GETs of {@code url} by busybox wget in the client pod. */
    private List<String> fromClientPod(String url, int count) throws Exception {
        KonductorCluster.Result result = cluster.kubectl("exec", "client", "--", "sh", "-c",
                "for i in $(seq " + count + "); do wget -qO- " + url + "; done");
        return result.out().lines().toList();
    }

    /** One GET of the web Service by name from the client pod, given up after 3 s. */
    private KonductorCluster.Result clientAsksWeb() throws Exception {
        return cluster.kubectl("exec", "client", "--", "timeout", "3", "wget", "-qO-", "http://web/");
    }

    private KonductorCluster.Result curl(String... args) throws Exception {
        String[] all = new String[args.length + 3];
        all[0] = "-s";
        all[1] = "--max-time";
        all[2] = "5";
        System.arraycopy(args, 0, all, 3, args.length);
        return cluster.run("/usr/bin/curl", null, all);
    }

    /** Every request answered, by every replica, each with at least a fifth of them. */
    private static void assertSpread(List<String> answers, Set<String> replicas) {
        Map<String, Long> counts = answers.stream()
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        assertThat(answers).as("answers %s", counts).hasSize(REQUESTS);
        assertThat(counts.keySet()).as("replicas answering").isEqualTo(replicas);
        assertThat(counts.values()).as("requests per replica %s", counts).allMatch(n -> n >= REQUESTS / 5, "at least 20%");
    }

    /** The service proxy's and the NetworkPolicy enforcer's tables, named after the node's data directory. */
    private static Set<String> tablesOf(Path dataDir) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(dataDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
        String suffix = HexFormat.of().formatHex(digest).substring(0, 8);
        return Set.of("table ip konductor-" + suffix, "table inet konductor-netpol-" + suffix);
    }

    /** The host's nftables tables, as {@code nft list tables} prints them ("table inet NAME"). */
    private static Set<String> nftTables() throws Exception {
        Process nft = new ProcessBuilder("nft", "list", "tables").redirectErrorStream(true).start();
        String out = new String(nft.getInputStream().readAllBytes());
        assertThat(nft.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> difference(Set<String> all, Set<String> removed) {
        Set<String> rest = new TreeSet<>(all);
        rest.removeAll(removed);
        return rest;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Duration timeout, Check check) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!check.holds()) {
            assertThat(Instant.now()).as("waited %s", timeout).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    /** The workloads, as a user would write them. */
    private static final class Manifests {

        /** Three replicas serving their host name on 8080, Ready while /tmp/ready exists; a NodePort Service. */
        static final String WEB = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 3
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: web
                        image: busybox
                        command: [sh, -c, 'mkdir /www && hostname > /www/index.html && touch /tmp/ready && exec httpd -f -p 8080 -h /www']
                        readinessProbe:
                          exec:
                            command: [test, -f, /tmp/ready]
                          periodSeconds: 1
                          failureThreshold: 1
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports:
                  - {port: 80, targetPort: 8080, nodePort: %d}
                ---
                """.formatted(NODE_PORT);

        static final String CLIENT = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: client
                spec:
                  terminationGracePeriodSeconds: 0
                  containers:
                  - name: client
                    image: busybox
                    command: [sleep, "3600"]
                ---
                """;

        /** Services alpha and beta, each one pod answering its name, behind one Ingress by host name. */
        static final String TWO_HOSTS = backend("alpha") + backend("beta") + """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: two-hosts
                spec:
                  rules:
                  - host: a.example
                    http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}
                  - host: b.example
                    http:
                      paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: beta, port: {number: 80}}}}
                """;

        static final String DENY_INGRESS = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: deny-ingress
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                """;

        private static String backend(String name) {
            return """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: NAME
                    spec:
                      replicas: 1
                      selector:
                        matchLabels: {app: NAME}
                      template:
                        metadata:
                          labels: {app: NAME}
                        spec:
                          terminationGracePeriodSeconds: 1
                          containers:
                          - name: web
                            image: busybox
                            command: [sh, -c, 'mkdir /www && echo NAME > /www/index.html && exec httpd -f -p 8080 -h /www']
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata:
                      name: NAME
                    spec:
                      selector: {app: NAME}
                      ports:
                      - {port: 80, targetPort: 8080}
                    ---
                    """.replace("NAME", name);
        }
    }
}
