package dev.konductor.kubelet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.metrics.MetricsPublisher;
import dev.konductor.testing.Await;
import dev.konductor.testing.LocalApiServer;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three simulated nodes against a real API server, seen through a plain client. */
@Timeout(120)
class SimNodesTest {

    private static LocalApiServer api;
    private static KubernetesClient client;
    private static SimNodes sim;

    @BeforeAll
    static void start() {
        api = LocalApiServer.start();
        client = api.client();
        SimSettings settings = new SimSettings("simtest", 3, "8", "32Gi", 110)
                .withPodTimings(Duration.ofMillis(200), Duration.ofMillis(1500), Duration.ofMillis(500))
                .withNodeTimings(Duration.ofMillis(300), Duration.ofSeconds(2))
                .withMetricsInterval(Duration.ofMillis(500));
        sim = new SimNodes(api.client(), settings);
        sim.start();
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void registersNodesAsAKubeletWould() {
        List<Node> nodes = client.nodes().list().getItems();
        assertThat(nodes).extracting(n -> n.getMetadata().getName()).filteredOn(n -> n.startsWith("simtest"))
                .containsExactlyInAnyOrder("simtest-0", "simtest-1", "simtest-2");
        Node node = client.nodes().withName("simtest-1").get();
        assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "simtest-1")
                .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/arch", "amd64")
                .containsEntry("node.kubernetes.io/instance-type", "sim");
        assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods", "ephemeral-storage");
        assertThat(node.getStatus().getAllocatable().get("cpu").toString()).isEqualTo("8");
        assertThat(node.getStatus().getAllocatable().get("pods").toString()).isEqualTo("110");
        assertThat(node.getStatus().getConditions()).extracting(NodeCondition::getType, NodeCondition::getStatus,
                NodeCondition::getReason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("MemoryPressure", "False", "KubeletHasSufficientMemory"),
                org.assertj.core.groups.Tuple.tuple("DiskPressure", "False", "KubeletHasNoDiskPressure"),
                org.assertj.core.groups.Tuple.tuple("PIDPressure", "False", "KubeletHasSufficientPID"),
                org.assertj.core.groups.Tuple.tuple("Ready", "True", "KubeletReady"));
        assertThat(node.getStatus().getConditions().get(3).getMessage()).isEqualTo("kubelet is posting ready status");
        assertThat(node.getStatus().getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=198.18.0.2", "Hostname=simtest-1");
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.32.0-konductor");
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("sim://");
        assertThat(node.getStatus().getNodeInfo().getOperatingSystem()).isEqualTo("linux");
        assertThat(node.getSpec().getPodCIDR()).isEqualTo("198.18.1.0/25");
    }

    @Test
    void keepsLeasesFresh() {
        Lease first = client.leases().inNamespace("kube-node-lease").withName("simtest-2").get();
        assertThat(first.getSpec().getHolderIdentity()).isEqualTo("simtest-2");
        assertThat(first.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(first.getMetadata().getOwnerReferences().getFirst().getKind()).isEqualTo("Node");
        ZonedDateTime renewed = first.getSpec().getRenewTime();
        Await.until("lease renewed", () -> client.leases().inNamespace("kube-node-lease").withName("simtest-2").get()
                .getSpec().getRenewTime().isAfter(renewed));
    }

    @Test
    void postsNodeStatusHeartbeats() {
        String before = readyCondition("simtest-0").getLastHeartbeatTime();
        Await.until(Duration.ofSeconds(60), "heartbeat", () ->
                !readyCondition("simtest-0").getLastHeartbeatTime().equals(before));
        NodeCondition after = readyCondition("simtest-0");
        assertThat(after.getLastTransitionTime()).isLessThanOrEqualTo(before);
    }

    @Test
    void runsBoundPodsAndReportsTheirMetrics() {
        Pod pod = client.pods().inNamespace("default").resource(pod("web", "simtest-2",
                Map.of(SimAnnotations.CPU_USAGE, "250m", SimAnnotations.MEMORY_USAGE, "64Mi"))).create();
        Await.until("web running and ready", () -> ready(get("web")));
        Pod running = get("web");
        assertThat(running.getStatus().getPhase()).isEqualTo("Running");
        assertThat(Ipv4.Cidr.parseOrNull("198.18.1.128/25")
                .contains(Ipv4.parse(running.getStatus().getPodIP()).orElseThrow())).isTrue();
        assertThat(running.getStatus().getHostIP()).isEqualTo("198.18.0.3");
        assertThat(running.getStatus().getConditions()).extracting(PodCondition::getType).containsExactly(
                "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");
        ContainerStatus cs = running.getStatus().getContainerStatuses().getFirst();
        assertThat(cs.getReady()).isTrue();
        assertThat(cs.getStarted()).isTrue();
        assertThat(cs.getContainerID()).startsWith("sim://");
        assertThat(cs.getImage()).isEqualTo("docker.io/library/nginx:1.27");
        assertThat(cs.getImageID()).startsWith("docker.io/library/nginx@sha256:");
        assertThat(cs.getState().getRunning().getStartedAt()).isNotNull();

        Await.until("pod metrics", () -> podMetrics("web") != null);
        PodMetrics metrics = podMetrics("web");
        assertThat(metrics.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(metrics.getContainers().getFirst().getUsage().get("cpu").toString()).isEqualTo("250m");
        assertThat(metrics.getContainers().getFirst().getUsage().get("memory").toString()).isEqualTo("65536Ki");
        assertThat(metrics.getTimestamp()).isNotNull();
        assertThat(metrics.getWindow()).isNotNull();
        Await.until("node metrics count the pod", () -> {
            NodeMetrics n = nodeMetrics("simtest-2");
            return n != null && n.getUsage().get("cpu").toString().equals("300m");
        });

        // graceful deletion: the API server marks it, the node deletes it once the (capped) grace is over
        client.pods().inNamespace("default").withName("web").delete();
        Pod marked = get("web"); // the node may already have finished it
        assertThat(marked == null || marked.getMetadata().getDeletionTimestamp() != null).isTrue();
        Await.until(Duration.ofSeconds(60), "web deleted", () -> get("web") == null);
        Await.until("web metrics deleted", () -> podMetrics("web") == null);
        assertThat(pod.getMetadata().getUid()).isNotNull();
    }

    @Test
    void readinessFailsOnRequest() {
        client.pods().inNamespace("default").resource(pod("unready", "simtest-0",
                Map.of(SimAnnotations.READY, "false"))).create();
        Await.until("unready running", () -> {
            Pod p = get("unready");
            return p != null && "Running".equals(p.getStatus().getPhase());
        });
        Pod p = get("unready");
        assertThat(ready(p)).isFalse();
        PodCondition readyCondition = p.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
        assertThat(readyCondition.getReason()).isEqualTo("ContainersNotReady");
        assertThat(readyCondition.getMessage()).isEqualTo("containers with unready status: [app]");

        client.pods().inNamespace("default").withName("unready").edit(e -> new PodBuilder(e).editMetadata()
                .removeFromAnnotations(SimAnnotations.READY).endMetadata().build());
        Await.until("ready after the annotation went", () -> ready(get("unready")));
    }

    @Test
    void jobPodsSucceed() {
        Pod job = new PodBuilder(pod("job-abc", "simtest-1", Map.of())).editMetadata()
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName("job")
                .withUid("0b8b7a8e-0000-4000-8000-000000000001").withController(true).endOwnerReference()
                .endMetadata().editSpec().withRestartPolicy("Never").endSpec().build();
        client.pods().inNamespace("default").resource(job).create();
        Await.until("job pod running", () -> "Running".equals(phase("job-abc")));
        Await.until(Duration.ofSeconds(60), "job pod succeeded", () -> "Succeeded".equals(phase("job-abc")));
        ContainerStatus cs = get("job-abc").getStatus().getContainerStatuses().getFirst();
        assertThat(cs.getState().getTerminated().getExitCode()).isZero();
        assertThat(cs.getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(cs.getReady()).isFalse();
    }

    @Test
    void ignoresPodsOfOtherNodes() throws InterruptedException {
        client.pods().inNamespace("default").resource(pod("elsewhere", "real-node", Map.of())).create();
        Thread.sleep(600); // three start delays
        assertThat(phase("elsewhere")).isEqualTo("Pending");
    }

    @Test
    void aRestartedSimTakesOverItsNodesLeasesAndPods() {
        SimSettings settings = new SimSettings("again", 1, "4", "8Gi", 110)
                .withPodTimings(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMillis(300))
                .withNodeTimings(Duration.ofMillis(300), Duration.ofMinutes(5))
                .withMetricsInterval(Duration.ZERO);
        String ip;
        try (SimNodes first = new SimNodes(api.client(), settings)) {
            first.start();
            client.pods().inNamespace("default").resource(pod("survivor", "again", Map.of())).create();
            Await.until("survivor running", () -> ready(get("survivor")));
            ip = get("survivor").getStatus().getPodIP();
        }
        ZonedDateTime before = client.leases().inNamespace("kube-node-lease").withName("again").get().getSpec()
                .getRenewTime();
        try (SimNodes second = new SimNodes(api.client(), settings)) {
            second.start();
            Await.until("lease renewed by the new process", () -> client.leases().inNamespace("kube-node-lease")
                    .withName("again").get().getSpec().getRenewTime().isAfter(before));
            client.pods().inNamespace("default").resource(pod("newcomer", "again", Map.of())).create();
            Await.until("newcomer running", () -> ready(get("newcomer")));
            assertThat(get("newcomer").getStatus().getPodIP()).isNotEqualTo(ip);
            assertThat(get("survivor").getStatus().getPodIP()).isEqualTo(ip);
            client.pods().inNamespace("default").withName("survivor").delete();
            Await.until(Duration.ofSeconds(60), "survivor finalised", () -> get("survivor") == null);
        }
    }

    private static Pod pod(String name, String node, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").addToLabels("app", name)
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("app").withImage("nginx:1.27")
                .endContainer().endSpec().build();
    }

    private static Pod get(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    private static String phase(String name) {
        Pod p = get(name);
        return p == null || p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    private static boolean ready(Pod p) {
        return p != null && PodStatuses.isReady(p.getStatus());
    }

    private static NodeCondition readyCondition(String node) {
        return client.nodes().withName(node).get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
    }

    private static PodMetrics podMetrics(String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(MetricsPublisher.POD_METRICS)
                .inNamespace("default").withName(name).get();
        return r == null ? null : client.getKubernetesSerialization().convertValue(r, PodMetrics.class);
    }

    private static NodeMetrics nodeMetrics(String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(MetricsPublisher.NODE_METRICS).withName(name).get();
        return r == null ? null : client.getKubernetesSerialization().convertValue(r, NodeMetrics.class);
    }
}
