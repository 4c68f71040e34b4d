package dev.konductor.apiserver.watchcache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.store.KeyValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SharedFieldSetsTest {

    private static final ObjectMapper DECODER = CompactNodeFactory.decoderFrom(new ObjectMapper());

    private static String pod(String name, String fieldsV1) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default","managedFields":[
                {"manager":"kubectl","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":%s}]},
                "spec":{"containers":[{"name":"c","image":"busybox"}]}}""".formatted(name, fieldsV1);
    }

    private static CachedObject decode(SharedFieldSets sets, String json, long revision) throws Exception {
        KeyValue kv = new KeyValue("/registry/pods/default/x" + revision, json.getBytes(StandardCharsets.UTF_8),
                revision, revision);
        return CachedObject.decode(DECODER, kv, sets);
    }

    private static JsonNode fieldsOf(CachedObject o) {
        return o.object().path("metadata").path("managedFields").path(0).path("fieldsV1");
    }

    @Test
    void podsWithTheSameFieldsShareOneTree() throws Exception {
        SharedFieldSets sets = new SharedFieldSets();
        String fields = "{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"c\\\"}\":{\".\":{},\"f:image\":{}}}}}";

        CachedObject first = decode(sets, pod("a", fields), 2);
        CachedObject second = decode(sets, pod("b", fields), 3);

        assertThat(fieldsOf(second)).isSameAs(fieldsOf(first));
        assertThat(second.object().path("metadata").path("name").asText()).isEqualTo("b");
        assertThat(new String(second.json(DECODER), StandardCharsets.UTF_8)).contains("\"name\":\"b\"");
    }

    @Test
    void differentFieldsOrTheSameInAnotherOrderAreNotShared() throws Exception {
        SharedFieldSets sets = new SharedFieldSets();
        CachedObject first = decode(sets, pod("a", "{\"f:metadata\":{},\"f:spec\":{}}"), 2);
        CachedObject reordered = decode(sets, pod("b", "{\"f:spec\":{},\"f:metadata\":{}}"), 3);
        CachedObject other = decode(sets, pod("c", "{\"f:spec\":{\"f:nodeName\":{}}}"), 4);

        assertThat(fieldsOf(reordered)).isNotSameAs(fieldsOf(first));
        assertThat(fieldsOf(reordered).fieldNames().next()).isEqualTo("f:spec");
        assertThat(fieldsOf(other)).isNotSameAs(fieldsOf(first)).isNotSameAs(fieldsOf(reordered));
    }

    @Test
    void comparesKeyOrderAtEveryLevel() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode a = (ObjectNode) mapper.createObjectNode().set("f:spec", mapper.createObjectNode().put("x", 1).put("y", 2));
        ObjectNode b = (ObjectNode) mapper.createObjectNode().set("f:spec", mapper.createObjectNode().put("y", 2).put("x", 1));

        assertThat(a).isEqualTo(b); // Jackson's equality ignores the order
        assertThat(SharedFieldSets.sameInOrder(a, b)).isFalse();
        assertThat(SharedFieldSets.sameInOrder(a, a.deepCopy())).isTrue();
    }

    @Test
    void objectsWithoutManagedFieldsAreLeftAsTheyAre() throws Exception {
        SharedFieldSets sets = new SharedFieldSets();
        CachedObject plain = decode(sets, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}", 2);

        assertThat(plain.object().path("metadata").has("managedFields")).isFalse();
    }
}
