package dev.konductor.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmptyAdditionalPropertiesTest {

    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"default","labels":{"app":"web"}},\
            "spec":{"nodeName":"n1","containers":[{"name":"c","image":"busybox","somethingNew":true}]},\
            "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""";

    private final KubernetesSerialization fabric8 = new KubernetesSerialization();

    @Test
    void decodedObjectsShareOneEmptyMapAndKeepWhatTheyCarry() {
        Pod pod = LocalClients.SERIALIZATION.unmarshal(POD, Pod.class);

        assertThat(pod).isEqualTo(fabric8.unmarshal(POD, Pod.class));
        assertThat(pod.getAdditionalProperties()).isSameAs(Map.of());
        assertThat(pod.getSpec().getAdditionalProperties()).isSameAs(Map.of());
        assertThat(pod.getStatus().getConditions().getFirst().getAdditionalProperties()).isSameAs(Map.of());
        assertThat(pod.getSpec().getContainers().getFirst().getAdditionalProperties())
                .containsEntry("somethingNew", true);

        Pod edited = new PodBuilder(pod).editSpec().addToAdditionalProperties("added", 1).endSpec().build();
        assertThat(edited.getSpec().getAdditionalProperties()).containsEntry("added", 1);
        assertThat(pod.getSpec().getAdditionalProperties()).isEmpty();
    }

    @Test
    void listsWatchEventsAndGenericResourcesToo() {
        PodList list = LocalClients.SERIALIZATION.unmarshal(
                "{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{},\"items\":[" + POD + "]}", PodList.class);
        assertThat(list.getItems().getFirst().getSpec().getAdditionalProperties()).isSameAs(Map.of());

        WatchEvent event = LocalClients.SERIALIZATION.unmarshal("{\"type\":\"ADDED\",\"object\":" + POD + "}",
                WatchEvent.class);
        assertThat(((Pod) event.getObject()).getMetadata().getAdditionalProperties()).isSameAs(Map.of());

        GenericKubernetesResource generic = LocalClients.SERIALIZATION.unmarshal(
                "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"size\":3}}",
                GenericKubernetesResource.class);
        assertThat(generic.getAdditionalProperties()).containsKey("spec");
        generic.setAdditionalProperty("status", Map.of());
    }
}
