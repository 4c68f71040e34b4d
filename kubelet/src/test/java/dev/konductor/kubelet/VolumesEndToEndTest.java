package dev.konductor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.konductor.testing.Await;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a container sees, end to end on a real node (containerd, runc, CNI, the project's images,
 * a LocalApiServer and the kubelet): environment and volumes from ConfigMaps, Secrets, the
 * downward API, emptyDir, hostPath, gitRepo and a claim, read back through the containers' own
 * logs; a ConfigMap update reaching the mounted file; a missing ConfigMap holding a container
 * until it exists; nothing left on the node once a pod is gone. Needs root, containerd, runc, the
 * CNI plugins, busybox-static and git; skipped otherwise. Cleans up everything, also on failure.
 */
class VolumesEndToEndTest {

    private static final String POD_CIDR = "10.244.161.0/24";
    private static final String BRIDGE = "kv-e2e";
    private static final String NODE = "kv-node";
    private static final String NS = "default";

    private static CriTestNode node;
    private static Path dir;
    private static KubernetesClient client;

    @BeforeAll
    static void startNode() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "skipped: git is not installed (apt-get install git)");
        node = CriTestNode.start("kv-e2e", NODE, POD_CIDR, BRIDGE);
        dir = node.dir();
        client = node.client();
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aPodDeletedWhileTheKubeletIsDownLeavesNothingOnceItIsBack() throws Exception {
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("restart-secret").endMetadata()
                .addToStringData("token", "t").build()).create();
        Pod pod = client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("orphan").endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L).withAutomountServiceAccountToken(false)
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "echo up; sleep 3600")
                .addNewVolumeMount().withName("cache").withMountPath("/cache").endVolumeMount()
                .addNewVolumeMount().withName("secret").withMountPath("/secret").endVolumeMount().endContainer()
                .addNewVolume().withName("cache").withNewEmptyDir().withMedium("Memory").endEmptyDir().endVolume()
                .addNewVolume().withName("secret").withNewSecret().withSecretName("restart-secret").endSecret().endVolume()
                .endSpec().build()).create();
        Await.until(Duration.ofSeconds(90), "orphan up", () -> log("orphan", "app").equals("up\n"));
        Path podDir = kubeletRoot().resolve("pods").resolve(pod.getMetadata().getUid());
        assertThat(mountsUnder(podDir)).hasSize(2);

        node.stopKubelet();
        client.pods().inNamespace(NS).withName("orphan").withGracePeriod(0).delete();
        Await.until(Duration.ofSeconds(60), "orphan gone from the API", () -> client.pods().inNamespace(NS).withName("orphan").get() == null);
        node.startKubelet();

        Await.until(Duration.ofSeconds(60), "housekeeping removed the orphan's directory", () -> !Files.exists(podDir));
        assertThat(mountsUnder(podDir)).isEmpty();
        Await.until(Duration.ofSeconds(60), "and its sandbox", () -> node.runtime().listPodSandboxes(
                dev.konductor.kubelet.cri.v1.PodSandboxFilter.getDefaultInstance()).stream()
                .noneMatch(sb -> sb.getMetadata().getUid().equals(pod.getMetadata().getUid())));
    }

    @Test
    void configMapsSecretsAndTheDownwardApiReachEnvAndFilesAndUpdatesFollow() throws IOException {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("app-config").endMetadata()
                .addToData("greeting", "hello").addToData("LOG_LEVEL", "debug").build()).create();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("app-secret").endMetadata()
                .addToStringData("password", "s3cret").build()).create();
        Pod pod = client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName("reader").addToLabels("app", "reader").addToAnnotations("build", "42").endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withNewResources().addToLimits("memory", new Quantity("64Mi")).endResources()
                .addNewEnv().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef("greeting", "app-config", false)
                .endValueFrom().endEnv()
                .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "app-secret", false)
                .endValueFrom().endEnv()
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef()
                .endValueFrom().endEnv()
                .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef()
                .endValueFrom().endEnv()
                .addNewEnv().withName("MEMORY_MI").withNewValueFrom().withNewResourceFieldRef().withResource("limits.memory")
                .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MESSAGE").withValue("$(GREETING) from $(POD_NAME)").endEnv()
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("app-config").endConfigMapRef().endEnvFrom()
                .withCommand("sh", "-c", String.join("; ",
                        "echo env: $MESSAGE $PASSWORD $CFG_LOG_LEVEL $MEMORY_MI ip=$POD_IP",
                        "echo api: $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT",
                        "echo file: $(cat /etc/config/greeting) $(cat /etc/secret/password)",
                        "echo labels: $(cat /etc/podinfo/labels) $(cat /etc/podinfo/annotations)",
                        "echo hostname: $(cat /etc/hostname)",
                        "grep -q 'Kubernetes-managed hosts file' /etc/hosts && grep \"$POD_IP\" /etc/hosts",
                        "touch /etc/config/x 2>/dev/null || echo config is read-only",
                        "echo finished well > /dev/termination-log",
                        "while true; do echo now: $(cat /etc/config/greeting); sleep 1; done"))
                .addNewVolumeMount().withName("config").withMountPath("/etc/config").endVolumeMount()
                .addNewVolumeMount().withName("secret").withMountPath("/etc/secret").endVolumeMount()
                .addNewVolumeMount().withName("podinfo").withMountPath("/etc/podinfo").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("config").withNewConfigMap().withName("app-config").endConfigMap().endVolume()
                .addNewVolume().withName("secret").withNewSecret().withSecretName("app-secret").endSecret().endVolume()
                .addNewVolume().withName("podinfo").withNewDownwardAPI()
                .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem()
                .addNewItem().withPath("annotations").withNewFieldRef().withFieldPath("metadata.annotations['build']").endFieldRef()
                .endItem().endDownwardAPI().endVolume()
                .endSpec().build()).create();

        Await.until(Duration.ofSeconds(90), "reader logs its view", () -> log("reader", "app").contains("now: hello"));
        String podIp = client.pods().inNamespace(NS).withName("reader").get().getStatus().getPodIP();
        assertThat(log("reader", "app")).contains(
                "env: hello from reader s3cret debug 64 ip=" + podIp + "\n",
                "api: 10.96.0.1:443\n",
                "file: hello s3cret\n",
                "labels: app=\"reader\" 42\n",
                "hostname: reader\n",
                podIp + "\treader\n",
                "config is read-only\n");
        Path termination = kubeletRoot().resolve("pods").resolve(pod.getMetadata().getUid()).resolve("containers/app/0");
        Await.until("termination message written", () -> read(termination).equals("finished well\n"));

        client.configMaps().inNamespace(NS).withName("app-config")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("greeting", "bonjour").build());
        Await.until(Duration.ofSeconds(90), "the update reaches the mounted file", () -> log("reader", "app").contains("now: bonjour"));

        deleteAndCheckNothingIsLeft(pod);
    }

    @Test
    void emptyDirIsSharedAndHostPathAndClaimsMount() throws IOException {
        Path hostDir = Files.createDirectories(dir.resolve("host-data"));
        Files.writeString(hostDir.resolve("from-host.txt"), "written by the node\n");
        Path pvDir = Files.createDirectories(dir.resolve("pv-data"));
        Files.writeString(pvDir.resolve("existing.txt"), "kept on the volume\n");
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withVolumeName("kv-pv").withStorageClassName("")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("kv-pv").endMetadata()
                .withNewSpec().addToCapacity("storage", new Quantity("1Gi")).withAccessModes("ReadWriteOnce")
                .withStorageClassName("").withNewHostPath().withPath(pvDir.toString()).withType("Directory").endHostPath()
                .withNewClaimRef().withNamespace(NS).withName("data").withUid(claim.getMetadata().getUid()).endClaimRef()
                .endSpec().build()).create();
        client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder(claim)
                .withNewStatus().withPhase("Bound").withAccessModes("ReadWriteOnce").addToCapacity("storage", new Quantity("1Gi"))
                .endStatus().build()).updateStatus();

        Pod pod = client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("sharing").endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("writer").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", String.join("; ",
                        "echo shared hello > /shared/msg",
                        "grep ' /cache tmpfs ' /proc/mounts > /dev/null && echo cache is tmpfs",
                        "cat /host/from-host.txt /data/existing.txt",
                        "echo written by the pod > /data/from-pod.txt",
                        "ls /created-by-kubelet > /dev/null && echo directory was created",
                        "sleep 3600"))
                .addNewVolumeMount().withName("shared").withMountPath("/shared").endVolumeMount()
                .addNewVolumeMount().withName("cache").withMountPath("/cache").endVolumeMount()
                .addNewVolumeMount().withName("host").withMountPath("/host").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("created").withMountPath("/created-by-kubelet").endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .endContainer()
                .addNewContainer().withName("reader").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "until [ -f /in/msg ]; do sleep 1; done; cat /in/msg; sleep 3600")
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef()
                .endValueFrom().endEnv()
                .addNewVolumeMount().withName("shared").withMountPath("/in").endVolumeMount()
                .addNewVolumeMount().withName("shared").withMountPath("/logs").withSubPathExpr("logs/$(POD_NAME)").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("shared").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("cache").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("16Mi"))
                .endEmptyDir().endVolume()
                .addNewVolume().withName("host").withNewHostPath().withPath(hostDir.toString()).withType("Directory").endHostPath()
                .endVolume()
                .addNewVolume().withName("created").withNewHostPath().withPath(dir.resolve("made/by/kubelet").toString())
                .withType("DirectoryOrCreate").endHostPath().endVolume()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim()
                .endVolume()
                .endSpec().build()).create();

        Await.until(Duration.ofSeconds(90), "writer done", () -> log("sharing", "writer").contains("directory was created"));
        assertThat(log("sharing", "writer")).isEqualTo(
                "cache is tmpfs\nwritten by the node\nkept on the volume\ndirectory was created\n");
        Await.until(Duration.ofSeconds(60), "reader sees the writer's file", () -> log("sharing", "reader").startsWith("shared hello\n"));
        assertThat(pvDir.resolve("from-pod.txt")).hasContent("written by the pod");
        assertThat(dir.resolve("made/by/kubelet")).isDirectory();
        Path emptyDir = kubeletRoot().resolve("pods").resolve(pod.getMetadata().getUid()).resolve("volumes/kubernetes.io~empty-dir");
        assertThat(emptyDir.resolve("shared/logs/sharing")).isDirectory();

        deleteAndCheckNothingIsLeft(pod);
        assertThat(pvDir.resolve("from-pod.txt")).as("a claim's data outlives the pod").exists();
        assertThat(hostDir.resolve("from-host.txt")).exists();
    }

    @Test
    void aGitRepoVolumeClonesALocalRepository() throws Exception {
        Path origin = Files.createDirectories(dir.resolve("origin"));
        git(origin, "init", "-q", "-b", "main");
        Files.writeString(origin.resolve("README"), "cloned from git\n");
        git(origin, "add", "README");
        git(origin, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "first");
        String revision = git(origin, "rev-parse", "HEAD").strip();

        Pod pod = client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("git").endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "cat /repo/site/README; sleep 3600")
                .addNewVolumeMount().withName("repo").withMountPath("/repo").endVolumeMount().endContainer()
                .addNewVolume().withName("repo").withNewGitRepo().withRepository("file://" + origin).withDirectory("site")
                .withRevision(revision).endGitRepo().endVolume()
                .endSpec().build()).create();

        Await.until(Duration.ofSeconds(90), "the clone is read", () -> log("git", "app").equals("cloned from git\n"));

        deleteAndCheckNothingIsLeft(pod);
    }

    @Test
    void aMissingConfigMapHoldsTheContainerUntilItIsCreated() throws IOException {
        Pod pod = client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("waiting").endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "echo mode=$MODE; sleep 3600")
                .addNewEnv().withName("MODE").withNewValueFrom().withNewConfigMapKeyRef("mode", "late-config", false)
                .endValueFrom().endEnv().endContainer()
                .endSpec().build()).create();

        Await.until(Duration.ofSeconds(90), "CreateContainerConfigError", () -> {
            ContainerStatus s = containerStatus("waiting");
            return s != null && s.getState().getWaiting() != null
                    && "CreateContainerConfigError".equals(s.getState().getWaiting().getReason());
        });
        assertThat(containerStatus("waiting").getState().getWaiting().getMessage()).isEqualTo("configmap \"late-config\" not found");
        Await.untilAsserted(() -> assertThat(events("waiting")).contains("Failed: Error: configmap \"late-config\" not found"));

        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("late-config").endMetadata()
                .addToData("mode", "late").build()).create();

        Await.until(Duration.ofSeconds(60), "started once the ConfigMap exists", () -> log("waiting", "app").equals("mode=late\n"));
        deleteAndCheckNothingIsLeft(pod);
    }

    @Test
    void volumesThatCannotBeSetUpGiveFailedMountEvents() throws IOException {
        client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("unbound").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().build()).create();
        Pod pod = client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("unmountable").endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sleep", "3600")
                .addNewVolumeMount().withName("config").withMountPath("/config").endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .addNewVolumeMount().withName("sock").withMountPath("/sock").endVolumeMount().endContainer()
                .addNewVolume().withName("config").withNewConfigMap().withName("no-such-config").endConfigMap().endVolume()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("unbound").endPersistentVolumeClaim()
                .endVolume()
                .addNewVolume().withName("sock").withNewHostPath().withPath(dir.resolve("no.sock").toString()).withType("Socket")
                .endHostPath().endVolume()
                .endSpec().build()).create();

        Await.until(Duration.ofSeconds(60), "FailedMount events", () -> events("unmountable").size() >= 3);
        Await.untilAsserted(() -> assertThat(events("unmountable")).contains(
                    "FailedMount: MountVolume.SetUp failed for volume \"config\" : configmap \"no-such-config\" not found",
                    "FailedMount: MountVolume.SetUp failed for volume \"sock\" : hostPath type check failed: "
                            + dir.resolve("no.sock") + " is not a socket file",
                    "FailedMount: Unable to attach or mount volumes: unmounted volumes=[config data sock], unattached volumes=[config"
                            + " data sock], failed to process volumes=[data]: error processing PVC default/unbound: PVC is not bound"));
        Await.until("the container waits in ContainerCreating", () -> {
            ContainerStatus s = containerStatus("unmountable");
            return s != null && s.getState().getWaiting() != null && "ContainerCreating".equals(s.getState().getWaiting().getReason());
        });
        assertThat(client.pods().inNamespace(NS).withName("unmountable").get().getStatus().getPhase()).isEqualTo("Pending");

        deleteAndCheckNothingIsLeft(pod);
    }

    /**
     * Deletes the pod and checks that, by the time its API object is gone, the kubelet has
     * removed its volumes: the kubelet deletes the object only once nothing of the pod is left.
     */
    private static void deleteAndCheckNothingIsLeft(Pod pod) throws IOException {
        String name = pod.getMetadata().getName();
        client.pods().inNamespace(NS).withName(name).delete();
        Await.until(Duration.ofSeconds(60), "pod " + name + " gone", () -> client.pods().inNamespace(NS).withName(name).get() == null);
        Path podDir = kubeletRoot().resolve("pods").resolve(pod.getMetadata().getUid());
        assertThat(mountsUnder(podDir)).as("mounts of the pod").isEmpty();
        assertThat(podDir).as("the pod's directory").doesNotExist();
    }

    private static String log(String pod, String container) {
        try {
            String log = client.pods().inNamespace(NS).withName(pod).inContainer(container).getLog();
            return log == null ? "" : log;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static List<String> events(String pod) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName()))
                .filter(e -> !List.of("Pulling", "Pulled", "Created", "Started", "Killing").contains(e.getReason()))
                .map((Event e) -> e.getReason() + ": " + e.getMessage()).toList();
    }

    private static ContainerStatus containerStatus(String name) {
        Pod pod = client.pods().inNamespace(NS).withName(name).get();
        return pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                || pod.getStatus().getContainerStatuses().isEmpty() ? null : pod.getStatus().getContainerStatuses().getFirst();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static Path kubeletRoot() {
        return node.kubeletRoot();
    }

    private static String git(Path where, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(where.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private static List<String> mountsUnder(Path under) throws IOException {
        return CriTestNode.mountsUnder(under);
    }
}
