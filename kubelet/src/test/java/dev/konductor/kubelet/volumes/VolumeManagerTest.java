package dev.konductor.kubelet.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.kubelet.objects.FakeObjectSource;
import dev.konductor.kubelet.token.TokenManager;
import dev.konductor.kubelet.token.TokenRequester;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeManagerTest {

    @TempDir
    Path root;

    private final FakeObjectSource objects = new FakeObjectSource()
            .put(configMap("web-config", "greeting", "hello"))
            .put(new SecretBuilder().withNewMetadata().withNamespace("shop").withName("creds").endMetadata()
                    .addToData("password", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8))).build())
            .allocatable(Map.of("memory", new Quantity("8Gi")));
    private final FakeMounter mounter = new FakeMounter();
    private boolean tokenApiPresent = true;
    private final TokenRequester tokenApi = (namespace, serviceAccount, request) -> {
        if (!tokenApiPresent) {
            throw new TokenRequester.Failed("the server could not find the requested resource");
        }
        return new TokenRequestBuilder(request).withNewStatus().withToken("token-for-" + serviceAccount)
                .withExpirationTimestamp("2099-01-01T00:00:00Z").endStatus().build();
    };
    private VolumeManager manager;

    private VolumeManager manager() {
        if (manager == null) {
            manager = new VolumeManager(new VolumeHost(new PodDirectories(root.resolve("pods")), objects,
                    new TokenManager(tokenApi, Clock.systemUTC()), mounter, Clock.systemUTC()));
        }
        return manager;
    }

    private static ConfigMap configMap(String name, String key, String value) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("shop").withName(name).endMetadata()
                .addToData(key, value).build();
    }

    /** A pod whose one container mounts every volume given. */
    private static Pod pod(Volume... volumes) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withNamespace("shop").withName("web").withUid("uid-1")
                .addToLabels("app", "web").endMetadata()
                .withNewSpec().withServiceAccountName("builder").addNewContainer().withName("app").withImage("busybox")
                .endContainer().withVolumes(volumes).endSpec();
        for (Volume v : volumes) {
            pod.editSpec().editFirstContainer().addNewVolumeMount().withName(v.getName()).withMountPath("/" + v.getName())
                    .endVolumeMount().endContainer().endSpec();
        }
        return pod.build();
    }

    private Path volumeDir(String plugin, String name) {
        return root.resolve("pods/uid-1/volumes").resolve(plugin).resolve(name);
    }

    @Test
    void setsUpEachKindOfVolumeWhereUpstreamPutsIt() throws IOException {
        Pod pod = pod(
                new VolumeBuilder().withName("config").withNewConfigMap().withName("web-config").endConfigMap().build(),
                new VolumeBuilder().withName("secret").withNewSecret().withSecretName("creds").withDefaultMode(0400).endSecret().build(),
                new VolumeBuilder().withName("info").withNewDownwardAPI().addNewItem().withPath("labels").withNewFieldRef()
                        .withFieldPath("metadata.labels").endFieldRef().endItem().endDownwardAPI().build(),
                new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build(),
                new VolumeBuilder().withName("cache").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("64Mi"))
                        .endEmptyDir().build(),
                new VolumeBuilder().withName("host").withNewHostPath().withPath(root.resolve("host-data").toString())
                        .withType("DirectoryOrCreate").endHostPath().build());

        VolumeManager.Outcome outcome = manager().prepare(pod);

        assertThat(outcome.ready()).isTrue();
        assertThat(outcome.failedMounts()).isEmpty();
        assertThat(Files.readString(volumeDir("kubernetes.io~configmap", "config").resolve("greeting"))).isEqualTo("hello");
        Path password = volumeDir("kubernetes.io~secret", "secret").resolve("password");
        assertThat(Files.readString(password)).isEqualTo("s3cret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password.toRealPath()))).isEqualTo("r--------");
        assertThat(Files.readString(volumeDir("kubernetes.io~downward-api", "info").resolve("labels"))).isEqualTo("app=\"web\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(volumeDir("kubernetes.io~empty-dir", "scratch"))))
                .isEqualTo("rwxrwxrwx");
        assertThat(root.resolve("host-data")).isDirectory();
        assertThat(mounter.tmpfs).containsEntry(volumeDir("kubernetes.io~empty-dir", "cache"), OptionalLong.of(64L << 20))
                .containsEntry(volumeDir("kubernetes.io~secret", "secret"), OptionalLong.of(8L << 30))
                .containsKey(volumeDir("kubernetes.io~downward-api", "info"))
                .doesNotContainKey(volumeDir("kubernetes.io~configmap", "config"));
        Map<String, VolumeManager.MountedVolume> mounted = manager().mounted("uid-1");
        assertThat(mounted.get("config").readOnly()).isTrue();
        assertThat(mounted.get("scratch").readOnly()).isFalse();
        assertThat(mounted.get("host").hostPath()).isEqualTo(root.resolve("host-data"));
    }

    @Test
    void aConfigMapUpdateReachesTheVolumeOnTheNextSync() throws IOException {
        Pod pod = pod(new VolumeBuilder().withName("config").withNewConfigMap().withName("web-config").endConfigMap().build());
        manager().prepare(pod);

        objects.put(configMap("web-config", "greeting", "bonjour"));
        manager().prepare(pod);

        assertThat(Files.readString(volumeDir("kubernetes.io~configmap", "config").resolve("greeting"))).isEqualTo("bonjour");
    }

    @Test
    void aMissingConfigMapHoldsThePodUntilItExists() throws IOException {
        Pod pod = pod(new VolumeBuilder().withName("config").withNewConfigMap().withName("later").endConfigMap().build());

        VolumeManager.Outcome first = manager().prepare(pod);
        VolumeManager.Outcome second = manager().prepare(pod);

        assertThat(first.ready()).isFalse();
        assertThat(first.failedMounts()).containsExactly("MountVolume.SetUp failed for volume \"config\" : configmap \"later\" not found");
        assertThat(second.retryAfter().orElseThrow()).isGreaterThan(first.retryAfter().orElseThrow());

        objects.put(configMap("later", "k", "v"));
        assertThat(manager().prepare(pod).ready()).isTrue();
        assertThat(Files.readString(volumeDir("kubernetes.io~configmap", "config").resolve("k"))).isEqualTo("v");
    }

    @Test
    void optionalSourcesThatAreMissingGiveEmptyVolumes() {
        Pod pod = pod(new VolumeBuilder().withName("config").withNewConfigMap().withName("absent").withOptional(true)
                .endConfigMap().build());

        assertThat(manager().prepare(pod).ready()).isTrue();
        assertThat(volumeDir("kubernetes.io~configmap", "config").resolve("..data")).exists();
    }

    @Test
    void itemsPickKeysAndAMissingOneFails() throws IOException {
        Pod pod = pod(new VolumeBuilder().withName("config").withNewConfigMap().withName("web-config")
                .addNewItem().withKey("greeting").withPath("conf/hello.txt").withMode(0600).endItem().endConfigMap().build());
        assertThat(manager().prepare(pod).ready()).isTrue();
        assertThat(Files.readString(volumeDir("kubernetes.io~configmap", "config").resolve("conf/hello.txt"))).isEqualTo("hello");

        Pod missingKey = pod(new VolumeBuilder().withName("other").withNewConfigMap().withName("web-config")
                .addNewItem().withKey("nope").withPath("x").endItem().endConfigMap().build());
        assertThat(manager().prepare(missingKey).failedMounts()).containsExactly(
                "MountVolume.SetUp failed for volume \"other\" : configmap references non-existent config key: nope");
    }

    @Test
    void projectedVolumesCarryAServiceAccountTokenBoundToThePod() throws IOException {
        Pod pod = pod(new VolumeBuilder().withName("kube-api-access-abcde").withNewProjected().withDefaultMode(0644)
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L).endServiceAccountToken()
                .endSource()
                .addNewSource().withNewConfigMap().withName("web-config").addNewItem().withKey("greeting").withPath("greeting")
                .endItem().endConfigMap().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef()
                .withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI().endSource()
                .endProjected().build());

        assertThat(manager().prepare(pod).ready()).isTrue();

        Path dir = volumeDir("kubernetes.io~projected", "kube-api-access-abcde");
        assertThat(Files.readString(dir.resolve("token"))).isEqualTo("token-for-builder");
        assertThat(Files.readString(dir.resolve("greeting"))).isEqualTo("hello");
        assertThat(Files.readString(dir.resolve("namespace"))).isEqualTo("shop");
        assertThat(mounter.tmpfs).containsKey(dir);
    }

    @Test
    void withoutTheTokenApiTheProjectedVolumeFailsAsUpstreamWould() {
        tokenApiPresent = false;
        Pod pod = pod(new VolumeBuilder().withName("kube-api-access-abcde").withNewProjected()
                .addNewSource().withNewServiceAccountToken().withPath("token").endServiceAccountToken().endSource()
                .endProjected().build());

        VolumeManager.Outcome outcome = manager().prepare(pod);

        assertThat(outcome.ready()).isFalse();
        assertThat(outcome.failedMounts()).containsExactly("MountVolume.SetUp failed for volume \"kube-api-access-abcde\" : "
                + "failed to fetch token: the server could not find the requested resource");
        assertThat(mounter.tmpfs).isEmpty();
    }

    @Test
    void aClaimIsMountedOnceBoundToAHostPathVolume() throws IOException {
        Pod pod = pod(new VolumeBuilder().withName("data").withNewPersistentVolumeClaim().withClaimName("data")
                .endPersistentVolumeClaim().build());
        PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace("shop").withName("data")
                .withUid("claim-uid").endMetadata().withNewSpec().endSpec().withNewStatus().withPhase("Pending").endStatus().build();
        objects.put(claim);

        VolumeManager.Outcome pending = manager().prepare(pod);

        assertThat(pending.ready()).isFalse();
        assertThat(pending.failedMounts()).containsExactly("Unable to attach or mount volumes: unmounted volumes=[data], "
                + "unattached volumes=[data], failed to process volumes=[data]: error processing PVC shop/data: PVC is not bound");

        Path hostDir = Files.createDirectories(root.resolve("pv-data"));
        objects.put(new PersistentVolumeBuilder().withNewMetadata().withName("pv-1").endMetadata().withNewSpec()
                .withNewHostPath().withPath(hostDir.toString()).endHostPath()
                .withNewClaimRef().withNamespace("shop").withName("data").withUid("claim-uid").endClaimRef().endSpec().build());
        objects.put(new PersistentVolumeClaimBuilder(claim).editSpec().withVolumeName("pv-1").endSpec()
                .editStatus().withPhase("Bound").endStatus().build());

        assertThat(manager().prepare(pod).ready()).isTrue();
        assertThat(manager().mounted("uid-1").get("data").hostPath()).isEqualTo(hostDir);
    }

    @Test
    void unsupportedVolumeTypesAreNamed() {
        Pod pod = pod(new VolumeBuilder().withName("scratch").withNewEphemeral().withNewVolumeClaimTemplate().withNewSpec()
                .endSpec().endVolumeClaimTemplate().endEphemeral().build());

        VolumeManager.Outcome outcome = manager().prepare(pod);

        assertThat(outcome.ready()).isFalse();
        assertThat(outcome.failedMounts().getFirst()).contains("volume type \"ephemeral\" is not supported on this node");
    }

    @Test
    void hostPathTypeFailuresAreFailedMounts() {
        Pod pod = pod(new VolumeBuilder().withName("sock").withNewHostPath().withPath("/nonexistent/docker.sock")
                .withType("Socket").endHostPath().build());

        assertThat(manager().prepare(pod).failedMounts()).containsExactly("MountVolume.SetUp failed for volume \"sock\" : "
                + "hostPath type check failed: /nonexistent/docker.sock is not a socket file");
    }

    @Test
    void volumesNoContainerMountsAreLeftAlone() {
        Pod pod = new PodBuilder(pod()).editSpec().addNewVolume().withName("unused").withNewConfigMap().withName("missing")
                .endConfigMap().endVolume().endSpec().build();

        assertThat(manager().prepare(pod).ready()).isTrue();
    }

    @Test
    void tearDownUnmountsAndDeletesEverythingOfThePod() throws IOException {
        Pod pod = pod(new VolumeBuilder().withName("secret").withNewSecret().withSecretName("creds").endSecret().build(),
                new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build());
        manager().prepare(pod);
        Files.writeString(volumeDir("kubernetes.io~empty-dir", "scratch").resolve("data"), "x");
        Path outside = Files.writeString(root.resolve("outside"), "keep");
        Files.createSymbolicLink(volumeDir("kubernetes.io~empty-dir", "scratch").resolve("link"), outside);

        assertThat(manager().tearDown("uid-1")).isTrue();

        assertThat(mounter.tmpfs).isEmpty();
        assertThat(root.resolve("pods/uid-1")).doesNotExist();
        assertThat(outside).hasContent("keep");
        assertThat(manager().mounted("uid-1")).isEmpty();
    }

    @Test
    void orphansAreThePodDirectoriesNoKnownPodOwns() throws IOException {
        manager().prepare(pod(new VolumeBuilder().withName("secret").withNewSecret().withSecretName("creds").endSecret().build()));
        Files.createDirectories(root.resolve("pods/shop_web_uid-1")); // a log directory, not a pod directory
        Files.createDirectories(root.resolve("pods/uid-2/volumes"));

        List<String> onDisk = manager().podsOnDisk();
        manager().removeOrphans(onDisk, Set.of("uid-2"));

        assertThat(onDisk).containsExactlyInAnyOrder("uid-1", "uid-2");
        assertThat(root.resolve("pods/uid-1")).doesNotExist();
        assertThat(root.resolve("pods/uid-2")).exists();
        assertThat(root.resolve("pods/shop_web_uid-1")).exists();
        assertThat(mounter.tmpfs).isEmpty();
    }
}
