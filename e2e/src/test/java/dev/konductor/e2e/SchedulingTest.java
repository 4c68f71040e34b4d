package dev.konductor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 3's acceptance for scheduling: bin packing against spreading, and why a pod stays Pending. */
// a hang guard above a server start (KonductorCluster.STARTUP) and the bounded waits of one test
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class SchedulingTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void mostAllocatedPacksNodesOneAfterAnother() throws Exception {
        Path config = Files.createTempFile("scheduler", ".yaml");
        Files.writeString(config, """
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                profiles:
                - schedulerName: default-scheduler
                  plugins:
                    score:
                      # Left on, these two cancel MostAllocated out (upstream's scores add up to
                      # the same for every node) and spread the pods: a bin-packing profile drops them.
                      disabled: [{name: NodeResourcesBalancedAllocation}, {name: PodTopologySpread}]
                  pluginConfig:
                  - name: NodeResourcesFit
                    args:
                      scoringStrategy:
                        type: MostAllocated
                        resources: [{name: cpu, weight: 1}, {name: memory, weight: 1}]
                """);
        try (KonductorCluster cluster = KonductorCluster.start("--runtime", "none", "--scheduler-config",
                config.toString())) {
            assertThat(placement(cluster)).containsExactly(4L, 4L, 2L);
        }
    }

    @Test
    void theDefaultSpreadsAndAPodTooBigForEveryNodeSaysWhy() throws Exception {
        try (KonductorCluster cluster = KonductorCluster.start("--runtime", "none")) {
            assertThat(placement(cluster)).containsExactly(3L, 3L, 2L, 2L);

            ok(cluster, "run", "huge", "--image=busybox", "--overrides",
                    "{\"spec\":{\"containers\":[{\"name\":\"huge\",\"image\":\"busybox\",\"resources\":{\"requests\":{\"cpu\":\"64\"}}}]}}");
            cluster.eventually(WAIT, r -> r.out().contains("FailedScheduling"),
                    "get", "events", "--field-selector", "involvedObject.name=huge");
            String events = ok(cluster, "get", "events", "--field-selector", "involvedObject.name=huge");
            assertThat(events).contains("0/4 nodes are available: 4 Insufficient cpu.");
            assertThat(ok(cluster, "get", "pod", "huge", "--no-headers")).contains("Pending");
        }
    }

    /** Ten 1-CPU pods on four 4-CPU nodes; returns how many landed per node, largest first. */
    private static java.util.List<Long> placement(KonductorCluster cluster) throws Exception {
        cluster.sim("pack", 4, "--cpu", "4", "--memory", "16Gi");
        cluster.eventually(WAIT, r -> r.out().lines().filter(l -> l.contains(" Ready")).count() == 4,
                "get", "nodes", "--no-headers");
        KonductorCluster.Result created = cluster.kubectlWithInput("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: pack}
                spec:
                  replicas: 10
                  selector: {matchLabels: {app: pack}}
                  template:
                    metadata: {labels: {app: pack}}
                    spec:
                      containers:
                      - {name: c, image: busybox, resources: {requests: {cpu: "1", memory: 64Mi}}}
                """, "apply", "-f", "-");
        assertThat(created.exitCode()).as(created.all()).isZero();
        KonductorCluster.Result bound = cluster.eventually(WAIT,
                r -> Arrays.stream(r.out().trim().split("\\s+")).filter(s -> !s.isBlank()).count() == 10,
                "get", "pods", "-l", "app=pack", "-o", "jsonpath={.items[*].spec.nodeName}");
        Map<String, Long> perNode = Arrays.stream(bound.out().trim().split("\\s+"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        return perNode.values().stream().sorted(java.util.Comparator.reverseOrder()).toList();
    }

    private static String ok(KonductorCluster cluster, String... args) throws Exception {
        KonductorCluster.Result result = cluster.kubectl(args);
        assertThat(result.exitCode()).as("kubectl %s: %s", String.join(" ", args), result.all()).isZero();
        return result.out();
    }
}
