package dev.konductor.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When a deleted object really goes: a pod at its kubelet's say, a finalized object at once. */
@Timeout(60)
class GracefulDeletionTest {

    private static TestApiServer api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        api = TestApiServer.start();
        client = api.client();
        api.createDefaultServiceAccount("default");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aPodInItsGracePeriodOutlivesItsKubeletsStatusWritesUntilTheKubeletDeletesIt() {
        client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("graceful").endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().build()).create();
        client.pods().inNamespace("default").withName("graceful").withGracePeriod(30).delete();

        Pod terminating = client.pods().inNamespace("default").withName("graceful").get();
        assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
        client.pods().inNamespace("default").resource(new PodBuilder(terminating)
                .withStatus(new PodStatusBuilder().withPhase("Failed").build()).build()).updateStatus();

        assertThat(client.pods().inNamespace("default").withName("graceful").get())
                .as("the containers may still be stopping: the status write does not end the deletion").isNotNull();
        client.pods().inNamespace("default").withName("graceful").withGracePeriod(0).delete();
        assertThat(client.pods().inNamespace("default").withName("graceful").get()).isNull();
    }

    @Test
    void removingTheLastFinalizerOfADeletedObjectRemovesIt() {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("held").addToFinalizers("example.com/hold").endMetadata().build()).create();
        client.configMaps().inNamespace("default").withName("held").delete();
        ConfigMap held = client.configMaps().inNamespace("default").withName("held").get();
        assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();

        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder(held)
                .editMetadata().withFinalizers().endMetadata().build()).update();

        assertThat(client.configMaps().inNamespace("default").withName("held").get()).isNull();
    }
}
