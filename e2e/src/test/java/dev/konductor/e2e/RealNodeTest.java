package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.server.control.LocalClients;
import dev.konductor.server.control.NodeRuntime;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Issue 4's acceptance on a real node: a {@code konductor server --runtime cri} in its own JVM
 * (its own containerd, bridge and pod CIDR), driven with the real kubectl. {@code kubectl top}
 * prints real figures for a pod burning CPU and an HPA scales it up. The server's containerd, hung
 * (SIGSTOP), makes the node NotReady and tainted, so a new pod waits until it answers again;
 * killed by its PID, it is started again by the server while the pods that ran keep running. Needs root,
 * containerd, runc, the CNI plugins and busybox-static; skipped otherwise. The server removes
 * every pod, container, mount and its bridge when stopped, also when a test fails.
 */
@ResourceLock(KonductorCluster.HOST_NETWORK_NODE)
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeTest {

    private static final Duration WAIT = Duration.ofSeconds(150);
    /** This test's own pod range, all of it the node's (no other test uses 10.244.205.0/24). */
    private static final String CLUSTER_CIDR = "10.244.205.0/24";
    private static final Pattern MILLICORES = Pattern.compile("\\s(\\d+)m\\s");

    private static KonductorCluster cluster;
    private static KubernetesClient client;
    private static String node;

    @BeforeAll
    static void start() throws Exception {
        NodeRuntime.Choice choice = NodeRuntime.AUTO.resolve();
        assumeTrue(choice.runtime() == NodeRuntime.CRI, "skipped: " + choice.reason());
        cluster = KonductorCluster.startIn(Path.of("/tmp"), "kn-e2e-node", "--runtime", "cri", "--cluster-cidr", CLUSTER_CIDR,
                "--kubelet-port", "0");
        client = LocalClients.fromKubeconfig(cluster.kubeconfig());
        KonductorCluster.Result nodes = cluster.eventually(WAIT, r -> r.out().contains(" Ready "),
                "get", "nodes", "--no-headers");
        node = nodes.out().split("\\s+")[0];
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void topPrintsRealUsageOfABusyPodAndAnHpaScalesItUp() throws Exception {
        KonductorCluster.Result applied = cluster.kubectlWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: burn}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: burn}}
                  template:
                    metadata: {labels: {app: burn}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: burn
                        image: busybox
                        command: ["sh", "-c", "while :; do :; done"]
                        resources: {requests: {cpu: 50m}}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: burn}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: burn}
                  minReplicas: 1
                  maxReplicas: 2
                  metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 20}}
                """, "apply", "-f", "-");
        assertThat(applied.exitCode()).as(applied.all()).isZero();

        // A busy loop on a shared machine gets some share of a core: anything well above idle is real.
        KonductorCluster.Result top = cluster.eventually(WAIT, r -> r.exitCode() == 0 && millicores(r.out()) >= 20,
                "top", "pods", "-l", "app=burn", "--no-headers");
        assertThat(top.out()).startsWith("burn-").contains("Mi");
        KonductorCluster.Result nodes = cluster.eventually(WAIT, r -> r.exitCode() == 0 && r.out().startsWith(node),
                "top", "nodes", "--no-headers");
        assertThat(nodes.out()).matches("(?s)" + Pattern.quote(node) + "\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%\\s*");

        cluster.eventually(WAIT, r -> r.out().trim().equals("2"), "get", "deploy", "burn",
                "-o", "jsonpath={.spec.replicas}");
        assertThat(cluster.kubectl("describe", "hpa", "burn").out()).contains("SuccessfulRescale", "New size: 2");

        // Leave the shared machine's cores alone for the rest.
        cluster.kubectl("delete", "hpa", "burn");
        cluster.kubectl("delete", "deploy", "burn");
    }

    @Test
    @Order(2)
    void aHungContainerdMakesTheNodeNotReadySoNewPodsWaitUntilItAnswersAgain() throws Exception {
        long pid = containerdPid();
        signal("STOP", pid);
        try {
            cluster.eventually(WAIT, r -> r.out().equals("False container runtime is down"), "get", "node", node,
                    "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status} "
                            + "{.status.conditions[?(@.type==\"Ready\")].message}");
            cluster.eventually(WAIT, r -> r.out().contains("node.kubernetes.io/not-ready"), "get", "node", node,
                    "-o", "jsonpath={.spec.taints[*].key}");
            KonductorCluster.Result created = cluster.kubectl("run", "latecomer", "--image=busybox", "--", "sleep", "3600");
            assertThat(created.exitCode()).as(created.all()).isZero();
            cluster.eventually(WAIT, r -> r.out().contains("FailedScheduling")
                    && r.out().contains("untolerated taint {node.kubernetes.io/not-ready: }"), "describe", "pod", "latecomer");
        } finally {
            signal("CONT", pid);
        }
        cluster.eventually(WAIT, r -> r.out().contains("Running"), "get", "pod", "latecomer", "--no-headers");
        assertThat(cluster.kubectl("get", "node", node, "--no-headers").out()).contains(" Ready ");
    }

    @Test
    @Order(3)
    void aKilledContainerdIsStartedAgainAndThePodsThatRanKeepRunning() throws Exception {
        KonductorCluster.Result created = cluster.kubectl("run", "steady", "--image=busybox", "--", "sleep", "3600");
        assertThat(created.exitCode()).as(created.all()).isZero();
        cluster.eventually(WAIT, r -> r.out().equals("true"), "get", "pod", "steady",
                "-o", "jsonpath={.status.containerStatuses[0].ready}");
        String containerId = cluster.kubectl("get", "pod", "steady",
                "-o", "jsonpath={.status.containerStatuses[0].containerID}").out();

        List<String> seen = new CopyOnWriteArrayList<>();
        long pid = containerdPid();
        try (Watch ignored = client.nodes().withName(node).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Node n) {
                n.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst()
                        .ifPresent(ready -> seen.add(ready.getStatus() + " " + ready.getReason() + " " + ready.getMessage()));
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            // the watch may be slow to deliver on a busy machine: wait for NotReady, then Ready after it
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline && !(seen.stream().anyMatch(s -> s.startsWith("False "))
                    && seen.getLast().startsWith("True "))) {
                Thread.sleep(200);
            }
        }
        assertThat(seen).contains("False KubeletNotReady container runtime is down");
        assertThat(seen.getLast()).isEqualTo("True KubeletReady kubelet is posting ready status");
        assertThat(containerdPid()).isNotEqualTo(pid);

        assertThat(cluster.kubectl("get", "pod", "steady", "-o", "jsonpath={.status.containerStatuses[0].containerID}"
                + " {.status.containerStatuses[0].restartCount}").out()).isEqualTo(containerId + " 0");
        cluster.eventually(WAIT, r -> r.out().equals("True"), "get", "pod", "steady",
                "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        // the kubelet writes its events asynchronously, as upstream's recorder does
        cluster.eventually(WAIT, r -> nodeEvents(r.out()).containsAll(List.of("Starting", "NodeHasSufficientMemory",
                "NodeHasNoDiskPressure", "NodeHasSufficientPID", "NodeNotReady", "NodeReady")), "get", "events", "-o",
                "custom-columns=KIND:.involvedObject.kind,REASON:.reason,FROM:.source.component", "--no-headers");
    }

    @Test
    @Order(4)
    void kubectlDebugRunsAnEphemeralContainerThatSeesItsTargetsProcesses() throws Exception {
        KonductorCluster.Result created = cluster.kubectl("run", "target", "--image=busybox", "--", "sleep", "3601");
        assertThat(created.exitCode()).as(created.all()).isZero();
        cluster.eventually(WAIT, r -> r.out().equals("true"), "get", "pod", "target",
                "-o", "jsonpath={.status.containerStatuses[0].ready}");

        KonductorCluster.Result debug = cluster.kubectl("debug", "target", "-c", "debugger", "--image=busybox",
                "--target=target", "--", "ps");
        assertThat(debug.exitCode()).as(debug.all()).isZero();
        cluster.eventually(WAIT, r -> r.out().equals("0"), "get", "pod", "target",
                "-o", "jsonpath={.status.ephemeralContainerStatuses[0].state.terminated.exitCode}");
        assertThat(cluster.kubectl("logs", "target", "-c", "debugger").out()).contains("sleep 3601");
        // the pod itself goes on as it was
        assertThat(cluster.kubectl("get", "pod", "target", "-o", "jsonpath={.status.phase} "
                + "{.status.containerStatuses[0].restartCount} {.status.ephemeralContainerStatuses[0].ready}").out())
                .isEqualTo("Running 0 false");
        assertThat(cluster.kubectl("describe", "pod", "target").out()).contains("Ephemeral Containers:", "debugger:");
        cluster.kubectl("delete", "pod", "target", "--grace-period=1");
    }

    @Test
    @Order(5)
    void aPodOnTheNodesNetworkAnswersOnTheNodesAddress() throws Exception {
        String manifest = """
                apiVersion: v1
                kind: Pod
                metadata: {name: on-host}
                spec:
                  hostNetwork: true
                  containers:
                  - name: web
                    image: busybox
                    command: [httpd, -f, -p, "127.0.0.1:38291", -h, /etc]
                    readinessProbe: {tcpSocket: {port: 38291, host: 127.0.0.1}, periodSeconds: 1}
                """;
        applyAndAwaitReady(manifest, "on-host");
        String hostIp = cluster.kubectl("get", "pod", "on-host", "-o", "jsonpath={.status.hostIP}").out();
        assertThat(cluster.kubectl("get", "pod", "on-host", "-o", "jsonpath={.status.podIP}").out()).isEqualTo(hostIp);
        // the container listens in the host's own network namespace, on its loopback
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:38291/hostname")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        cluster.kubectl("delete", "pod", "on-host", "--grace-period=1");
    }

    @Test
    @Order(6)
    void theSecurityContextTutorialRunsAsItsUserWithItsFsGroup() throws Exception {
        // upstream's "Configure a Security Context for a Pod or Container", its manifest as published
        String manifest = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: security-context-demo
                spec:
                  securityContext:
                    runAsUser: 1000
                    runAsGroup: 3000
                    fsGroup: 2000
                  volumes:
                  - name: sec-ctx-vol
                    emptyDir: {}
                  containers:
                  - name: sec-ctx-demo
                    image: busybox:1.28
                    command: [ "sh", "-c", "sleep 1h" ]
                    volumeMounts:
                    - name: sec-ctx-vol
                      mountPath: /data/demo
                    securityContext:
                      allowPrivilegeEscalation: false
                """;
        applyAndAwaitReady(manifest, "security-context-demo");
        KonductorCluster.Result inside = cluster.kubectl("exec", "security-context-demo", "--", "sh", "-c",
                "id; cd /data/demo && echo hello > testfile && ls -ln testfile; grep NoNewPrivs /proc/self/status");
        assertThat(inside.out()).as(inside.all()).contains("uid=1000 gid=3000 groups=2000,3000")
                .containsPattern("-rw-r--r-- +1 1000 +2000 .* testfile").containsPattern("NoNewPrivs:\\s+1");
        cluster.kubectl("delete", "pod", "security-context-demo", "--grace-period=1");
    }

    @Test
    @Order(7)
    void safeSysctlsAreSetAndAnUnsafeOneGetsThePodRejected() throws Exception {
        String manifest = """
                apiVersion: v1
                kind: Pod
                metadata: {name: sysctl-example}
                spec:
                  securityContext:
                    sysctls:
                    - {name: kernel.shm_rmid_forced, value: "1"}
                    - {name: net.ipv4.ip_local_port_range, value: "32770 60666"}
                  containers:
                  - {name: c, image: busybox, command: [sleep, "3600"]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: sysctl-unsafe}
                spec:
                  securityContext:
                    sysctls:
                    - {name: net.core.somaxconn, value: "1024"}
                  containers:
                  - {name: c, image: busybox, command: [sleep, "3600"]}
                """;
        applyAndAwaitReady(manifest, "sysctl-example");
        assertThat(cluster.kubectl("exec", "sysctl-example", "--", "cat", "/proc/sys/net/ipv4/ip_local_port_range",
                "/proc/sys/kernel/shm_rmid_forced").out().strip()).isEqualTo("32770\t60666\n1");
        cluster.eventually(WAIT, r -> r.out().contains(" SysctlForbidden "), "get", "pod", "sysctl-unsafe", "--no-headers");
        assertThat(cluster.kubectl("get", "pod", "sysctl-unsafe", "-o", "jsonpath={.status.phase} {.status.message}").out())
                .isEqualTo("Failed Pod was rejected: forbidden sysctl: \"net.core.somaxconn\" not allowlisted");
        cluster.kubectl("delete", "pod", "sysctl-example", "sysctl-unsafe", "--grace-period=1");
    }

    @Test
    @Order(8)
    void aHostPortForwardsTheNodesPortToThePod() throws Exception {
        String manifest = """
                apiVersion: v1
                kind: Pod
                metadata: {name: hostport}
                spec:
                  containers:
                  - name: web
                    image: busybox
                    command: [httpd, -f, -p, "8080", -h, /etc]
                    ports:
                    - {containerPort: 8080, hostPort: 38293}
                """;
        applyAndAwaitReady(manifest, "hostport");
        String hostIp = cluster.kubectl("get", "pod", "hostport", "-o", "jsonpath={.status.hostIP}").out();
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + hostIp + ":38293/hostname"))
                        .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body().strip()).isEqualTo("hostport");
        cluster.kubectl("delete", "pod", "hostport", "--grace-period=1");
    }

    /** Applies {@code manifest} and waits until the first container of its pod {@code name} is ready. */
    private static void applyAndAwaitReady(String manifest, String name) throws Exception {
        KonductorCluster.Result created = cluster.kubectlWithInput(manifest, "apply", "-f", "-");
        assertThat(created.exitCode()).as(created.all()).isZero();
        cluster.eventually(WAIT, r -> r.out().equals("true"), "get", "pod", name,
                "-o", "jsonpath={.status.containerStatuses[0].ready}");
    }

    /** The reasons of the kubelet's events about nodes, from kubectl's custom columns KIND, REASON, FROM. */
    private static List<String> nodeEvents(String table) {
        return table.lines().filter(l -> l.startsWith("Node ") && l.endsWith(" kubelet"))
                .map(l -> l.split("\\s+")[1]).toList();
    }

    private static long containerdPid() throws Exception {
        return Long.parseLong(Files.readString(cluster.dir.resolve("data/containerd/containerd.pid")).strip());
    }

    /** Sends {@code signal} to the process {@code pid} (this test's own containerd). */
    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal + " " + pid).isZero();
    }

    /** The largest millicore figure in {@code kubectl top} output. */
    private static long millicores(String top) {
        Matcher m = MILLICORES.matcher(" " + top + " ");
        long max = -1;
        while (m.find()) {
            max = Math.max(max, Long.parseLong(m.group(1)));
        }
        return max;
    }
}
