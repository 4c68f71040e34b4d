package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.server.control.LocalClients;
import dev.konductor.server.control.NodeRuntime;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 4's acceptance on a real node: a {@code konductor server --runtime cri} in its own JVM
 * (its own containerd, bridge and pod CIDR), driven with the real kubectl. {@code kubectl top}
 * prints real figures for a pod burning CPU and an HPA scales it up; then the server's containerd
 * is killed by its PID, the node goes NotReady (and is tainted, so a new pod waits) until the
 * server has started containerd again, and the pod that ran before still runs. Needs root,
 * containerd, runc, the CNI plugins and busybox-static; skipped otherwise. The server removes
 * every pod, container, mount and its bridge when stopped, also when a test fails.
 */
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeTest {

    private static final Duration WAIT = Duration.ofSeconds(150);
    /** This test's own pod range (no other test uses 10.244.205.0/24). */
    private static final String POD_CIDR = "10.244.205.0/24";
    private static final Pattern MILLICORES = Pattern.compile("\\s(\\d+)m\\s");

    private static KonductorCluster cluster;
    private static KubernetesClient client;
    private static String node;

    @BeforeAll
    static void start() throws Exception {
        NodeRuntime.Choice choice = NodeRuntime.AUTO.resolve();
        assumeTrue(choice.runtime() == NodeRuntime.CRI, "skipped: " + choice.reason());
        cluster = KonductorCluster.startIn(Path.of("/tmp"), "kn-e2e-node", "--runtime", "cri", "--pod-cidr", POD_CIDR,
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
    void aKilledContainerdMakesTheNodeNotReadyUntilItIsStartedAgainAndPodsKeepRunning() throws Exception {
        KonductorCluster.Result created = cluster.kubectl("run", "steady", "--image=busybox", "--", "sleep", "3600");
        assertThat(created.exitCode()).as(created.all()).isZero();
        cluster.eventually(WAIT, r -> r.out().equals("true"), "get", "pod", "steady",
                "-o", "jsonpath={.status.containerStatuses[0].ready}");
        String containerId = cluster.kubectl("get", "pod", "steady",
                "-o", "jsonpath={.status.containerStatuses[0].containerID}").out();

        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean latecomerCreated = new AtomicBoolean();
        try (Watch ignored = client.nodes().withName(node).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Node n) {
                NodeCondition ready = n.getStatus().getConditions().stream()
                        .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
                boolean tainted = n.getSpec().getTaints() != null && n.getSpec().getTaints().stream()
                        .anyMatch(t -> t.getKey().equals("node.kubernetes.io/not-ready") && t.getEffect().equals("NoSchedule"));
                seen.add(ready.getStatus() + " " + ready.getReason() + " " + ready.getMessage() + (tainted ? " tainted" : ""));
                if (tainted && latecomerCreated.compareAndSet(false, true)) {
                    client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("latecomer")
                            .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox")
                            .withCommand("sleep", "3600").endContainer().endSpec().build()).create();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            long pid = Long.parseLong(Files.readString(cluster.dir.resolve("data/containerd/containerd.pid")).strip());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            cluster.eventually(WAIT, r -> r.out().contains("Running"), "get", "pod", "latecomer", "--no-headers");
        }
        assertThat(seen).anyMatch(s -> s.startsWith("False KubeletNotReady container runtime is down"));
        assertThat(seen).anyMatch(s -> s.endsWith(" tainted"));
        assertThat(seen.getLast()).isEqualTo("True KubeletReady kubelet is posting ready status");

        assertThat(cluster.kubectl("describe", "pod", "latecomer").out()).contains("FailedScheduling",
                "untolerated taint {node.kubernetes.io/not-ready: }");
        assertThat(cluster.kubectl("get", "pod", "steady", "-o", "jsonpath={.status.containerStatuses[0].containerID}"
                + " {.status.containerStatuses[0].restartCount}").out()).isEqualTo(containerId + " 0");
        cluster.eventually(WAIT, r -> r.out().equals("True"), "get", "pod", "steady",
                "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
        List<String> nodeEvents = cluster.kubectl("get", "events", "-o",
                "custom-columns=KIND:.involvedObject.kind,REASON:.reason,FROM:.source.component", "--no-headers")
                .out().lines().filter(l -> l.startsWith("Node ") && l.endsWith(" kubelet"))
                .map(l -> l.split("\\s+")[1]).toList();
        assertThat(nodeEvents).contains("Starting", "NodeHasSufficientMemory", "NodeHasNoDiskPressure",
                "NodeHasSufficientPID", "NodeNotReady", "NodeReady");
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
