package dev.konductor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.cri.v1.ContainerFilter;
import dev.konductor.kubelet.cri.v1.PodSandboxFilter;
import dev.konductor.kubelet.runtime.RuntimeLabels;
import dev.konductor.testing.Await;
import io.fabric8.kubernetes.api.model.Container;
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
import java.util.ArrayList;
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
 * user watching {@code kubectl get pods -w} and {@code kubectl describe pod} would see it: a
 * pod's address, image and log, restarts after a kill and after crashes (with a growing
 * back-off), a bad image backing off with a few counted events, probes, init containers and
 * sidecars, OOM kills, hooks, a finished pod that never runs again across kubelet restarts, and
 * deletions that stop containers in upstream's order and leave nothing behind. Test pods get
 * short grace periods or trap SIGTERM, so no test waits out a 30 s default.
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
    void aPodGetsItsAddressAndImageServesItsLogAndStopsGracefully() {
        create(pod("web").editSpec().addToContainers(new ContainerBuilder().withName("web").withImage("busybox")
                .withCommand("sh", "-c", "trap 'exit 0' TERM; echo hello; sleep 3600 & wait").build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "web Running", () -> "Running".equals(phase("web")));
        Pod pod = get("web");
        assertThat(pod.getStatus().getPodIP()).startsWith("10.244.170.");
        assertThat(pod.getStatus().getHostIP()).isEqualTo("127.0.0.1");
        ContainerStatus web = status(pod, "web");
        assertThat(web.getReady()).isTrue();
        assertThat(web.getRestartCount()).isZero();
        assertThat(web.getImage()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(web.getImageID()).startsWith("docker.io/library/busybox@sha256:");
        assertThat(web.getContainerID()).startsWith("containerd://");
        Await.until("log says hello", () -> "hello\n".equals(client.pods().inNamespace("default").withName("web").getLog()));
        Await.untilAsserted(() -> assertThat(events("web")).extracting(Event::getReason).contains("Pulling", "Pulled", "Created", "Started"));

        deleteAndExpectNothingLeft("web");
        Await.untilAsserted(() -> assertThat(events("web")).extracting(Event::getReason).contains("Killing"));
    }

    @Test
    void aBadImageBacksOffTenSecondsThenTwentyWithAFewCountedEvents() {
        String image = "konductor.local/nope:1";
        // dnsPolicy Default: the node has no cluster DNS, and a ClusterFirst pod's MissingClusterDNS
        // event is not what this test counts.
        create(pod("bad").editSpec().withDnsPolicy("Default")
                .addToContainers(new ContainerBuilder().withName("bad").withImage(image).build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "ImagePullBackOff", () -> waitingMessage("bad", "bad")
                .startsWith("Back-off pulling image \"" + image + "\": ErrImagePull: "));
        assertThat(status("bad", "bad").getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
        Await.until(Duration.ofSeconds(60), "pulled again once its back-off expired", () -> count("bad", "Pulling") == 2);

        Await.untilAsserted(() -> assertThat(events("bad")).as("kubectl describe: five lines, repeats counted")
                    .extracting(e -> e.getReason() + ": " + e.getMessage()).containsExactlyInAnyOrder(
                            "Pulling: Pulling image \"" + image + "\"",
                            "Failed: Failed to pull image \"" + image + "\": " + failedPull("bad"),
                            "Failed: Error: ErrImagePull",
                            "BackOff: Back-off pulling image \"" + image + "\"",
                            "Failed: Error: ImagePullBackOff"));
        assertThat(count("bad", "BackOff")).as("no sync storm while backing off").isLessThanOrEqualTo(3);
        deleteAndExpectNothingLeft("bad");
    }

    @Test
    void aContainerThatRanToItsEndUnderNeverNeverRunsAgainWhenTheKubeletComesBack() throws Exception {
        Path runs = Files.createDirectories(node.dir().resolve("runs"));
        create(pod("once").editSpec().withRestartPolicy("Never")
                .addToContainers(counted(busybox("job", "echo ran >> /runs/job")),
                        counted(busybox("server", "echo ran >> /runs/server; trap 'exit 0' TERM; while true; do sleep 1; done")))
                .addNewVolume().withName("runs").withNewHostPath().withPath(runs.toString()).endHostPath().endVolume()
                .endSpec().build());
        Await.until(Duration.ofSeconds(60), "job done, server running",
                () -> status("once", "job").getState().getTerminated() != null && running(status("once", "server")));
        String uid = get("once").getMetadata().getUid();

        // containerd keeps its state: a kubelet that comes back finds the finished container and leaves it be
        node.stopKubelet();
        node.startKubelet();
        // Nothing marks the moment a kubelet rightly leaves a finished container alone: give the
        // new one the time a wrong one would need to run the job again (its watch has the pod when
        // start returns, and a worker syncs at once), and let the file below tell.
        Thread.sleep(5000);
        // containerd's state is lost as well (a reboot): only the API, the logs and the volumes remember
        node.stopKubelet();
        for (var sandbox : node.runtime().listPodSandboxes(PodSandboxFilter.newBuilder()
                .putLabelSelector(RuntimeLabels.POD_UID, uid).build())) {
            node.runtime().stopPodSandbox(sandbox.getId());
            node.runtime().removePodSandbox(sandbox.getId());
        }
        node.startKubelet();

        // Failed first with the server waiting (its end unknown), then, once the stopped pod has
        // nothing left, with the server terminated as well, as upstream's TerminatePod writes it.
        Await.until(Duration.ofSeconds(60), "once Failed: its server was lost, and Never restarts nothing",
                () -> "Failed".equals(phase("once")) && status("once", "server").getState().getTerminated() != null);
        Pod pod = get("once");
        assertThat(status(pod, "job").getState().getTerminated().getReason()).isEqualTo("Completed");
        ContainerStatus server = status(pod, "server");
        assertThat(server.getState().getTerminated().getReason()).isEqualTo("ContainerStatusUnknown");
        assertThat(server.getLastState().getTerminated().getMessage()).endsWith("The container used to be Running");
        assertThat(Files.readString(runs.resolve("job"))).as("the job ran once").isEqualTo("ran\n");
        assertThat(Files.readString(runs.resolve("server"))).isEqualTo("ran\n");
        assertThat(node.runtime().listPodSandboxes(PodSandboxFilter.newBuilder().putLabelSelector(RuntimeLabels.POD_UID, uid)
                .build())).as("no new sandbox").isEmpty();
        deleteAndExpectNothingLeft("once");
    }

    private static Container counted(ContainerBuilder container) {
        return container.addNewVolumeMount().withName("runs").withMountPath("/runs").endVolumeMount().build();
    }

    @Test
    void aKilledContainerIsRestartedAndCounted() throws IOException {
        create(pod("victim").editSpec().addToContainers(new ContainerBuilder().withName("victim").withImage("busybox")
                .withImagePullPolicy("IfNotPresent").withCommand("sleep", "3600").build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "victim running", () -> running(status("victim", "victim")));
        String id = status("victim", "victim").getContainerID().substring("containerd://".length());

        long pid = pidOf(id);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9

        Await.until(Duration.ofSeconds(90), "victim restarted", () -> status("victim", "victim").getRestartCount() == 1
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
        Await.untilAsserted(() -> assertThat(events("crasher")).anyMatch(e -> e.getReason().equals("BackOff")
                    && e.getMessage().startsWith("Back-off restarting failed container crasher in pod crasher_default(")));
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
        Await.untilAsserted(() -> assertThat(events("typo")).anyMatch(e -> e.getReason().equals("Failed") && e.getMessage().startsWith("Error: ")));
        deleteAndExpectNothingLeft("typo");
    }

    @Test
    void sidecarsStartBeforeTheAppAndStopAfterItInReverseOrderWhileReadinessIsStillProbed() throws IOException {
        Path order = Files.createDirectories(node.dir().resolve("sidecar-order"));
        create(pod("sidecar").editSpec().withTerminationGracePeriodSeconds(60L)
                .addToInitContainers(
                        writesOnTerm(busybox("logs", "trap 'echo logs >> /order/stopped; exit 0' TERM; while true; do sleep 1; done")
                                .withRestartPolicy("Always")),
                        writesOnTerm(busybox("proxy", "sleep 2; touch /tmp/up; trap 'echo proxy >> /order/stopped; exit 0' TERM;"
                                + " while true; do sleep 1; done").withRestartPolicy("Always")
                                .withNewStartupProbe().withNewExec().withCommand("cat", "/tmp/up").endExec()
                                .withPeriodSeconds(1).withFailureThreshold(30).endStartupProbe()))
                .addToContainers(writesOnTerm(busybox("app", "touch /tmp/ready;"
                        + " trap 'rm /tmp/ready; sleep 15; echo app >> /order/stopped; exit 0' TERM; while true; do sleep 1; done")
                        .withNewReadinessProbe().withNewExec().withCommand("cat", "/tmp/ready").endExec()
                        .withPeriodSeconds(1).withFailureThreshold(1).endReadinessProbe()))
                .addNewVolume().withName("order").withNewHostPath().withPath(order.toString()).endHostPath().endVolume()
                .endSpec().build());
        Await.until(Duration.ofSeconds(60), "sidecar Ready", () -> "True".equals(condition("sidecar", "Ready").getStatus()));
        ContainerStatus proxy = status("sidecar", "proxy");
        assertThat(proxy.getStarted()).isTrue();
        assertThat(Instant.parse(status("sidecar", "app").getState().getRunning().getStartedAt()))
                .as("the app waits for the sidecar's startup probe")
                .isAfterOrEqualTo(Instant.parse(proxy.getState().getRunning().getStartedAt()).plusSeconds(2));
        String uid = get("sidecar").getMetadata().getUid();

        client.pods().inNamespace("default").withName("sidecar").delete();
        // The app takes 15 s to stop after its TERM, failing its readiness probe meanwhile: time
        // enough, even on a loaded machine, for the probe and the status write to show it.
        Await.until(Duration.ofSeconds(60), "not Ready while the app shuts down, its readiness still probed", () -> {
            Pod p = get("sidecar");
            return p != null && running(status(p, "app")) && "False".equals(condition(p, "Ready").getStatus());
        });
        Await.until(Duration.ofSeconds(90), "sidecar gone", () -> get("sidecar") == null);
        assertThat(Files.readString(order.resolve("stopped"))).as("the app first, then the sidecars last-declared first")
                .isEqualTo("app\nproxy\nlogs\n");
        expectNothingLeft("sidecar", uid);
    }

    private static Container writesOnTerm(ContainerBuilder container) {
        return container.addNewVolumeMount().withName("order").withMountPath("/order").endVolumeMount().build();
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainerWithEvents() {
        create(pod("sick").editSpec().addToContainers(busybox("sick", "touch /tmp/healthy; sleep 4; rm /tmp/healthy; sleep 3600")
                .withNewLivenessProbe().withNewExec().withCommand("cat", "/tmp/healthy").endExec()
                .withPeriodSeconds(1).withFailureThreshold(2).endLivenessProbe().build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "sick restarted after its liveness probe failed",
                () -> status("sick", "sick") != null && status("sick", "sick").getRestartCount() >= 1);
        Await.untilAsserted(() -> assertThat(events("sick")).anyMatch(e -> e.getReason().equals("Unhealthy") && e.getType().equals("Warning")
                    && e.getMessage().startsWith("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory")));
        Await.untilAsserted(() -> assertThat(events("sick")).anyMatch(e -> e.getReason().equals("Killing")
                    && e.getMessage().equals("Container sick failed liveness probe, will be restarted")));
        deleteAndExpectNothingLeft("sick");
    }

    @Test
    void readinessFollowsTheProbe() {
        create(pod("shy").editSpec().addToContainers(busybox("shy", "mkdir -p /www; exec httpd -f -p 8080 -h /www")
                .addNewPort().withName("http").withContainerPort(8080).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(1).endReadinessProbe().build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "shy running", () -> running(status("shy", "shy")));
        Await.until(Duration.ofSeconds(60), "a failed readiness probe event", () -> events("shy").stream().anyMatch(e ->
                e.getReason().equals("Unhealthy") && e.getMessage().equals("Readiness probe failed: HTTP probe failed with statuscode: 404")));
        assertThat(status("shy", "shy").getReady()).isFalse();
        assertThat(status("shy", "shy").getStarted()).isTrue();
        assertThat(condition("shy", "Ready").getStatus()).isEqualTo("False");
        assertThat(condition("shy", "ContainersReady").getMessage()).isEqualTo("containers with unready status: [shy]");

        String id = status("shy", "shy").getContainerID().substring("containerd://".length());
        node.runtime().execSync(id, List.of("touch", "/www/ready"), Duration.ofSeconds(10));
        Await.until(Duration.ofSeconds(60), "shy Ready", () -> "True".equals(condition("shy", "Ready").getStatus()));
        assertThat(status("shy", "shy").getReady()).isTrue();

        node.runtime().execSync(id, List.of("rm", "/www/ready"), Duration.ofSeconds(10));
        Await.until(Duration.ofSeconds(60), "shy not Ready again", () -> "False".equals(condition("shy", "Ready").getStatus()));
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
        Await.untilAsserted(() -> assertThat(events("layered")).anyMatch(e -> e.getReason().equals("Started")
                    && "spec.initContainers{first}".equals(e.getInvolvedObject().getFieldPath())));
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
        Await.until(Duration.ofSeconds(60), "hog Failed", () -> "Failed".equals(phase("hog")));
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
        create(pod("hooked").editSpec().withTerminationGracePeriodSeconds(60L).addToContainers(
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
        Await.until(Duration.ofSeconds(60), "pre-stop output in the log", () -> read(log).contains("pre-stop ran"));
        Await.until(Duration.ofSeconds(90), "hooked gone", () -> get("hooked") == null);
        assertThat(Duration.between(asked, Instant.now())).as("the preStop hook's time counts, then TERM ends it, not the grace period")
                .isGreaterThan(Duration.ofSeconds(3)).isLessThan(Duration.ofSeconds(60));
        Await.untilAsserted(() -> assertThat(events("hooked")).anyMatch(e -> e.getReason().equals("FailedPreStopHook")
                    && e.getMessage().startsWith("Exec lifecycle hook ([sh -c exit 3]) for Container \"broken\" in Pod \"hooked_default(")));
        expectNothingLeft("hooked", uid);
    }

    @Test
    void aFailingPostStartHookKillsTheContainer() {
        create(pod("doomed").editSpec().addToContainers(busybox("doomed", "sleep 3600").withNewLifecycle()
                .withNewPostStart().withNewExec().withCommand("sh", "-c", "echo nope; exit 1").endExec().endPostStart()
                .endLifecycle().build()).endSpec().build());
        Await.until(Duration.ofSeconds(60), "FailedPostStartHook", () -> events("doomed").stream()
                .anyMatch(e -> e.getReason().equals("FailedPostStartHook")));
        Await.until(Duration.ofSeconds(90), "doomed restarted", () -> status("doomed", "doomed").getRestartCount() >= 1);
        Await.untilAsserted(() -> assertThat(events("doomed")).anyMatch(e -> e.getReason().equals("Killing") && e.getMessage().equals("FailedPostStartHook")));
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
        return status(get(podName), container);
    }

    private static ContainerStatus status(Pod pod, String container) {
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
        return condition(get(podName), type);
    }

    private static PodCondition condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    /** How often an event of that reason was recorded for the pod (repeats included). */
    private static int count(String podName, String reason) {
        return events(podName).stream().filter(e -> e.getReason().equals(reason)).mapToInt(e -> e.getCount() == null ? 1 : e.getCount())
                .sum();
    }

    /** The runtime's error in the pod's first "Failed to pull image" event. */
    private static String failedPull(String podName) {
        return events(podName).stream().map(Event::getMessage).filter(m -> m.startsWith("Failed to pull image"))
                .map(m -> m.substring(m.indexOf("\": ") + 3)).findFirst().orElse("");
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
        Pod pod = get(podName);
        client.pods().inNamespace("default").withName(podName).delete();
        Await.until(Duration.ofSeconds(90), podName + " gone", () -> get(podName) == null);
        boolean finished = "Succeeded".equals(pod.getStatus().getPhase()) || "Failed".equals(pod.getStatus().getPhase());
        if (finished) {
            // The API server removes a finished pod at once, as upstream's: the kubelet cleans up after.
            Await.until(Duration.ofSeconds(60), "what the node had of " + podName + " removed",
                    () -> nothingLeft(podName, pod.getMetadata().getUid()).isEmpty());
        }
        expectNothingLeft(podName, pod.getMetadata().getUid());
    }

    /**
     * No sandbox, container, cgroup, log directory or mount of the pod remains: for a pod that was
     * running, as soon as its API object is gone, since the kubelet removes them before it
     * deletes the object.
     */
    private static void expectNothingLeft(String podName, String uid) {
        assertThat(nothingLeft(podName, uid)).as("what the node still has of " + podName).isEmpty();
        Await.until(Duration.ofSeconds(60), "no network namespace left over", () -> {
            try {
                List<String> mounts = CriTestNode.mountsUnder(node.dir());
                long readySandboxes = node.runtime().listPodSandboxes(PodSandboxFilter.getDefaultInstance()).stream()
                        .filter(sb -> sb.getState() == dev.konductor.kubelet.cri.v1.PodSandboxState.SANDBOX_READY).count();
                return mounts.stream().noneMatch(m -> m.contains(uid))
                        && mounts.stream().filter(m -> m.contains("/netns/")).count() == readySandboxes;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** What the node still holds of a pod: sandboxes, containers, cgroups, its log directory and volumes. */
    private static List<String> nothingLeft(String podName, String uid) {
        Map<String, String> byName = Map.of(RuntimeLabels.POD_NAME, podName);
        List<String> left = new ArrayList<>();
        node.runtime().listPodSandboxes(PodSandboxFilter.newBuilder().putAllLabelSelector(byName).build())
                .forEach(sb -> left.add("sandbox " + sb.getId()));
        node.runtime().listContainers(ContainerFilter.newBuilder().putAllLabelSelector(byName).build())
                .forEach(c -> left.add("container " + c.getId()));
        Stream.of("", "burstable/", "besteffort/").map(qos -> Path.of("/sys/fs/cgroup/memory/kubepods/" + qos + "pod" + uid))
                .filter(Files::exists).forEach(cgroup -> left.add("cgroup " + cgroup));
        logDirectories(podName).forEach(dir -> left.add("logs " + dir));
        Path volumes = node.kubeletRoot().resolve("pods").resolve(uid);
        if (Files.exists(volumes)) {
            left.add("volumes " + volumes);
        }
        return left;
    }

    private static List<Path> logDirectories(String podName) {
        try (Stream<Path> logs = Files.list(node.kubeletRoot().resolve("pods"))) {
            return logs.filter(p -> p.getFileName().toString().startsWith("default_" + podName + "_")).toList();
        } catch (IOException e) {
            return List.of(); // no pod logs at all
        }
    }
}
