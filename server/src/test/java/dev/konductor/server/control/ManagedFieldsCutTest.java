package dev.konductor.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ManagedFieldsCutTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String MANAGED = """
            [{"manager":"kubelet","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":\
            {"f:ownerReferences":{"k:{\\"uid\\":\\"u-1\\"}":{}}},"f:spec":{"f:renewTime":{}}}}]""";

    @Test
    void theObjectsManagedFieldsGoAndNothingElseChanges() throws Exception {
        String event = """
                {"type":"MODIFIED","object":{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":\
                {"name":"n1","namespace":"kube-node-lease","labels":{"a":"}{\\"]"},"managedFields":%s,\
                "resourceVersion":"7"},"spec":{"holderIdentity":"n1"}}}""".formatted(MANAGED);

        String cut = ManagedFieldsCut.of(event);

        ObjectNode expected = (ObjectNode) JSON.readTree(event);
        ((ObjectNode) expected.path("object").path("metadata")).remove("managedFields");
        assertThat(JSON.readTree(cut)).isEqualTo(expected);
        assertThat(cut).doesNotContain("managedFields");
    }

    @Test
    void aFirstOrLastMemberTakesItsOwnCommaWithIt() throws Exception {
        String first = """
                {"type":"ADDED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"managedFields":%s,"name":"p"}}}"""
                .formatted(MANAGED);
        String last = """
                { "type" : "ADDED" , "object" : { "apiVersion":"v1", "kind":"Pod", "metadata" : { "name" : "p" ,
                  "managedFields" : %s } } }""".formatted(MANAGED);

        for (String event : new String[] {first, last}) {
            JsonNode metadata = JSON.readTree(ManagedFieldsCut.of(event)).path("object").path("metadata");

            assertThat(metadata.toString()).isEqualTo("{\"name\":\"p\"}");
        }
    }

    @Test
    void theSameNameElsewhereIsLeftAlone() {
        String configMap = """
                {"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c",\
                "annotations":{"note":"\\"managedFields\\":[]"}},"data":{"managedFields":"[1]"}}}""";
        String status = """
                {"type":"ERROR","object":{"apiVersion":"v1","kind":"Status","message":"\\"managedFields\\":"}}""";

        assertThat(ManagedFieldsCut.of(configMap)).isSameAs(configMap);
        assertThat(ManagedFieldsCut.of(status)).isSameAs(status);
    }

    @Test
    void textThatIsNotAWholeEventIsReturnedAsItIs() {
        String truncated = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"managedFields\":[{\"manager\":\"x\"";
        String notAnObject = "{\"type\":\"ADDED\",\"object\":[\"managedFields\"]}";

        assertThat(ManagedFieldsCut.of(truncated)).isSameAs(truncated);
        assertThat(ManagedFieldsCut.of(notAnObject)).isSameAs(notAnObject);
        assertThat(ManagedFieldsCut.of("{\"managedFields\"")).isEqualTo("{\"managedFields\"");
    }

    @Test
    void aResponsesObjectLosesItsManagedFieldsToo() throws Exception {
        String lease = """
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"n1","managedFields":%s,\
                "resourceVersion":"7"},"spec":{"holderIdentity":"n1"}}""".formatted(MANAGED);
        String list = """
                {"apiVersion":"v1","kind":"PodList","metadata":{"resourceVersion":"9"},"items":[]}""";

        assertThat(JSON.readTree(ManagedFieldsCut.ofObject(lease)).path("metadata").toString())
                .isEqualTo("{\"name\":\"n1\",\"resourceVersion\":\"7\"}");
        assertThat(ManagedFieldsCut.ofObject(list)).isSameAs(list);
        assertThat(ManagedFieldsCut.of(lease)).isSameAs(lease); // not an event
    }
}
