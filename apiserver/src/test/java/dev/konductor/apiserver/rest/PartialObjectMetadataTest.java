package dev.konductor.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metadata-only reads, as client-go's metadata client makes them (Accept:
 * {@code as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1}): objects reduced to their metadata.
 */
class PartialObjectMetadataTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIST_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
            + "application/json";
    private static final String OBJECT_ACCEPT = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,"
            + "application/json";
    private static TestApiServer api;

    @BeforeAll
    static void start() {
        api = TestApiServer.start();
        api.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("settings").addToLabels("app", "web").endMetadata().withData(Map.of("secret-ish", "v"))
                .build()).create();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aGetReturnsTheMetadataAlone() throws Exception {
        JsonNode partial = JSON.readTree(api.request("GET", "/api/v1/namespaces/default/configmaps/settings",
                OBJECT_ACCEPT, null, null).body());

        assertThat(partial.path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(partial.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(partial.path("metadata").path("labels").path("app").asText()).isEqualTo("web");
        assertThat(fieldNames(partial)).containsExactlyInAnyOrder("kind", "apiVersion", "metadata");
    }

    @Test
    void aListIsAPartialObjectMetadataListAtTheListsResourceVersion() throws Exception {
        JsonNode list = JSON.readTree(api.request("GET", "/api/v1/namespaces/default/configmaps", LIST_ACCEPT,
                null, null).body());

        assertThat(list.path("kind").asText()).isEqualTo("PartialObjectMetadataList");
        assertThat(list.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(list.path("metadata").path("resourceVersion").asText()).isNotEmpty();
        JsonNode item = StreamSupport.stream(list.path("items").spliterator(), false)
                .filter(i -> i.path("metadata").path("name").asText().equals("settings")).findFirst().orElseThrow();
        assertThat(item.path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(fieldNames(item)).containsExactlyInAnyOrder("kind", "apiVersion", "metadata");
    }

    @Test
    void aWatchSendsEachObjectAsPartialObjectMetadata() throws Exception {
        String body = api.request("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0"
                + "&fieldSelector=metadata.name%3Dsettings&timeoutSeconds=5", OBJECT_ACCEPT, null, null).body();
        JsonNode added = JSON.readTree(body.lines().filter(l -> !l.isBlank()).findFirst().orElseThrow());

        assertThat(added.path("type").asText()).isEqualTo("ADDED");
        assertThat(added.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(added.path("object").path("metadata").path("name").asText()).isEqualTo("settings");
        assertThat(fieldNames(added.path("object"))).containsExactlyInAnyOrder("kind", "apiVersion", "metadata");
    }

    private static List<String> fieldNames(JsonNode node) {
        return StreamSupport.stream(node.properties().spliterator(), false).map(Map.Entry::getKey).toList();
    }
}
