package dev.konductor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.cri.v1.ContainerFilter;
import dev.konductor.kubelet.cri.v1.PodSandboxFilter;
import dev.konductor.kubelet.runtime.RuntimeLabels;
import dev.konductor.testing.Await;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pod's lifecycle on a real node (containerd, runc, CNI bridge, LocalApiServer, kubelet), as a
 * user watching {@code kubectl get pods -w} and {@code kubectl describe pod} would see it:
 * restarts after a kill and after crashes (with a growing back-off), probes, init containers,
 * OOM kills, hooks, and a deletion that leaves nothing behind.
 */
class PodLifecycleEndToEndTest {

    private static final String POD_CIDR = "10.244.170.0/24";
    private static final String BRIDGE = "kl-e2e";
    private static final String NODE = "kl-node";

    private static CriTestNode node;
    private static KubernetesClient client;

    @BeforeAll
    static void startNode() throws Exception {
        node = CriTestNode.start("kl-e2e", NODE, POD_CIDR, BRIDGE);
        client = node.client();
        Await.until(Duration.ofSeconds(30), "node Ready", () -> {
            var n = client.nodes().withName(NODE).get();
            return n != null && n.getStatus() != null && n.getStatus().getConditions() != null
                    && n.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        });
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (node != null) {
            node.close();
        }
    }

    private static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(2L).endSpec();
    }

    private static ContainerBuilder busybox(String name, String script) {
        return new ContainerBuilder().withName(name).withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", script);
    }

    @Test
    void aKilledContainerIsRestartedAndCounted() throws IOException {
        create(pod("victim").editSpec().addToContainers(new ContainerBuilder().withName("victim").withImage("busybox")
                .withImagePullPolicy("IfNotPresent").withCommand("sleep", "3600").build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "victim running", () -> running(status("victim", "victim")));
        String id = status("victim", "victim").getContainerID().substring("containerd://".length());

        long pid = pidOf(id);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9

        Await.until(Duration.ofSeconds(30), "victim restarted", () -> status("victim", "victim").getRestartCount() == 1
                && running(status("victim", "victim")));
        ContainerStatus restarted = status("victim", "victim");
        assertThat(restarted.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        assertThat(restarted.getLastState().getTerminated().getReason()).isEqualTo("Error");
        deleteAndExpectNothingLeft("victim");
    }

    @Test
    void aCrashingContainerBacksOffLongerEachTime() {
        create(pod("crasher").editSpec().addToContainers(busybox("crasher", "echo about to fail; exit 1").build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "back-off 10s", () -> waitingMessage("crasher", "crasher").startsWith("back-off 10s"));
        assertThat(status("crasher", "crasher").getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        Await.until(Duration.ofSeconds(90), "back-off 20s", () -> waitingMessage("crasher", "crasher").startsWith("back-off 20s"));
        ContainerStatus s = status("crasher", "crasher");
        assertThat(s.getRestartCount()).isGreaterThanOrEqualTo(2);
        assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(phase("crasher")).isEqualTo("Running");
        assertThat(events("crasher")).anyMatch(e -> e.getReason().equals("BackOff")
                && e.getMessage().startsWith("Back-off restarting failed container crasher in pod crasher_default("));
        deleteAndExpectNothingLeft("crasher");
    }

    @Test
    void aCommandThatCannotRunIsAStartErrorAsContainerdReportsIt() {
        create(pod("typo").editSpec().addToContainers(new ContainerBuilder().withName("typo").withImage("busybox")
                .withImagePullPolicy("IfNotPresent").withCommand("/no/such/binary").build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "typo's first attempt over", () -> {
            ContainerStatus s = status("typo", "typo");
            return s != null && s.getLastState() != null && s.getLastState().getTerminated() != null;
        });
        var terminated = status("typo", "typo").getLastState().getTerminated();
        assertThat(terminated.getReason()).isEqualTo("StartError");
        assertThat(terminated.getExitCode()).isEqualTo(128);
        assertThat(terminated.getMessage()).contains("/no/such/binary");
        assertThat(events("typo")).anyMatch(e -> e.getReason().equals("Failed") && e.getMessage().startsWith("Error: "));
        deleteAndExpectNothingLeft("typo");
    }

    @Test
    void aSidecarStartsBeforeTheAppAndKeepsRunning() {
        create(pod("sidecar").editSpec()
                .addToInitContainers(busybox("proxy", "sleep 2; touch /tmp/up; trap 'exit 0' TERM; while true; do sleep 1; done")
                        .withRestartPolicy("Always").withNewStartupProbe().withNewExec().withCommand("cat", "/tmp/up").endExec()
                        .withPeriodSeconds(1).withFailureThreshold(30).endStartupProbe().build())
                .addToContainers(busybox("app", "trap 'exit 0' TERM; while true; do sleep 1; done").build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "app running", () -> running(status("sidecar", "app")));
        ContainerStatus proxy = status("sidecar", "proxy");
        assertThat(running(proxy)).isTrue();
        assertThat(proxy.getStarted()).isTrue();
        assertThat(Instant.parse(status("sidecar", "app").getState().getRunning().getStartedAt()))
                .as("the app waits for the sidecar's startup probe")
                .isAfterOrEqualTo(Instant.parse(proxy.getState().getRunning().getStartedAt()).plusSeconds(2));
        assertThat(condition("sidecar", "Ready").getStatus()).isEqualTo("True");
        deleteAndExpectNothingLeft("sidecar");
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainerWithEvents() {
        create(pod("sick").editSpec().addToContainers(busybox("sick", "touch /tmp/healthy; sleep 4; rm /tmp/healthy; sleep 3600")
                .withNewLivenessProbe().withNewExec().withCommand("cat", "/tmp/healthy").endExec()
                .withPeriodSeconds(1).withFailureThreshold(2).endLivenessProbe().build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "sick restarted after its liveness probe failed",
                () -> status("sick", "sick") != null && status("sick", "sick").getRestartCount() >= 1);
        assertThat(events("sick")).anyMatch(e -> e.getReason().equals("Unhealthy") && e.getType().equals("Warning")
                && e.getMessage().startsWith("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"));
        assertThat(events("sick")).anyMatch(e -> e.getReason().equals("Killing")
                && e.getMessage().equals("Container sick failed liveness probe, will be restarted"));
        deleteAndExpectNothingLeft("sick");
    }

    @Test
    void readinessFollowsTheProbe() {
        create(pod("shy").editSpec().addToContainers(busybox("shy", "mkdir -p /www; exec httpd -f -p 8080 -h /www")
                .addNewPort().withName("http").withContainerPort(8080).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(1).endReadinessProbe().build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "shy running", () -> running(status("shy", "shy")));
        Await.until(Duration.ofSeconds(30), "a failed readiness probe event", () -> events("shy").stream().anyMatch(e ->
                e.getReason().equals("Unhealthy") && e.getMessage().equals("Readiness probe failed: HTTP probe failed with statuscode: 404")));
        assertThat(status("shy", "shy").getReady()).isFalse();
        assertThat(status("shy", "shy").getStarted()).isTrue();
        assertThat(condition("shy", "Ready").getStatus()).isEqualTo("False");
        assertThat(condition("shy", "ContainersReady").getMessage()).isEqualTo("containers with unready status: [shy]");

        String id = status("shy", "shy").getContainerID().substring("containerd://".length());
        node.runtime().execSync(id, List.of("touch", "/www/ready"), Duration.ofSeconds(10));
        Await.until(Duration.ofSeconds(15), "shy Ready", () -> "True".equals(condition("shy", "Ready").getStatus()));
        assertThat(status("shy", "shy").getReady()).isTrue();

        node.runtime().execSync(id, List.of("rm", "/www/ready"), Duration.ofSeconds(10));
        Await.until(Duration.ofSeconds(15), "shy not Ready again", () -> "False".equals(condition("shy", "Ready").getStatus()));
        assertThat(status("shy", "shy").getRestartCount()).as("readiness never restarts").isZero();
        deleteAndExpectNothingLeft("shy");
    }

    @Test
    void initContainersRunInOrderBeforeTheApp() {
        create(pod("layered").editSpec()
                .addToInitContainers(busybox("first", "sleep 2").build(), busybox("second", "sleep 2").build())
                .addToContainers(busybox("app", "sleep 3600").build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "layered initializing", () -> {
            Pod p = get("layered");
            return p != null && p.getStatus() != null && p.getStatus().getInitContainerStatuses() != null
                    && running(p.getStatus().getInitContainerStatuses().getFirst());
        });
        assertThat(phase("layered")).isEqualTo("Pending");
        assertThat(condition("layered", "Initialized").getMessage()).isEqualTo("containers with incomplete status: [first second]");
        assertThat(status("layered", "app").getState().getWaiting().getReason()).isEqualTo("PodInitializing");

        Await.until(Duration.ofSeconds(60), "layered running", () -> running(status("layered", "app")));
        Pod pod = get("layered");
        var first = pod.getStatus().getInitContainerStatuses().get(0).getState().getTerminated();
        var second = pod.getStatus().getInitContainerStatuses().get(1).getState().getTerminated();
        assertThat(first.getReason()).isEqualTo("Completed");
        assertThat(second.getReason()).isEqualTo("Completed");
        assertThat(Instant.parse(second.getStartedAt())).isAfterOrEqualTo(Instant.parse(first.getFinishedAt()));
        Instant appStarted = Instant.parse(status("layered", "app").getState().getRunning().getStartedAt());
        assertThat(appStarted).isAfterOrEqualTo(Instant.parse(second.getFinishedAt()));
        assertThat(condition("layered", "Initialized").getStatus()).isEqualTo("True");
        assertThat(events("layered")).anyMatch(e -> e.getReason().equals("Started")
                && "spec.initContainers{first}".equals(e.getInvolvedObject().getFieldPath()));
        deleteAndExpectNothingLeft("layered");
    }

    @Test
    void exceedingTheMemoryLimitIsAnOomKill() {
        create(pod("hog").editSpec().withRestartPolicy("Never").addToContainers(
                busybox("hog", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived")
                        .withNewResources().withLimits(Map.of("memory", new Quantity("32Mi"))).endResources().build())
                .endSpec().build());
        Await.until(Duration.ofSeconds(90), "hog terminated", () -> {
            ContainerStatus s = status("hog", "hog");
            return s != null && s.getState().getTerminated() != null;
        });
        var terminated = status("hog", "hog").getState().getTerminated();
        assertThat(terminated.getReason()).isEqualTo("OOMKilled");
        assertThat(terminated.getExitCode()).isEqualTo(137);
        Await.until(Duration.ofSeconds(30), "hog Failed", () -> "Failed".equals(phase("hog")));
        Path podCgroup = Path.of("/sys/fs/cgroup/memory/kubepods/burstable/pod" + get("hog").getMetadata().getUid());
        assertThat(read(podCgroup.resolve("memory.limit_in_bytes")).trim()).as("the pod's own cgroup is limited too")
                .isEqualTo(Long.toString(32L * 1024 * 1024));
        deleteAndExpectNothingLeft("hog");
    }

    @Test
    void aFailureExplainsItselfFromTheLogEnd() {
        create(pod("explainer").editSpec().withRestartPolicy("Never").addToContainers(busybox("explainer",
                "echo starting >&2; echo 'fatal: no config' >&2; exit 2").withTerminationMessagePolicy("FallbackToLogsOnError").build())
                .endSpec().build());
        Await.until(Duration.ofSeconds(60), "explainer Failed", () -> "Failed".equals(phase("explainer")));
        var terminated = status("explainer", "explainer").getState().getTerminated();
        assertThat(terminated.getReason()).isEqualTo("Error");
        assertThat(terminated.getExitCode()).isEqualTo(2);
        assertThat(terminated.getMessage()).isEqualTo("starting\nfatal: no config\n");
        deleteAndExpectNothingLeft("explainer");
    }

    @Test
    void hooksRunAroundTheContainersLife() throws IOException {
        create(pod("hooked").editSpec().withTerminationGracePeriodSeconds(20L).addToContainers(
                busybox("hooked", "trap 'exit 0' TERM; while true; do sleep 1; done")
                        .withNewLifecycle()
                        .withNewPostStart().withNewExec().withCommand("sh", "-c", "echo post-start ran > /proc/1/fd/1").endExec()
                        .endPostStart()
                        .withNewPreStop().withNewExec().withCommand("sh", "-c", "echo pre-stop ran > /proc/1/fd/1; sleep 3").endExec()
                        .endPreStop().endLifecycle().build(),
                busybox("broken", "trap 'exit 0' TERM; while true; do sleep 1; done").withNewLifecycle()
                        .withNewPreStop().withNewExec().withCommand("sh", "-c", "exit 3").endExec().endPreStop()
                        .endLifecycle().build())
                .endSpec().build());
        Await.until(Duration.ofSeconds(60), "hooked running", () -> running(status("hooked", "hooked"))
                && running(status("hooked", "broken")));
        Await.until("post-start output in the log", () -> client.pods().inNamespace("default").withName("hooked")
                .inContainer("hooked").getLog().contains("post-start ran"));
        Path log = logFile("hooked", "hooked");
        String uid = get("hooked").getMetadata().getUid();

        Instant asked = Instant.now();
        client.pods().inNamespace("default").withName("hooked").delete();
        Await.until(Duration.ofSeconds(15), "pre-stop output in the log", () -> read(log).contains("pre-stop ran"));
        Await.until(Duration.ofSeconds(40), "hooked gone", () -> get("hooked") == null);
        assertThat(Duration.between(asked, Instant.now())).as("the preStop hook's time counts").isGreaterThan(Duration.ofSeconds(3))
                .isLessThan(Duration.ofSeconds(20));
        assertThat(events("hooked")).anyMatch(e -> e.getReason().equals("FailedPreStopHook")
                && e.getMessage().startsWith("Exec lifecycle hook ([sh -c exit 3]) for Container \"broken\" in Pod \"hooked_default("));
        expectNothingLeft("hooked", uid);
    }

    @Test
    void aFailingPostStartHookKillsTheContainer() {
        create(pod("doomed").editSpec().addToContainers(busybox("doomed", "sleep 3600").withNewLifecycle()
                .withNewPostStart().withNewExec().withCommand("sh", "-c", "echo nope; exit 1").endExec().endPostStart()
                .endLifecycle().build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "FailedPostStartHook", () -> events("doomed").stream()
                .anyMatch(e -> e.getReason().equals("FailedPostStartHook")));
        Await.until(Duration.ofSeconds(30), "doomed restarted", () -> status("doomed", "doomed").getRestartCount() >= 1);
        assertThat(events("doomed")).anyMatch(e -> e.getReason().equals("Killing") && e.getMessage().equals("FailedPostStartHook"));
        deleteAndExpectNothingLeft("doomed");
    }

    /** A test that failed half-way leaves no pod for the next one to trip over. */
    @AfterEach
    void removeLeftoverPods() {
        client.pods().inNamespace("default").withGracePeriod(0).delete();
        Await.until(Duration.ofSeconds(60), "no pods left", () -> client.pods().inNamespace("default").list().getItems().isEmpty());
    }

    // --- helpers ---

    private static void create(Pod pod) {
        client.pods().inNamespace("default").resource(pod).create();
    }

    private static Pod get(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    private static String phase(String name) {
        Pod pod = get(name);
        return pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static ContainerStatus status(String podName, String container) {
        Pod pod = get(podName);
        if (pod == null || pod.getStatus() == null) {
            return null;
        }
        return Stream.concat(Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).stream(),
                        Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream())
                .filter(s -> s.getName().equals(container)).findFirst().orElse(null);
    }

    private static boolean running(ContainerStatus s) {
        return s != null && s.getState() != null && s.getState().getRunning() != null;
    }

    private static String waitingMessage(String podName, String container) {
        ContainerStatus s = status(podName, container);
        return s == null || s.getState().getWaiting() == null || s.getState().getWaiting().getMessage() == null ? ""
                : s.getState().getWaiting().getMessage();
    }

    private static PodCondition condition(String podName, String type) {
        return get(podName).getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static List<Event> events(String podName) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> podName.equals(e.getInvolvedObject().getName())).toList();
    }

    private static Path logFile(String podName, String container) {
        String id = status(podName, container).getContainerID().substring("containerd://".length());
        return Path.of(node.runtime().containerStatus(id).getLogPath());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** The process of a container, found through its cgroup (cgroupfs: the container id ends the path). */
    private static long pidOf(String containerId) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> read(p.resolve("cgroup")).contains("/" + containerId + "\n"))
                    .mapToLong(p -> Long.parseLong(p.getFileName().toString())).findFirst()
                    .orElseThrow(() -> new AssertionError("no process in the cgroup of container " + containerId));
        }
    }

    private static void deleteAndExpectNothingLeft(String podName) {
        String uid = get(podName).getMetadata().getUid();
        client.pods().inNamespace("default").withName(podName).delete();
        Await.until(Duration.ofSeconds(40), podName + " gone", () -> get(podName) == null);
        expectNothingLeft(podName, uid);
    }

    /** No sandbox, container, network namespace, cgroup or log directory of the pod remains. */
    private static void expectNothingLeft(String podName, String uid) {
        Map<String, String> byName = Map.of(RuntimeLabels.POD_NAME, podName);
        Await.until(Duration.ofSeconds(20), "runtime objects of " + podName + " removed", () ->
                node.runtime().listPodSandboxes(PodSandboxFilter.newBuilder().putAllLabelSelector(byName).build()).isEmpty()
                        && node.runtime().listContainers(ContainerFilter.newBuilder().putAllLabelSelector(byName).build()).isEmpty());
        Await.until(Duration.ofSeconds(20), "no network namespace or mount of " + podName, () -> {
            try {
                List<String> mounts = CriTestNode.mountsUnder(node.dir);
                long readySandboxes = node.runtime().listPodSandboxes(PodSandboxFilter.getDefaultInstance()).stream()
                        .filter(sb -> sb.getState() == dev.konductor.kubelet.cri.v1.PodSandboxState.SANDBOX_READY).count();
                return mounts.stream().noneMatch(m -> m.contains(uid))
                        && mounts.stream().filter(m -> m.contains("/netns/")).count() == readySandboxes;
            } catch (IOException e) {
                return false;
            }
        });
        Await.until(Duration.ofSeconds(20), "cgroups of " + podName + " removed", () -> Stream.of("", "burstable/", "besteffort/")
                .noneMatch(qos -> Files.exists(Path.of("/sys/fs/cgroup/memory/kubepods/" + qos + "pod" + uid))));
        Await.until(Duration.ofSeconds(20), "log directory of " + podName + " removed", () -> {
            try (Stream<Path> logs = Files.list(node.dir.resolve("kubelet").resolve("pods"))) {
                return logs.noneMatch(p -> p.getFileName().toString().startsWith("default_" + podName + "_"));
            } catch (IOException e) {
                return true; // no pod logs at all
            }
        });
    }
}
