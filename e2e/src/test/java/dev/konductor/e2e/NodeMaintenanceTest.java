package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 3's acceptance for nodes: cordon, drain through the eviction API, and a node that dies. */
// a hang guard above a server start (KonductorCluster.STARTUP) and the bounded waits of one test
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class NodeMaintenanceTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static KonductorCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = KonductorCluster.start("--runtime", "none");
        cluster.sim("worker", 3);
        cluster.eventually(WAIT, r -> r.out().lines().filter(l -> l.contains(" Ready")).count() == 3,
                "get", "nodes", "--no-headers");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void cordonUncordonAndDrainRespectingADisruptionBudget() throws Exception {
        ok("cordon", "worker-0");
        cluster.eventually(WAIT, r -> r.out().contains("Ready,SchedulingDisabled"), "get", "node", "worker-0");
        cluster.eventually(WAIT, r -> r.out().contains("node.kubernetes.io/unschedulable"),
                "get", "node", "worker-0", "-o", "jsonpath={.spec.taints[*].key}");
        ok("uncordon", "worker-0");
        cluster.eventually(WAIT, r -> !r.out().contains("SchedulingDisabled"), "get", "node", "worker-0");

        ok("create", "ns", "drain");
        ok("-n", "drain", "create", "deploy", "web", "--image=busybox", "--replicas=3");
        ok("-n", "drain", "create", "pdb", "web", "--selector=app=web", "--min-available=2");
        KonductorCluster.Result ds = cluster.kubectlWithInput("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent, namespace: drain}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec: {containers: [{name: c, image: busybox}]}
                """, "apply", "-f", "-");
        assertThat(ds.exitCode()).as(ds.all()).isZero();
        cluster.eventually(WAIT, r -> r.out().lines().filter(l -> l.contains("Running")).count() == 6,
                "-n", "drain", "get", "pods", "--no-headers");
        cluster.eventually(WAIT, r -> r.out().contains("1"), "-n", "drain", "get", "pdb", "web",
                "-o", "jsonpath={.status.disruptionsAllowed}");

        String node = ok("-n", "drain", "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].spec.nodeName}");
        KonductorCluster.Result drained = cluster.kubectl("drain", node, "--ignore-daemonsets", "--timeout=120s");
        assertThat(drained.exitCode()).as(drained.all()).isZero();
        assertThat(drained.all()).contains("evicting pod drain/web-", "drained");
        assertThat(ok("-n", "drain", "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.nodeName}"))
                .doesNotContain(node);
        cluster.eventually(WAIT, r -> r.out().lines().filter(l -> l.contains("Running")).count() == 3,
                "-n", "drain", "get", "pods", "-l", "app=web", "--no-headers");
        ok("uncordon", node);
    }

    @Test
    void podsLeaveANodeWhoseHeartbeatsStop() throws Exception {
        Process doomed = cluster.sim("doomed", 1); // a single sim node is named after its prefix
        cluster.eventually(WAIT, r -> r.out().contains(" Ready"), "get", "node", "doomed", "--no-headers");
        ok("create", "ns", "failover");
        // Only the doomed node takes pods while the deployment starts.
        ok("cordon", "worker-0", "worker-1", "worker-2");
        KonductorCluster.Result created = cluster.kubectlWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: fragile, namespace: failover}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: fragile}}
                  template:
                    metadata: {labels: {app: fragile}}
                    spec:
                      tolerations:
                      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
                      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
                      containers: [{name: c, image: busybox}]
                """, "apply", "-f", "-");
        assertThat(created.exitCode()).as(created.all()).isZero();
        cluster.eventually(WAIT, r -> r.out().lines().filter(l -> l.contains("Running") && l.contains("doomed"))
                .count() == 2, "-n", "failover", "get", "pods", "-o", "wide", "--no-headers");
        ok("uncordon", "worker-0", "worker-1", "worker-2");

        cluster.stopSim(doomed);
        // the 40 s grace runs on the controller's clock from the last heartbeat it saw; how soon after
        // that a loaded machine gets round to marking the node is not for a test to promise
        // (NodeHealthTest pins the grace itself with a fake clock), but that it was the silence is
        cluster.eventually(Duration.ofSeconds(180), r -> r.out().contains("NotReady"), "get", "node", "doomed",
                "--no-headers");
        assertThat(ok("get", "node", "doomed", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status} {.status.conditions[?(@.type==\"Ready\")].reason}"))
                .isEqualTo("Unknown NodeStatusUnknown");
        cluster.eventually(WAIT, r -> r.out().contains("node.kubernetes.io/unreachable"),
                "get", "node", "doomed", "-o", "jsonpath={.spec.taints[*].key}");
        cluster.eventually(WAIT, r -> r.out().lines().filter(l -> l.contains("Running") && !l.contains("doomed"))
                .count() == 2, "-n", "failover", "get", "pods", "-o", "wide", "--no-headers");
    }

    private static String ok(String... args) throws Exception {
        KonductorCluster.Result result = cluster.kubectl(args);
        assertThat(result.exitCode()).as("kubectl %s: %s", String.join(" ", args), result.all()).isZero();
        return result.out();
    }
}
