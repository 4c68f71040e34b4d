package dev.konductor.apiserver.watchcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.store.KeyValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoredJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":{\"a\":\"é\"}},\"spec\":{\"x\":[1,2.5,null]}}",
        "{\"kind\":\"ConfigMap\",\"metadata\":{},\"data\":{\"k\":\"v\"}}",
        "{ \"kind\" : \"ConfigMap\", \"metadata\" : { \"name\" : \"pretty\" } }",
        "{ \"kind\" : \"ConfigMap\", \"metadata\" : { } }",
    })
    void aDecodedObjectsJsonIsWhatSerializingItGives(String stored) throws Exception {
        CachedObject o = CachedObject.decode(MAPPER, new KeyValue("/registry/k", bytes(stored), 3, 42));

        ObjectNode expected = (ObjectNode) MAPPER.readTree(stored);
        expected.withObject("metadata").put("resourceVersion", "42");
        assertThat(o.object()).isEqualTo(expected);
        assertThat(MAPPER.readTree(o.json(MAPPER))).isEqualTo(expected);
        if (!stored.contains(" ")) { // compact, as the server stores: byte for byte what serializing gives
            assertThat(new String(o.json(MAPPER), StandardCharsets.UTF_8)).isEqualTo(MAPPER.writeValueAsString(expected));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"kind\":\"Odd\",\"data\":{}}",
        "{\"kind\":\"Odd\",\"metadata\":{\"name\":\"n\",\"resourceVersion\":\"7\"}}",
        "{\"kind\":\"Odd\",\"metadata\":{\"name\":\"a\"},\"metadata\":{\"name\":\"b\"}}",
    })
    void oddValuesAreServedBySerializingTheirTree(String stored) throws Exception {
        CachedObject decoded = CachedObject.decode(MAPPER, new KeyValue("/registry/k", bytes(stored), 3, 42));

        assertThat(decoded.object().path("metadata").path("resourceVersion").asText()).isEqualTo("42");
        assertThat(MAPPER.readTree(decoded.json(MAPPER))).isEqualTo(decoded.object());
    }

    @Test
    void aValueThatIsNoObjectOrHasNoObjectMetadataIsUndecodable() {
        for (String stored : new String[] {"[1]", "{\"kind\":\"Odd\",\"metadata\":\"text\"}"}) {
            assertThatThrownBy(() -> CachedObject.decode(MAPPER, new KeyValue("/registry/k", bytes(stored), 3, 42)))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"uid\":\"u\"},\"status\":{\"phase\":\"Running\"}}",
        "{\"kind\":\"ConfigMap\",\"metadata\":{}}",
        "{\"kind\":\"Odd\"}",
    })
    void aWrittenObjectsJsonComesFromItsStoredBytes(String stored) throws Exception {
        ObjectNode object = (ObjectNode) MAPPER.readTree(stored);
        object.withObject("metadata").put("resourceVersion", "9");
        ObjectNode withoutRevision = object.deepCopy();
        withoutRevision.withObject("metadata").remove("resourceVersion");

        StoredValue value = StoredValue.encode(MAPPER, object);
        CachedObject written = CachedObject.written(new KeyValue("/registry/k", value.bytes(), 9, 9), value, object);

        assertThat(new String(value.bytes(), StandardCharsets.UTF_8)).isEqualTo(MAPPER.writeValueAsString(withoutRevision));
        assertThat(object.path("metadata").path("resourceVersion").asText()).as("left as it was").isEqualTo("9");
        assertThat(new String(written.json(MAPPER), StandardCharsets.UTF_8)).isEqualTo(MAPPER.writeValueAsString(object));
    }

    @Test
    void anObjectWithoutMetadataIsStoredAsItIsAndServedFromItsTree() throws Exception {
        ObjectNode object = (ObjectNode) MAPPER.readTree("{\"kind\":\"Odd\",\"data\":{\"resourceVersion\":\"x\"}}");

        StoredValue value = StoredValue.encode(MAPPER, object);

        assertThat(value.metadataEnd()).isEqualTo(-1);
        assertThat(new String(value.bytes(), StandardCharsets.UTF_8)).isEqualTo(MAPPER.writeValueAsString(object));
        assertThat(CachedObject.written(new KeyValue("/registry/k", value.bytes(), 9, 9), value, object).json(MAPPER))
                .isEqualTo(MAPPER.writeValueAsBytes(object));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
