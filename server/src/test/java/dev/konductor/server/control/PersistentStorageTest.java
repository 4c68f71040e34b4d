package dev.konductor.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.server.datadir.DataDir;
import dev.konductor.server.net.Cidr;
import dev.konductor.server.net.HostAddresses;
import dev.konductor.store.Stores;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default cluster's storage, with every real part but containers: API server, controller
 * manager, scheduler and a simulated node. A StatefulSet's claims are provisioned on the node its
 * pods are scheduled to and bound; a deleted claim's volume goes, data and all.
 */
class PersistentStorageTest {

    @TempDir
    Path dir;

    @Test
    void statefulSetClaimsAreProvisionedBoundAndDeletedWithTheirData() throws Exception {
        ServerOptions options = new ServerOptions(DataDir.create(dir), Optional.of(InetAddress.getLoopbackAddress()),
                0, "sqlite", NodeRuntime.SIM, Cidr.parse("10.96.0.0/12"), Optional.empty(), Optional.empty());
        try (ControlPlane controlPlane = new ControlPlane(options, HostAddresses.discover(), Stores::open,
                Clock.systemUTC())) {
            controlPlane.start();
            try (KubernetesClient client = LocalClients.fromKubeconfig(options.dataDir().kubeconfig())) {
                await("the default service account", () ->
                        client.serviceAccounts().inNamespace("default").withName("default").get() != null);
                client.apps().statefulSets().inNamespace("default").resource(new StatefulSetBuilder()
                        .withNewMetadata().withName("web").endMetadata().withNewSpec().withReplicas(2)
                        .withServiceName("web").withNewSelector().addToMatchLabels("app", "web").endSelector()
                        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                        .addNewContainer().withName("nginx").withImage("nginx").addNewVolumeMount().withName("www")
                        .withMountPath("/usr/share/nginx/html").endVolumeMount().endContainer().endSpec().endTemplate()
                        .addNewVolumeClaimTemplate().withNewMetadata().withName("www").endMetadata().withNewSpec()
                        .withAccessModes("ReadWriteOnce").withNewResources()
                        .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().endVolumeClaimTemplate()
                        .endSpec().build()).create();

                await("both pods run", () -> client.pods().inNamespace("default").withLabel("app", "web").list()
                        .getItems().stream().filter(p -> "Running".equals(p.getStatus().getPhase())).count() == 2);
                for (String claimName : List.of("www-web-0", "www-web-1")) {
                    PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace("default")
                            .withName(claimName).get();
                    assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
                    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("standard");
                    PersistentVolume volume = client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
                    assertThat(volume.getStatus().getPhase()).isEqualTo("Bound");
                    assertThat(volume.getSpec().getHostPath().getPath())
                            .isEqualTo(dir.resolve("storage").resolve(volume.getMetadata().getName()).toString());
                    Pod pod = client.pods().inNamespace("default").withName(claimName.substring("www-".length())).get();
                    assertThat(claim.getMetadata().getAnnotations())
                            .containsEntry("volume.kubernetes.io/selected-node", pod.getSpec().getNodeName());
                }

                client.apps().statefulSets().inNamespace("default").withName("web").scale(1);
                await("web-1 is gone", () -> client.pods().inNamespace("default").withName("web-1").get() == null);
                String volumeName = client.persistentVolumeClaims().inNamespace("default").withName("www-web-1").get()
                        .getSpec().getVolumeName();
                client.persistentVolumeClaims().inNamespace("default").withName("www-web-1").delete();

                await("the released volume is deleted after a helper pod cleans up on the node",
                        () -> client.persistentVolumes().withName(volumeName).get() == null);
                assertThat(client.persistentVolumeClaims().inNamespace("default").withName("www-web-0").get()
                        .getStatus().getPhase()).isEqualTo("Bound");
            }
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // an object in between states: look again
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
