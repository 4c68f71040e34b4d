package dev.konductor.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class StreamingWatchEventsTest {

    private final StreamingWatchEvents streaming = new StreamingWatchEvents(new ObjectMapper(), false);
    private final KubernetesSerialization fabric8 = new KubernetesSerialization();

    private static final String POD = """
            {"type":"MODIFIED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"default",\
            "resourceVersion":"42","labels":{"app":"web"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet",\
            "name":"web","uid":"u1","controller":true}]},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"busybox",\
            "resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]},"status":{"phase":"Running","conditions":[{"type":"Ready",\
            "status":"True"}]},"somethingNew":{"a":1}}}""";

    @Test
    void aPodIsReadInOnePassAndEqualsWhatFabric8Reads() {
        WatchEvent event = streaming.readWatchEvent(POD);

        assertThat(event).isNotNull();
        assertThat(event.getType()).isEqualTo("MODIFIED");
        assertThat(event.getObject()).isInstanceOf(Pod.class);
        assertThat(event.getObject()).isEqualTo(fabric8.unmarshal(POD, WatchEvent.class).getObject());
        Pod pod = (Pod) event.getObject();
        assertThat(pod.getApiVersion()).isEqualTo("v1");
        assertThat(pod.getKind()).isEqualTo("Pod");
        assertThat(pod.getSpec().getContainers().get(0).getResources().getRequests().get("cpu").toString()).isEqualTo("10m");
        assertThat(pod.getAdditionalProperties()).containsKey("somethingNew");
    }

    @Test
    void kindBeforeApiVersionAndOtherGroupsWorkToo() {
        String json = """
                {"type":"ADDED","object":{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web"},"spec":{"replicas":3}}}""";

        WatchEvent event = streaming.readWatchEvent(json);

        assertThat(event.getObject()).isInstanceOf(Deployment.class);
        assertThat(((Deployment) event.getObject()).getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void errorsAndBookmarksAreRead() {
        WatchEvent error = streaming.readWatchEvent("""
                {"type":"ERROR","object":{"apiVersion":"v1","kind":"Status","status":"Failure","reason":"Expired","code":410}}""");
        WatchEvent bookmark = streaming.readWatchEvent("""
                {"type":"BOOKMARK","object":{"apiVersion":"v1","kind":"Pod","metadata":{"resourceVersion":"77"}}}""");

        assertThat(((Status) error.getObject()).getCode()).isEqualTo(410);
        assertThat(((Pod) bookmark.getObject()).getMetadata().getResourceVersion()).isEqualTo("77");
    }

    @Test
    void kindsWithoutAClassAreGenericResourcesAsFabric8ReadsThem() {
        String custom = """
                {"type":"ADDED","object":{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":2}}}""";
        String metadataOnly = """
                {"type":"MODIFIED","object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"x",\
                "namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web","uid":"u"}]}}}""";

        for (String json : new String[] {custom, metadataOnly}) {
            WatchEvent event = streaming.readWatchEvent(json);
            assertThat(event.getObject()).isInstanceOf(GenericKubernetesResource.class)
                    .isEqualTo(fabric8.unmarshal(json, WatchEvent.class).getObject());
        }
    }

    @Test
    void whatItCannotReadInOnePassGoesFabric8sWay() {
        String otherOrder = """
                {"type":"ADDED","object":{"metadata":{"name":"p"},"apiVersion":"v1","kind":"Pod"}}""";

        assertThat(streaming.readWatchEvent(otherOrder)).isNull();
        assertThat(streaming.readWatchEvent("{not json")).isNull();
        assertThat(streaming.unmarshal(otherOrder, WatchEvent.class).getObject()).isInstanceOf(Pod.class);
    }

    @Test
    void watchesReceivingTheSameEventShareOneDecodedObject() {
        String sameText = new String(POD.toCharArray()); // another watch's copy of the text

        WatchEvent first = streaming.unmarshal(POD, WatchEvent.class);
        WatchEvent second = streaming.unmarshal(sameText, WatchEvent.class);

        assertThat(second).isNotSameAs(first);
        assertThat(second.getType()).isEqualTo("MODIFIED");
        assertThat(second.getObject()).isSameAs(first.getObject());
    }

    @Test
    void anyOtherTextIsDecodedAfresh() {
        String added = POD.replace("\"MODIFIED\"", "\"ADDED\"");
        String newer = POD.replace("\"resourceVersion\":\"42\"", "\"resourceVersion\":\"43\"");
        StreamingWatchEvents.RecentEvents recent = new StreamingWatchEvents.RecentEvents();
        WatchEvent event = streaming.readWatchEvent(POD);

        recent.remember(POD, event);

        assertThat(recent.find(new String(POD.toCharArray()))).isSameAs(event);
        assertThat(recent.find(added)).isNull();
        assertThat(recent.find(newer)).isNull();
        assertThat(streaming.unmarshal(POD, WatchEvent.class).getType()).isEqualTo("MODIFIED");
        assertThat(streaming.unmarshal(added, WatchEvent.class).getType()).isEqualTo("ADDED");
        assertThat(((Pod) streaming.unmarshal(newer, WatchEvent.class).getObject()).getMetadata().getResourceVersion())
                .isEqualTo("43");
    }

    @Test
    void withoutManagedFieldsTheEventIsReadAsIfTheyWereNotThere() {
        String withManaged = POD.replace("\"resourceVersion\":\"42\",", "\"resourceVersion\":\"42\",\"managedFields\":"
                + "[{\"manager\":\"kubelet\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:status\":{}}}],");
        StreamingWatchEvents skipping = new StreamingWatchEvents(new ObjectMapper(), true);

        Pod pod = (Pod) skipping.unmarshal(withManaged, WatchEvent.class).getObject();

        assertThat(pod.getMetadata().getManagedFields()).isEmpty();
        assertThat(pod).isEqualTo(streaming.readWatchEvent(POD).getObject());
    }

    @Test
    void responsesAreReadWithoutManagedFieldsToo() {
        String pod = POD.substring(POD.indexOf("\"object\":") + "\"object\":".length(), POD.length() - 1)
                .replace("\"resourceVersion\":\"42\",", "\"resourceVersion\":\"42\",\"managedFields\":"
                        + "[{\"manager\":\"kubelet\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:status\":{}}}],");
        StreamingWatchEvents skipping = new StreamingWatchEvents(new ObjectMapper(), true);

        Pod read = skipping.unmarshal(new java.io.ByteArrayInputStream(pod.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Pod.class);

        assertThat(read.getMetadata().getManagedFields()).isEmpty();
        assertThat(read).isEqualTo(streaming.readWatchEvent(POD).getObject());
        assertThat(streaming.unmarshal(new java.io.ByteArrayInputStream(pod.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Pod.class).getMetadata().getManagedFields()).hasSize(1);
    }
}
