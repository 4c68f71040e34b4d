package dev.konductor.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class SharedStringsTest {

    private static String pod(String name, String uid) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default","uid":"%s",\
                "labels":{"app":"web"}},"spec":{"nodeName":"n1","restartPolicy":"Always",\
                "containers":[{"name":"c","image":"busybox","args":["sleep","3600"]}],"nodeSelector":{"disk":"ssd"}},\
                "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""".formatted(name, uid);
    }

    @Test
    void repeatedValuesAreOneStringAcrossDecodedObjects() {
        Pod first = LocalClients.SERIALIZATION.unmarshal(pod("web-1", "u-1"), Pod.class);
        WatchEvent event = LocalClients.SERIALIZATION.unmarshal(
                "{\"type\":\"MODIFIED\",\"object\":" + pod("web-2", "u-2") + "}", WatchEvent.class);
        Pod second = (Pod) event.getObject();

        assertThat(second).isEqualTo(new KubernetesSerialization().unmarshal(pod("web-2", "u-2"), Pod.class));
        assertThat(second.getSpec().getRestartPolicy()).isSameAs(first.getSpec().getRestartPolicy());
        assertThat(second.getSpec().getContainers().getFirst().getImage())
                .isSameAs(first.getSpec().getContainers().getFirst().getImage());
        assertThat(second.getSpec().getContainers().getFirst().getArgs().getFirst())
                .isSameAs(first.getSpec().getContainers().getFirst().getArgs().getFirst());
        assertThat(second.getMetadata().getLabels().get("app")).isSameAs(first.getMetadata().getLabels().get("app"));
        assertThat(second.getSpec().getNodeSelector().get("disk"))
                .isSameAs(first.getSpec().getNodeSelector().get("disk"));
        assertThat(second.getStatus().getConditions().getFirst().getStatus())
                .isSameAs(first.getStatus().getConditions().getFirst().getStatus());
        assertThat(second.getMetadata().getUid()).isEqualTo("u-2");
    }

    @Test
    void theTableAnswersEqualTextWithTheStringItKeptAndLongTextWithANewOne() {
        SharedStrings.Table table = new SharedStrings.Table();
        char[] buffer = "xxIfNotPresentxx".toCharArray();

        String first = table.of(buffer, 2, 12);
        String again = table.of("IfNotPresent".toCharArray(), 0, 12);
        assertThat(first).isEqualTo("IfNotPresent");
        assertThat(again).isSameAs(first);

        char[] longText = "a".repeat(SharedStrings.MAX_LENGTH + 1).toCharArray();
        String longOne = table.of(longText, 0, longText.length);
        assertThat(table.of(longText, 0, longText.length)).isEqualTo(longOne).isNotSameAs(longOne);
        assertThat(table.of(new char[0], 0, 0)).isEmpty();
    }
}
