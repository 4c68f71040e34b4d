package dev.konductor.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.konductor.apiserver.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Watches resume from a resourceVersion, expire with 410, and carry bookmarks, as upstream's do. */
// a hang guard above the 60 s waits inside: at a load average of 60 a cold first request took a minute
@Timeout(300)
class WatchSemanticsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestApiServer api;

    @BeforeAll
    static void start() {
        api = TestApiServer.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static List<JsonNode> events(String query) throws Exception {
        TestApiServer.Response response = api.get("/api/v1/namespaces/default/configmaps?watch=true&" + query);
        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank()) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    /**
     * The first {@code count} events of a watch, read as they stream in. (A short timeoutSeconds
     * would race the replay: on a loaded machine the deadline can pass before every event is out.)
     */
    private static List<JsonNode> firstEvents(String query, int count) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.url()
                        + "/api/v1/namespaces/default/configmaps?watch=true&" + query))
                .header("Authorization", "Bearer " + TestApiServer.TOKEN).build();
        HttpClient client = TestApiServer.trustingClient();
        try (Stream<String> lines = client.send(request, HttpResponse.BodyHandlers.ofLines()).body()) {
            List<JsonNode> events = new ArrayList<>();
            Iterator<String> it = lines.filter(line -> !line.isBlank()).iterator();
            while (events.size() < count && it.hasNext()) {
                events.add(JSON.readTree(it.next()));
            }
            return events;
        } finally {
            client.shutdownNow(); // the watch is still open: cut it rather than wait out its timeout
        }
    }

    private static long revisionOf(JsonNode event) {
        return Long.parseLong(event.path("object").path("metadata").path("resourceVersion").asText());
    }

    private static List<String> summary(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText() + " "
                + e.path("object").path("metadata").path("name").asText()).toList();
    }

    @Test
    void aWatchFromAnOldResourceVersionReplaysWhatHappenedSince() throws Exception {
        KubernetesClient client = api.client();
        var configMaps = client.configMaps().inNamespace("default");
        String before = client.configMaps().inNamespace("default").list().getMetadata().getResourceVersion();
        configMaps.resource(new ConfigMapBuilder().withNewMetadata().withName("replay").endMetadata()
                .withData(Map.of("a", "1")).build()).create();
        configMaps.withName("replay").edit(cm -> new ConfigMapBuilder(cm).addToData("a", "2").build());
        configMaps.withName("replay").delete();

        List<JsonNode> events = firstEvents("resourceVersion=" + before + "&timeoutSeconds=60", 3);
        assertThat(summary(events)).containsExactly("ADDED replay", "MODIFIED replay", "DELETED replay");
        List<Long> versions = events.stream()
                .map(e -> Long.parseLong(e.path("object").path("metadata").path("resourceVersion").asText())).toList();
        assertThat(versions).isSorted().doesNotHaveDuplicates().allMatch(v -> v > Long.parseLong(before));
    }

    /**
     * Replayed from the history, whose superseded versions the cache keeps as JSON only: an
     * object leaving the selector is DELETED for the watch (with the content it last saw, at the
     * revision of the change), coming back ADDED.
     */
    @Test
    void aSelectorWatchFromAnOldResourceVersionSeesObjectsLeaveAndReturn() throws Exception {
        KubernetesClient client = api.client();
        var configMaps = client.configMaps().inNamespace("default");
        String before = configMaps.list().getMetadata().getResourceVersion();
        configMaps.resource(new ConfigMapBuilder().withNewMetadata().withName("moving").addToLabels("tier", "a")
                .endMetadata().build()).create();
        configMaps.withName("moving").edit(cm -> new ConfigMapBuilder(cm).editMetadata()
                .addToLabels("tier", "b").endMetadata().build());
        configMaps.withName("moving").edit(cm -> new ConfigMapBuilder(cm).editMetadata()
                .addToLabels("tier", "a").endMetadata().build());
        configMaps.withName("moving").edit(cm -> new ConfigMapBuilder(cm).addToData("k", "v").build());

        List<JsonNode> byLabel = firstEvents("labelSelector=tier%3Da&resourceVersion=" + before + "&timeoutSeconds=60", 4);
        assertThat(summary(byLabel)).containsExactly("ADDED moving", "DELETED moving", "ADDED moving", "MODIFIED moving");
        JsonNode left = byLabel.get(1).path("object").path("metadata");
        assertThat(left.path("labels").path("tier").asText()).as("the content the watch last saw").isEqualTo("a");
        assertThat(Long.parseLong(left.path("resourceVersion").asText())).as("at the relabelling's revision")
                .isGreaterThan(revisionOf(byLabel.get(0))).isLessThan(revisionOf(byLabel.get(2)));
        List<JsonNode> byField = firstEvents("fieldSelector=metadata.name%3Dmoving&resourceVersion=" + before
                + "&timeoutSeconds=60", 4);
        assertThat(summary(byField)).containsExactly("ADDED moving", "MODIFIED moving", "MODIFIED moving",
                "MODIFIED moving");
        configMaps.withName("moving").delete();
    }

    @Test
    void bookmarksArriveWhenAllowedAndBeforeTheTimeout() throws Exception {
        String rv = api.client().configMaps().inNamespace("default").list().getMetadata().getResourceVersion();
        long started = System.nanoTime();
        List<JsonNode> events = events("resourceVersion=" + rv + "&allowWatchBookmarks=true&timeoutSeconds=3");
        assertThat(System.nanoTime() - started).as("the watch ends at timeoutSeconds").isGreaterThan(2_900_000_000L);
        assertThat(events).hasSize(1);
        JsonNode bookmark = events.get(0);
        assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
        assertThat(bookmark.path("object").path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(Long.parseLong(bookmark.path("object").path("metadata").path("resourceVersion").asText()))
                .isGreaterThanOrEqualTo(Long.parseLong(rv));

        assertThat(events("resourceVersion=" + rv + "&timeoutSeconds=3")).as("no bookmarks unless allowed").isEmpty();
    }

    @Test
    void aWatchFromBeforeTheCachedHistoryGets410Expired() throws Exception {
        try (TestApiServer own = TestApiServer.start()) {
            own.restart(); // the new cache's history starts after the bootstrap objects
            TestApiServer.Response response = own.get("/api/v1/namespaces/default/configmaps?watch=true"
                    + "&resourceVersion=1&timeoutSeconds=5");
            assertThat(response.status()).isEqualTo(200);
            JsonNode event = JSON.readTree(response.body().lines().findFirst().orElseThrow());
            assertThat(event.path("type").asText()).isEqualTo("ERROR");
            JsonNode status = event.path("object");
            assertThat(status.path("kind").asText()).isEqualTo("Status");
            assertThat(status.path("code").asInt()).isEqualTo(410);
            assertThat(status.path("reason").asText()).isEqualTo("Expired");
            assertThat(status.path("message").asText()).startsWith("too old resource version: 1 (");
        }
    }

    @Test
    void bookmarkScheduleIsPeriodicThenJustBeforeTheDeadline() {
        long now = 1_000_000;
        assertThat(ListWatchHandler.nextBookmark(now, now + 600_000)).isEqualTo(now + 60_000);
        assertThat(ListWatchHandler.nextBookmark(now, now + 30_000)).isEqualTo(now + 28_000);
        assertThat(ListWatchHandler.nextBookmark(now, now + 1_000)).isEqualTo(Long.MAX_VALUE);
    }
}
