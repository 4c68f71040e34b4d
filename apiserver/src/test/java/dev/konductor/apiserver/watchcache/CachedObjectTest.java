package dev.konductor.apiserver.watchcache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.store.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachedObjectTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"shop","labels":{"app":"web"}},\
            "spec":{"nodeName":"node-2","restartPolicy":"Always","containers":[{"name":"c","image":"busybox"}],\
            "securityContext":{"seLinuxOptions":{"level":"s0"}}},"status":{"phase":"Running","podIP":"10.244.0.7"}}""";

    @Test
    void metadataOnlyJsonIsCutFromTheObjectsJsonAsSerializingItsMetadataWouldWriteIt() throws Exception {
        CachedObject o = CachedObject.decode(MAPPER, new KeyValue("/registry/pods/shop/web-1",
                POD.getBytes(StandardCharsets.UTF_8), 3, 42));
        byte[] serialized = MAPPER.writeValueAsBytes(dev.konductor.api.meta.PartialObjectMetadata.of(o.object()));

        assertThat(new String(o.metadataJson(MAPPER), StandardCharsets.UTF_8))
                .isEqualTo(new String(serialized, StandardCharsets.UTF_8))
                .startsWith("{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"name\":\"web-1\"")
                .endsWith("\"resourceVersion\":\"42\"}}");
    }

    @Test
    void metadataOnlyJsonOfWrittenAndOfMetadataLessObjectsIsAsSerializingWouldWriteIt() throws Exception {
        ObjectNode empty = (ObjectNode) MAPPER.readTree("{\"kind\":\"ConfigMap\",\"metadata\":{\"resourceVersion\":\"7\"}}");
        StoredValue value = StoredValue.encode(MAPPER, empty);
        CachedObject written = CachedObject.written(new KeyValue("/registry/k", value.bytes(), 7, 7), value, empty);
        CachedObject bare = CachedObject.decode(MAPPER, new KeyValue("/registry/k",
                "{\"kind\":\"Odd\"}".getBytes(StandardCharsets.UTF_8), 8, 8));

        for (CachedObject o : new CachedObject[] {written, bare}) {
            assertThat(new String(o.metadataJson(MAPPER), StandardCharsets.UTF_8)).isEqualTo(
                    MAPPER.writeValueAsString(dev.konductor.api.meta.PartialObjectMetadata.of(o.object())));
        }
    }

    @Test
    void aReleasedVersionAnswersSelectorsAndDecodesItsJsonAgain() throws Exception {
        CachedObject o = CachedObject.decode(MAPPER, new KeyValue("/registry/pods/shop/web-1",
                POD.getBytes(StandardCharsets.UTF_8), 3, 42));
        ObjectNode tree = o.object();
        byte[] json = o.json(MAPPER);

        o.release(MAPPER);

        assertThat(o.json(MAPPER)).isSameAs(json);
        assertThat(o.object()).isEqualTo(tree).isNotSameAs(tree);
        assertThat(o.namespace()).isEqualTo("shop");
        assertThat(o.name()).isEqualTo("web-1");
        assertThat(o.nodeName()).isEqualTo("node-2");
        assertThat(o.labels()).isEqualTo(Map.of("app", "web"));
        assertThat(o.field("spec.nodeName")).isEqualTo("node-2");
        assertThat(o.field("status.phase")).isEqualTo("Running");
        assertThat(o.field("metadata.resourceVersion")).isEqualTo("42");
        assertThat(o.field("spec.schedulerName")).isEmpty();
        assertThat(o.field("spec.securityContext.seLinuxOptions.level")).isEqualTo("s0"); // deeper: decoded
    }

    @Test
    void selectorsReadTheSameBeforeAndAfterTheRelease() throws Exception {
        CachedObject o = CachedObject.decode(MAPPER, new KeyValue("/registry/pods/shop/web-1",
                POD.getBytes(StandardCharsets.UTF_8), 3, 42));
        String[] paths = {"metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy",
            "status.podIP", "status.phase", "spec.missing", "kind"};
        String[] before = new String[paths.length];
        for (int i = 0; i < paths.length; i++) {
            before[i] = o.field(paths[i]);
        }
        Map<String, String> labels = o.labels();

        o.release(MAPPER);

        for (int i = 0; i < paths.length; i++) {
            assertThat(o.field(paths[i])).as(paths[i]).isEqualTo(before[i]);
        }
        assertThat(o.labels()).isEqualTo(labels);
    }

    @Test
    void aVersionWithoutJsonYetIsSerializedBeforeItsTreeGoes() throws Exception {
        ObjectNode tree = (ObjectNode) MAPPER.readTree(POD);
        CachedObject o = new CachedObject("/registry/pods/shop/web-1", tree, 42);

        o.release(MAPPER);

        assertThat(MAPPER.readTree(o.json(MAPPER))).isEqualTo(tree);
        assertThat(o.object()).isEqualTo(tree);
    }
}
